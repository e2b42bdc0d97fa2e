# Get-MediaPod / Get-MediaApp and the cluster access every cluster cmdlet shares: kubeconfig
# and context errors offline, then the real objects and API failures on the sandbox.
BeforeAll {
    Import-Module $env:MEDIASTACK_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force

    function New-KubeConfig([string] $Path, [string] $Server, [string] $Token = 'not-a-token') {
        @"
apiVersion: v1
kind: Config
current-context: dev
contexts:
- name: dev
  context: {cluster: dev, user: dev, namespace: apps}
clusters:
- name: dev
  cluster: {server: "$Server", insecure-skip-tls-verify: true}
users:
- name: dev
  user: {token: $Token}
"@ | Set-Content -LiteralPath $Path
        $Path
    }

    function Get-ErrorId([scriptblock] $Script) {
        try { & $Script; 'no error' } catch { $_.FullyQualifiedErrorId.Split(',')[0] }
    }
}

Describe 'Cluster access without a cluster' {
    It 'stops with KubeConfigNotFound for a missing -KubeConfig file' {
        Get-ErrorId { Get-MediaPod -KubeConfig (Join-Path $TestDrive 'absent') -ErrorAction Stop } | Should -Be 'KubeConfigNotFound'
    }

    It 'stops with KubeConfigNotFound when $env:KUBECONFIG names nothing and no pod account exists' {
        $saved = $env:KUBECONFIG
        try {
            $env:KUBECONFIG = Join-Path $TestDrive 'nothing-here'
            Get-ErrorId { Get-MediaPod -ErrorAction Stop } | Should -Be 'KubeConfigNotFound'
        }
        finally { $env:KUBECONFIG = $saved }
    }

    It 'stops with KubeConfigInvalid for a malformed file' {
        $bad = Join-Path $TestDrive 'malformed'
        "clusters: [ {" | Set-Content -LiteralPath $bad
        Get-ErrorId { Get-MediaApp -KubeConfig $bad -ErrorAction Stop } | Should -Be 'KubeConfigInvalid'
    }

    It 'stops with KubeContextNotFound for an unknown context and names the known ones' {
        $config = New-KubeConfig (Join-Path $TestDrive 'one-context') 'https://127.0.0.1:9'
        $record = try { Test-MediaMount -KubeConfig $config -Context prod -ErrorAction Stop } catch { $_ }
        $record.FullyQualifiedErrorId | Should -BeLike 'KubeContextNotFound,*'
        $record.Exception.Message | Should -Match "known: dev"
    }

    It 'stops with ClusterUnreachable, ConnectionError, when nothing listens' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $config = New-KubeConfig (Join-Path $TestDrive 'closed-port') "https://127.0.0.1:$port"
        $record = try { Get-MediaPod -KubeConfig $config -ErrorAction Stop } catch { $_ }
        $record.FullyQualifiedErrorId | Should -BeLike 'ClusterUnreachable,*'
        $record.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'says so when -KubeConfig is a folder, and when the file is empty' {
        $record = try { Get-MediaPod -KubeConfig $TestDrive -ErrorAction Stop } catch { $_ }
        $record.FullyQualifiedErrorId | Should -BeLike 'KubeConfigNotFound,*'
        $record.Exception.Message | Should -Match 'is a folder'

        $empty = Join-Path $TestDrive 'empty-kubeconfig'
        Set-Content -LiteralPath $empty -Value '' -NoNewline
        $record = try { Get-MediaPod -KubeConfig $empty -ErrorAction Stop } catch { $_ }
        $record.FullyQualifiedErrorId | Should -BeLike 'KubeConfigInvalid,*'
        $record.Exception.Message | Should -Match 'is empty'
    }

    It '-Verbose names the kubeconfig files it read' {
        $config = New-KubeConfig (Join-Path $TestDrive 'verbose') 'https://127.0.0.1:9'
        $verbose = try { Get-MediaPod -KubeConfig $config -Verbose -ErrorAction Stop 4>&1 } catch { $null }
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Kubeconfig: $config."
    }

    It 'completes contexts for a relative or ~ -KubeConfig, resolved as the cmdlets resolve it' {
        $folder = Join-Path $TestDrive 'relative'
        $null = New-Item -ItemType Directory $folder
        $null = New-KubeConfig (Join-Path $folder 'kc') 'https://127.0.0.1:9'
        Push-Location $folder
        try {
            # The process's working folder is elsewhere: only PowerShell's location finds it.
            $line = 'Get-MediaPod -KubeConfig ./kc -Context d'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'dev'
        }
        finally { Pop-Location }

        # ~ in a fresh pwsh whose home is a scratch folder.
        $home2 = Join-Path $TestDrive 'home'
        $null = New-Item -ItemType Directory (Join-Path $home2 '.kube')
        $null = New-KubeConfig (Join-Path $home2 '.kube/other') 'https://127.0.0.1:9'
        $pwsh = [Environment]::ProcessPath
        $arguments = @()
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments += [Reflection.Assembly]::GetEntryAssembly().Location }
        $script = "Import-Module '$env:MEDIASTACK_MODULE'; `$line = 'Get-MediaPod -KubeConfig ~/.kube/other -Context d'; (TabExpansion2 -inputScript `$line -cursorColumn `$line.Length).CompletionMatches.CompletionText"
        $saved = $env:HOME
        try {
            $env:HOME = $home2
            $output = & $pwsh @arguments -NoProfile -NonInteractive -Command $script 2>&1 | Out-String
        }
        finally { $env:HOME = $saved }
        $output.Trim() | Should -Be 'dev'
    }

    It 'remembers a cluster lookup that ran out of time, so the next Tab does not wait again' {
        # A server that accepts connections and never answers.
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $accepted = [Collections.Generic.List[Net.Sockets.TcpClient]]::new()
        try {
            $config = New-KubeConfig (Join-Path $TestDrive 'silent') "https://127.0.0.1:$($listener.LocalEndpoint.Port)"
            $line = "Get-MediaPod -KubeConfig '$config' -Name pl"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Should -BeNullOrEmpty
            while ($listener.Pending()) { $accepted.Add($listener.AcceptTcpClient()) }
            $first = $accepted.Count

            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Should -BeNullOrEmpty
            Start-Sleep -Milliseconds 300
            while ($listener.Pending()) { $accepted.Add($listener.AcceptTcpClient()) }

            $first | Should -BeGreaterThan 0 -Because 'the first Tab asked the cluster'
            $accepted.Count | Should -Be $first -Because 'the second Tab answered from the cache'
        }
        finally {
            $accepted | ForEach-Object Dispose
            $listener.Stop()
        }
    }

    It 'completes contexts from the kubeconfig' {
        $config = New-KubeConfig (Join-Path $TestDrive 'complete') 'https://127.0.0.1:9'
        $line = "Get-MediaPod -KubeConfig '$config' -Context d"
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain 'dev'
    }
}

Describe 'Get-MediaApp -Path (no cluster)' {
    It 'reads Deployments from manifest files with the sidecar setup summarised' {
        $file = Join-Path $TestDrive 'sonarr.yaml'
        @'
apiVersion: v1
kind: Service
metadata: {name: sonarr}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sonarr, namespace: media-stack, labels: {zone: zone2}}
spec:
  template:
    metadata: {labels: {app: sonarr}}
    spec:
      serviceAccountName: managers
      containers:
      - name: rclone-zurg
        image: docker.io/rclone/rclone:latest
        args: [mount, "zurg:", /mnt/media/zurg]
        securityContext: {privileged: true}
        volumeMounts: [{name: media-storage, mountPath: /mnt/media, mountPropagation: Bidirectional}]
      - name: sonarr
        image: lscr.io/linuxserver/sonarr:latest
        ports: [{containerPort: 8989}]
        volumeMounts: [{name: media-storage, mountPath: /mnt/media}]
'@ | Set-Content -LiteralPath $file
        $app = Get-MediaApp -Path $file
        @($app).Count | Should -Be 1
        $app.Name | Should -Be 'sonarr'
        $app.Source | Should -Be 'File'
        $app.Path | Should -Be $file
        $app.AppContainer | Should -Be 'sonarr'
        $app.Image | Should -Be 'lscr.io/linuxserver/sonarr:latest'
        $app.Port | Should -Be 8989
        $app.Mounts.Name | Should -Be @('zurg')
        $app.SidecarSetup | Should -Be 'classic: zurg; app None; no sidecar for: torbox'
        $app.SidecarSetupHealthy | Should -BeFalse
        $app.Kind | Should -Be 'MediaApp'
        $app.ResourceKind | Should -Be 'Deployment'
    }

    It 'reads rendered YAML from the pipeline, line by line as helm template and kubectl kustomize write it' {
        $rendered = @'
---
# Source: media/templates/gateway.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: zurg, namespace: media}
spec:
  selector: {matchLabels: {app: zurg}}
  template:
    metadata: {labels: {app: zurg}}
    spec:
      serviceAccount: cloud-gateway
      containers:
      - name: zurg
        image: ghcr.io/debridmediamanager/zurg-testing:v0.9.3
        volumeMounts: [{name: media, mountPath: /mnt/media, mountPropagation: Bidirectional}]
        securityContext: {privileged: true}
      volumes: [{name: media, persistentVolumeClaim: {claimName: media-library-pvc}}]
---
# Source: media/templates/plex.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: plex, namespace: media}
spec:
  selector: {matchLabels: {app: plex}}
  template:
    metadata: {labels: {app: plex}}
    spec:
      containers:
      - name: plex
        image: plexinc/pms-docker:1.41.3
        volumeMounts: [{name: media, mountPath: /mnt/media, mountPropagation: HostToContainer}]
      volumes: [{name: media, hostPath: {path: /var/mnt/cloud}}]
'@ -split "`n"
        $apps = $rendered | Get-MediaApp
        $apps.Name | Should -Be @('zurg', 'plex')
        $apps[0].Kind | Should -Be 'Gateway'
        $apps[0].ServiceAccount | Should -Be 'cloud-gateway'
        $apps[0].Source | Should -Be 'Pipeline'
        $apps[1].ResourceKind | Should -Be 'StatefulSet'
        $apps[1].SidecarSetup | Should -Match '^node-level mounts through media \(hostPath /var/mnt/cloud\)'
        ($rendered | Get-MediaApp -Kind StatefulSet).Name | Should -Be 'plex'
    }

    It 'reads files piped from Get-ChildItem by their full name, a kustomization among them without an error' {
        $folder = Join-Path $TestDrive 'piped'
        Copy-Item (Join-Path $PSScriptRoot '../corpus/one-file-per-app/repo') $folder -Recurse

        $apps = Get-ChildItem $folder -Filter *.yaml | Get-MediaApp -ErrorVariable failures

        $apps.Name | Should -Be @('bazarr', 'lidarr', 'overseerr', 'prowlarr')
        $apps[1].Path | Should -Be (Join-Path $folder 'lidarr.yaml')
        $failures | Should -BeNullOrEmpty
        (Get-Item $folder | Get-MediaApp).Name | Should -Be $apps.Name
        # Only files without any workload at all are an error.
        Get-Item (Join-Path $folder 'kustomization.yaml') | Get-MediaApp -ErrorVariable alone -ErrorAction SilentlyContinue
        $alone[0].FullyQualifiedErrorId | Should -BeLike 'NoDeploymentInFile,*'
    }

    It 'reports each malformed document as one error and reads the good ones' {
        $file = Join-Path $TestDrive 'mixed.yaml'
        @'
apiVersion: apps/v1
kind: Deployment
metadata: [oops]
spec: {}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: kavita}
spec:
  template:
    spec:
      containers:
      - name: kavita
        image: jvmilazz0/kavita:0.8.4
        volumeMounts: [{name: media, mountPath: /mnt/media, mountPropagation: HostToContainer}]
      volumes: [{name: media, persistentVolumeClaim: {claimName: media-library-pvc}}]
'@ | Set-Content -LiteralPath $file
        $app = Get-MediaApp -Path $file -ErrorVariable failures -ErrorAction SilentlyContinue
        $app.Name | Should -Be 'kavita'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWorkloadShape,*'
        $failures[0].Exception.Message | Should -Match 'metadata is a list, not a mapping'
    }

    It 'reports a missing path as ManifestPathNotFound and goes on' {
        $result = Get-MediaApp -Path (Join-Path $TestDrive 'nope.yaml') -ErrorVariable failures -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ManifestPathNotFound,*'
    }
}

Describe 'On the sandbox cluster' -Tag Sandbox {
    BeforeAll {
        $script:Sandbox = Start-Sandbox -Scenario media-stack
        $script:Cluster = @{ KubeConfig = $Sandbox.KubeConfig; Namespace = 'media-stack' }
        if (-not $Sandbox.Unavailable) {
            $ready = Wait-SandboxCondition -TimeoutSec 120 { Get-MediaPod @Cluster | Where-Object { $_.App -eq 'plex' -and $_.Ready -eq '4/4' } }
            if (-not $ready) { $script:Sandbox.Unavailable = 'the plex pod did not become ready within 120 s' }
        }
    }

    AfterAll {
        Stop-Sandbox $Sandbox
    }

    BeforeEach {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable }
    }

    It 'finds the app container of a pod whose sidecars come first' {
        if ($Sandbox.Unavailable) { return }
        $plex = Get-MediaPod -App plex @Cluster
        $plex.Pod.Spec.Containers[0].Name | Should -Be 'rclone-zurg'
        $plex.AppContainer | Should -Be 'plex'
        $plex.AppContainerReason | Should -Be 'named after the owning workload'
        $plex.Sidecars | Should -Be @('rclone-zurg', 'rclone-torbox', 'nginx')
        $plex.RcloneSidecars.MountPath | Should -Be @('/mnt/media/zurg', '/mnt/media/torbox')
        $plex.Namespace | Should -Be 'media-stack'
        $plex.Node | Should -BeLike 'wow-ocp-node*'
        $plex.Phase | Should -Be 'Running'
        $plex.Ready | Should -Be '4/4'
        $plex.Age | Should -BeOfType [TimeSpan]
    }

    It 'uses the context namespace when -Namespace is left out, and filters by wildcard name' {
        if ($Sandbox.Unavailable) { return }
        $byContext = Get-MediaPod 'sonarr-*' -KubeConfig $Sandbox.KubeConfig
        $byContext.App | Should -Be 'sonarr'
        (Get-MediaPod -AllNamespaces -KubeConfig $Sandbox.KubeConfig | Where-Object App -EQ 'sonarr').Name | Should -Be $byContext.Name
    }

    It 'shows the kubectl-like table' {
        if ($Sandbox.Unavailable) { return }
        $table = Get-MediaPod -App plex @Cluster | Out-String -Width 200
        $table | Should -Match 'NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+NODE\s+APP\s+KIND\s+CONTAINER\s+SIDECARS'
        $table | Should -Match 'plex-\S+\s+4/4\s+Running\s+\d+\s+\d+[smhd]\s+wow-ocp-node\d\s+plex\s+MediaApp\s+plex\s+rclone-zurg,rclone-torbox,nginx'
    }

    It 'completes namespaces and pod names from the cluster' {
        if ($Sandbox.Unavailable) { return }
        $line = "Get-MediaPod -KubeConfig '$($Sandbox.KubeConfig)' -Namespace kube-"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'kube-system'
        $line = "Test-MediaMount -KubeConfig '$($Sandbox.KubeConfig)' -Namespace media-stack -Name plex"
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain (Get-MediaPod -App plex @Cluster).Name
        $line = "Get-MediaPod -KubeConfig '$($Sandbox.KubeConfig)' -Namespace media-stack -App so"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('sonarr')
    }

    It 'writes ClusterObjectNotFound for a pod name that does not exist and goes on' {
        if ($Sandbox.Unavailable) { return }
        $found = Get-MediaPod 'ghost', 'bazarr-*' @Cluster -ErrorVariable failures -ErrorAction SilentlyContinue
        $found.App | Should -Be 'bazarr'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ClusterObjectNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'summarises the sidecar setup of live Deployments' {
        if ($Sandbox.Unavailable) { return }
        $apps = Get-MediaApp @Cluster
        $byName = @{}; $apps | ForEach-Object { $byName[$_.Name] = $_ }
        $byName.plex.SidecarSetup | Should -Be 'classic: zurg, torbox; app HostToContainer'
        $byName.plex.SidecarSetupHealthy | Should -BeTrue
        $byName.plex.Ready | Should -Be '1/1'
        $byName.plex.Source | Should -Be 'Cluster'
        $byName.sonarr.SidecarSetup | Should -Match 'app None'
        $byName.radarr.SidecarSetup | Should -Match 'not privileged: rclone-zurg'
        $byName.bazarr.SidecarSetup | Should -Be 'no rclone sidecars; no sidecar for: zurg, torbox'
        $byName.'rclone-zurg'.SidecarSetup | Should -Match '^legacy standalone rclone'
        $byName.'rclone-zurg'.Kind | Should -Be 'StandaloneRclone'
        $byName.prowlarr.Ready | Should -Be '0/1'
    }

    It 'pipes an app into Get-MediaPod and Test-MediaMount: its pods, not a pod named like it' {
        if ($Sandbox.Unavailable) { return }
        $plexApp = Get-MediaApp plex @Cluster
        $pods = $plexApp | Get-MediaPod @Cluster
        @($pods).Count | Should -Be 1
        $pods.Name | Should -BeLike 'plex-*'
        $pods.App | Should -Be 'plex'
        ($plexApp | Test-MediaMount @Cluster).Name | Should -Be $pods.Name
        # An app without pods says so; its kind/name, as Test-MediaMount names it, works too.
        Get-MediaApp prowlarr @Cluster | Get-MediaPod @Cluster -ErrorVariable none -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $none[0].FullyQualifiedErrorId | Should -BeLike 'NoPodsMatched,*'
        ('deployment/plex' | Get-MediaPod @Cluster).Name | Should -Be $pods.Name
    }

    It 'binds apps and pods that went through Export-Clixml and Import-Clixml by property name' {
        if ($Sandbox.Unavailable) { return }
        $apps = Join-Path $TestDrive 'apps.xml'
        Get-MediaApp plex, sonarr @Cluster | Export-Clixml -LiteralPath $apps
        $fromApps = Import-Clixml -LiteralPath $apps | Get-MediaPod @Cluster
        ($fromApps.App | Sort-Object) | Should -Be @('plex', 'sonarr')

        $pods = Join-Path $TestDrive 'pods.xml'
        Get-MediaPod -App plex @Cluster | Export-Clixml -LiteralPath $pods
        $report = Import-Clixml -LiteralPath $pods | Test-MediaMount @Cluster
        $report.Name | Should -BeLike 'plex-*'
        $report.zurg.Status | Should -Be 'OK'
    }

    It 'maps a 403 to a non-terminating ClusterForbidden and a 401 to a terminating ClusterUnauthorized' {
        if ($Sandbox.Unavailable) { return }
        Invoke-SandboxFault $Sandbox api-error @{ status = 403; path = '/api/v1/namespaces/media-stack/pods'; count = 1 } | Out-Null
        $result = Get-MediaPod @Cluster -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ClusterForbidden,*'
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'

        $badToken = Join-Path $TestDrive 'bad-token'
        (Get-Content -LiteralPath $Sandbox.KubeConfig -Raw) -replace '(?m)^(\s+token:\s*).*$', '${1}wrong-token' | Set-Content -LiteralPath $badToken
        $record = try { Get-MediaPod -KubeConfig $badToken -Namespace media-stack -ErrorAction Stop } catch { $_ }
        $record.FullyQualifiedErrorId | Should -BeLike 'ClusterUnauthorized,*'
        $record.CategoryInfo.Category | Should -Be 'AuthenticationError'
    }

    It 'authenticates through an exec credential plugin, as oc and cloud logins do' {
        if ($Sandbox.Unavailable) { return }
        $token = [regex]::Match((Get-Content -LiteralPath $Sandbox.KubeConfig -Raw), '(?m)^\s+token:\s*(\S+)').Groups[1].Value.Trim('"')
        $credential = Join-Path $TestDrive 'credential.json'
        @{ apiVersion = 'client.authentication.k8s.io/v1beta1'; kind = 'ExecCredential'; status = @{ token = $token } } | ConvertTo-Json | Set-Content -LiteralPath $credential
        $plugin = Join-Path $TestDrive 'exec-plugin'
        $exec = "`${1}exec:`n`${1}  apiVersion: client.authentication.k8s.io/v1beta1`n`${1}  command: cat`n`${1}  args: ['$credential']`n`${1}  interactiveMode: Never"
        (Get-Content -LiteralPath $Sandbox.KubeConfig -Raw) -replace '(?m)^(\s+)token:\s*\S+\s*$', $exec | Set-Content -LiteralPath $plugin
        (Get-Content -LiteralPath $plugin -Raw) | Should -Not -Match 'token:'

        (Get-MediaPod -KubeConfig $plugin -Namespace media-stack -App plex).AppContainer | Should -Be 'plex'
    }

    It 'stops with ClusterTlsError when the server certificate is not the one the kubeconfig trusts' {
        if ($Sandbox.Unavailable) { return }
        # A CA of our own instead of the sandbox's.
        $key = [Security.Cryptography.RSA]::Create(2048)
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=other-ca', $key, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $request.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
        $ca = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1))
        $data = [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes($ca.ExportCertificatePem()))
        $otherCa = Join-Path $TestDrive 'other-ca'
        (Get-Content -LiteralPath $Sandbox.KubeConfig -Raw) -replace '(?m)^(\s+certificate-authority-data:\s*).*$', "`${1}$data" | Set-Content -LiteralPath $otherCa
        $record = try { Get-MediaPod -KubeConfig $otherCa -Namespace media-stack -ErrorAction Stop } catch { $_ }
        $record.FullyQualifiedErrorId | Should -BeLike 'ClusterTlsError,*'
        $record.CategoryInfo.Category | Should -Be 'ConnectionError'
        $record.Exception.Message | Should -Match 'certificate'
    }
}
