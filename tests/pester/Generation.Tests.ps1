# New-MediaApp, Export-MediaApp and ConvertTo-MediaManifest as users drive them: objects,
# files on disk read back through the module's own YAML reader, and error ids.
BeforeAll {
    Import-Module $env:MEDIASTACK_MODULE -Force

    # A config file of our own, so a saved config on this machine cannot change the results.
    $script:savedConfigVariable = $env:MEDIASTACK_CONFIG
    $env:MEDIASTACK_CONFIG = Join-Path $TestDrive 'no-config/config.json'

    # The Core assembly lives in the module's own load context: reach its YAML reader
    # through an object the module returns, not by type name.
    $core = (Get-MediaStackConfig -Default).GetType().Assembly
    $script:yamlReader = $core.GetType('MediaStack.Core.Yaml.YamlReader', $true)

    function ConvertTo-Plain($Node) { $Node.ToJsonString() | ConvertFrom-Json }
    function Read-YamlFile([string] $Path) { $script:yamlReader::ReadFile($Path) | ForEach-Object { ConvertTo-Plain $_ } }
    function Read-YamlText([string] $Text) { $script:yamlReader::ReadDocuments($Text, $null) | ForEach-Object { ConvertTo-Plain $_ } }
    function Get-Files([string] $Root) {
        # Ordinal order, so the expected lists read the same on every machine.
        [string[]] $files = @(Get-ChildItem $Root -Recurse -Force -File | ForEach-Object { [IO.Path]::GetRelativePath($Root, $_.FullName) -replace '\\', '/' })
        [Array]::Sort($files, [StringComparer]::Ordinal)
        $files
    }

    $script:prowlarr = @('prowlarr', 'lscr.io/linuxserver/prowlarr:1.24.3', 9696)
}

AfterAll {
    $env:MEDIASTACK_CONFIG = $script:savedConfigVariable
}

Describe 'New-MediaApp' {
    It 'takes name, image and port by position, like the script' {
        $app = New-MediaApp @prowlarr

        $app.GetType().Name | Should -Be 'MediaApp'
        $app.Name | Should -Be 'prowlarr'
        $app.Namespace | Should -Be 'media-stack'
        $app.Zone | Should -Be 'zone2'
        $app.ServiceAccount | Should -Be 'managers'
        $app.Image | Should -Be 'lscr.io/linuxserver/prowlarr:1.24.3'
        $app.Port | Should -Be 9696
        $app.Sidecars | Should -Be @('rclone-zurg', 'rclone-torbox')
        (ConvertTo-Plain $app.Deployment).kind | Should -Be 'Deployment'
        (ConvertTo-Plain $app.Service).kind | Should -Be 'Service'
        (ConvertTo-Plain $app.Route).kind | Should -Be 'Route'
        (ConvertTo-Plain $app.Kustomization).resources | Should -Be @('deployment.yaml', 'service.yaml', 'route.yaml')
        $app.Readme | Should -Match 'http://prowlarr\.media-stack\.svc:9696'
    }

    It 'maps <Zone> to the service account <Account>' -ForEach @(
        @{ Zone = 'zone1'; Account = 'cloud-gateway' }
        @{ Zone = 'zone2'; Account = 'managers' }
        @{ Zone = 'zone3'; Account = 'plex' }
        @{ Zone = 'zone4'; Account = 'discovery' }
    ) {
        $app = New-MediaApp @prowlarr -Zone $Zone

        (ConvertTo-Plain $app.Deployment).spec.template.spec.serviceAccountName | Should -Be $Account
        (ConvertTo-Plain $app.Deployment).metadata.labels.zone | Should -Be $Zone
    }

    It 'really generates without sidecars with -NoSidecar' {
        $pod = (ConvertTo-Plain (New-MediaApp @prowlarr -NoSidecar).Deployment).spec.template.spec

        $pod.PSObject.Properties.Name | Should -Not -Contain 'initContainers'
        $pod.containers.name | Should -Be @('prowlarr')
        $pod.volumes.name | Should -Be @('media-storage')
        $pod.containers[0].volumeMounts | Where-Object { $_.PSObject.Properties.Name -contains 'mountPropagation' } | Should -BeNullOrEmpty
        $pod.containers[0].PSObject.Properties.Name | Should -Not -Contain 'securityContext'
    }

    It 'makes native sidecars gated on the FUSE mount with -SidecarMode Native' {
        $pod = (ConvertTo-Plain (New-MediaApp @prowlarr -SidecarMode Native).Deployment).spec.template.spec

        $pod.initContainers.name | Should -Be @('init-dirs', 'rclone-zurg', 'rclone-torbox')
        $pod.containers.name | Should -Be @('prowlarr')
        foreach ($sidecar in $pod.initContainers | Select-Object -Skip 1) {
            $sidecar.restartPolicy | Should -Be 'Always'
            $sidecar.startupProbe.exec.command[2] | Should -Match 'fuse\.rclone'
            $sidecar.startupProbe.exec.command[2] | Should -Match '/proc/self/mountinfo'
            $sidecar.lifecycle.preStop.exec.command[0..1] | Should -Be @('fusermount3', '-uz')
        }
    }

    It 'warns about an image that is not pinned, and still builds it' {
        $app = New-MediaApp prowlarr lscr.io/linuxserver/prowlarr:latest 9696 -WarningVariable warnings -WarningAction SilentlyContinue
        $null = New-MediaApp @prowlarr -WarningVariable pinned -WarningAction SilentlyContinue

        $app.Image | Should -Be 'lscr.io/linuxserver/prowlarr:latest'
        "$warnings" | Should -Match 'prowlarr: the image lscr\.io/linuxserver/prowlarr:latest is not pinned'
        $pinned | Should -HaveCount 0
    }

    It 'sizes the app by its class: <Name> gets <Cpu>/<Memory>' -ForEach @(
        @{ Name = 'bazarr'; Image = 'lscr.io/linuxserver/bazarr:1.4.5'; Class = $null; Cpu = '50m'; Memory = '128Mi' }
        @{ Name = 'sonarr'; Image = 'lscr.io/linuxserver/sonarr:4.0.11'; Class = $null; Cpu = '500m'; Memory = '512Mi' }
        @{ Name = 'plex'; Image = 'lscr.io/linuxserver/plex:1.41.3'; Class = $null; Cpu = '1'; Memory = '2Gi' }
        @{ Name = 'tdarr'; Image = 'ghcr.io/haveagitgat/tdarr:2.27.02'; Class = 'MediaServer'; Cpu = '1'; Memory = '2Gi' }
    ) {
        $options = if ($Class) { @{ Class = $Class } } else { @{} }
        $app = New-MediaApp $Name $Image 8080 @options
        $main = (ConvertTo-Plain $app.Deployment).spec.template.spec.containers | Where-Object name -EQ $Name

        $main.resources.requests.cpu | Should -Be $Cpu
        $main.resources.requests.memory | Should -Be $Memory
    }

    It 'writes no node names, no stack label and no floating image by default' {
        $yaml = New-MediaApp @prowlarr | ConvertTo-MediaManifest

        $yaml | Should -Not -Match 'wow-ocp|hybrid-media|nodeAffinity|:latest'
        $yaml | Should -Match 'sizeLimit: 10Gi'
        $yaml | Should -Match '--vfs-cache-max-size=5G'
    }

    It 'passes every option into the manifests' {
        $app = New-MediaApp @prowlarr -Namespace media -ServiceAccount indexers -CpuRequest 250m -MemoryRequest 256Mi -CpuLimit 1000m -MemoryLimit 1Gi `
            -ClusterDomain example.com -TimeZone Europe/Paris -Environment @{ DOCKER_MODS = 'linuxserver/mods:universal-cron'; PUID = 1001 } -Replicas 2
        $deployment = ConvertTo-Plain $app.Deployment
        $main = $deployment.spec.template.spec.containers | Where-Object name -EQ 'prowlarr'

        $deployment.metadata.namespace | Should -Be 'media'
        $deployment.spec.replicas | Should -Be 2
        $deployment.spec.template.spec.serviceAccountName | Should -Be 'indexers'
        $main.resources.requests.cpu | Should -Be '250m'
        $main.resources.limits.cpu | Should -Be '1'
        $main.resources.limits.memory | Should -Be '1Gi'
        ($main.env | ForEach-Object { "$($_.name)=$($_.value)" }) | Should -Be @('PUID=1001', 'PGID=1000', 'TZ=Europe/Paris', 'UMASK=022', 'DOCKER_MODS=linuxserver/mods:universal-cron')
        (ConvertTo-Plain $app.Route).spec.host | Should -Be 'prowlarr.apps.example.com'
        (ConvertTo-Plain (New-MediaApp @prowlarr -RouteHost indexer.example.org).Route).spec.host | Should -Be 'indexer.example.org'
    }

    It 'takes its conventions from -Config: a third mount gives a third sidecar' {
        $file = Join-Path $TestDrive 'three-mounts.json'
        @{ mounts = @(
                @{ name = 'zurg'; remote = 'zurg:'; mountPath = '/mnt/media/zurg'; probePath = '__all__'; secret = 'rclone-zurg-config'; secretVolume = 'rclone-zurg-config'; rcPort = 5572; okAbove = 1000; warnAbove = 100 }
                @{ name = 'torbox'; remote = 'torbox:'; mountPath = '/mnt/media/torbox'; probePath = 'torrents'; secret = 'rclone-config'; secretVolume = 'rclone-config'; rcPort = 5573; okAbove = 10; warnAbove = 0 }
                @{ name = 'pcloud'; remote = 'pcloud:media'; mountPath = '/mnt/media/pcloud'; probePath = ''; secret = 'rclone-pcloud'; secretVolume = 'rclone-pcloud'; rcPort = 5574; okAbove = 5; warnAbove = 0 }
            ) } | ConvertTo-Json -Depth 5 | Set-Content $file

        $pod = (ConvertTo-Plain (New-MediaApp @prowlarr -Config (Get-MediaStackConfig -Path $file)).Deployment).spec.template.spec

        $pod.containers.name | Should -Be @('rclone-zurg', 'rclone-torbox', 'rclone-pcloud', 'prowlarr')
        $pod.initContainers[0].command[2] | Should -Match 'mkdir -p /mnt/media/zurg /mnt/media/torbox /mnt/media/pcloud'
        $pod.volumes.name | Should -Contain 'rclone-pcloud'
        ($pod.containers | Where-Object name -EQ 'rclone-pcloud').args | Should -Contain '--rc-addr=127.0.0.1:5574'
    }

    It 'warns about an unusable saved config and goes on with the defaults' {
        $null = New-Item -ItemType Directory -Force (Split-Path $env:MEDIASTACK_CONFIG)
        Set-Content $env:MEDIASTACK_CONFIG -Value '{ "mounts": [ { "name": "zurg", "rcPort": "high" } ] }'
        try {
            $app = New-MediaApp @prowlarr -WarningVariable warnings -WarningAction SilentlyContinue

            $warnings | Should -HaveCount 1
            "$warnings" | Should -Match 'mounts\[0\]\.rcPort'
            # Two sentences: what is wrong, then what happens instead.
            "$warnings" | Should -Match 'has a value of the wrong type\. The built-in defaults are used instead\.$'
            $app.Sidecars | Should -Be @('rclone-zurg', 'rclone-torbox')
        }
        finally {
            Remove-Item $env:MEDIASTACK_CONFIG
        }
    }

    It 'reports <Case> as <Id> and emits nothing' -ForEach @(
        @{ Case = 'a path trick as name'; Arguments = @('../x', 'lscr.io/linuxserver/prowlarr:latest', 9696); Options = @{}; Id = 'InvalidAppName' }
        @{ Case = 'an uppercase name'; Arguments = @('Prowlarr', 'lscr.io/linuxserver/prowlarr:latest', 9696); Options = @{}; Id = 'InvalidAppName' }
        @{ Case = 'an empty name'; Arguments = @('', 'lscr.io/linuxserver/prowlarr:latest', 9696); Options = @{}; Id = 'InvalidAppName' }
        @{ Case = 'a Windows device name'; Arguments = @('aux', 'lscr.io/linuxserver/prowlarr:latest', 9696); Options = @{}; Id = 'InvalidAppName' }
        @{ Case = 'a Windows printer port'; Arguments = @('lpt1', 'lscr.io/linuxserver/prowlarr:latest', 9696); Options = @{}; Id = 'InvalidAppName' }
        @{ Case = 'port 0'; Arguments = @('prowlarr', 'lscr.io/linuxserver/prowlarr:latest', 0); Options = @{}; Id = 'InvalidPort' }
        @{ Case = 'port 65536'; Arguments = @('prowlarr', 'lscr.io/linuxserver/prowlarr:latest', 65536); Options = @{}; Id = 'InvalidPort' }
        @{ Case = 'an unknown zone'; Arguments = @('prowlarr', 'lscr.io/linuxserver/prowlarr:latest', 9696); Options = @{ Zone = 'zone9' }; Id = 'UnknownZone' }
        @{ Case = 'a malformed CPU quantity'; Arguments = @('prowlarr', 'lscr.io/linuxserver/prowlarr:latest', 9696); Options = @{ CpuRequest = 'lots' }; Id = 'InvalidQuantity' }
        @{ Case = 'a malformed memory quantity'; Arguments = @('prowlarr', 'lscr.io/linuxserver/prowlarr:latest', 9696); Options = @{ MemoryLimit = '2 GB' }; Id = 'InvalidQuantity' }
        @{ Case = 'a request above its limit'; Arguments = @('prowlarr', 'lscr.io/linuxserver/prowlarr:latest', 9696); Options = @{ CpuRequest = '3'; CpuLimit = '2' }; Id = 'RequestAboveLimit' }
        @{ Case = 'an empty image'; Arguments = @('prowlarr', '', 9696); Options = @{}; Id = 'InvalidImageReference' }
        @{ Case = 'a malformed image'; Arguments = @('prowlarr', 'lscr.io/LinuxServer/prowlarr:', 9696); Options = @{}; Id = 'InvalidImageReference' }
    ) {
        $output = New-MediaApp @Arguments @Options -ErrorVariable failures -ErrorAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        "$($failures[0].CategoryInfo.Category)" | Should -Be 'InvalidArgument'
    }

    It 'stops a script on bad input with -ErrorAction Stop' {
        { New-MediaApp '../x' 'lscr.io/linuxserver/prowlarr:latest' 9696 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidAppName,*'
    }
}

Describe 'Export-MediaApp' {
    BeforeEach {
        $repo = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $repo
    }

    It 'writes apps/prowlarr/base with one file per object and emits the files' {
        $files = New-MediaApp @prowlarr | Export-MediaApp -Path $repo

        $files | ForEach-Object { $_ | Should -BeOfType System.IO.FileInfo }
        Get-Files $repo | Should -Be @(
            'apps/prowlarr/base/README.md', 'apps/prowlarr/base/deployment.yaml', 'apps/prowlarr/base/kustomization.yaml',
            'apps/prowlarr/base/route.yaml', 'apps/prowlarr/base/service.yaml')
        ($files.FullName | Sort-Object) | Should -Be ((Get-ChildItem $repo -Recurse -File).FullName | Sort-Object)
    }

    It 'writes a Deployment whose every container is right' {
        New-MediaApp @prowlarr | Export-MediaApp -Path $repo
        $deployment = @(Read-YamlFile (Join-Path $repo 'apps/prowlarr/base/deployment.yaml'))

        $deployment | Should -HaveCount 1
        $deployment[0].kind | Should -Be 'Deployment'
        $pod = $deployment[0].spec.template.spec
        $pod.initContainers.name | Should -Be @('init-dirs')
        $pod.containers.name | Should -Be @('rclone-zurg', 'rclone-torbox', 'prowlarr')
        $pod.securityContext.fsGroup | Should -Be 1000
        foreach ($sidecar in $pod.containers | Select-Object -First 2) {
            $mount = if ($sidecar.name -eq 'rclone-zurg') { '/mnt/media/zurg' } else { '/mnt/media/torbox' }
            $sidecar.securityContext.privileged | Should -BeTrue
            $sidecar.volumeMounts[0].mountPropagation | Should -Be 'Bidirectional'
            $sidecar.volumeMounts[1].mountPath | Should -Be '/config/rclone'
            $sidecar.volumeMounts[1].readOnly | Should -BeTrue
            $sidecar.args[0..2] | Should -Be @('mount', "$($sidecar.name -replace '^rclone-'):", $mount)
            $sidecar.args | Should -Contain "--rc-addr=127.0.0.1:$(if ($sidecar.name -eq 'rclone-zurg') { 5572 } else { 5573 })"
            $sidecar.lifecycle.preStop.exec.command | Should -Be @('fusermount3', '-uz', $mount)
            # The probes read the mount table; they never touch the FUSE path (a hung mount
            # must not make a probe hang, nor restart a sidecar whose provider is only slow).
            $sidecar.livenessProbe.exec.command[2] | Should -Match "^awk -v path=$mount -v type=fuse.rclone "
            $sidecar.livenessProbe.exec.command[2] | Should -Match '/proc/self/mountinfo$'
            $sidecar.startupProbe.exec.command[2] | Should -Be $sidecar.livenessProbe.exec.command[2]
            $sidecar.startupProbe.failureThreshold | Should -Be 12
            $sidecar.resources.limits.memory | Should -Be '1Gi'
        }
        $main = $pod.containers[2]
        $main.PSObject.Properties.Name | Should -Not -Contain 'securityContext'
        ($main.volumeMounts | Where-Object mountPath -EQ '/mnt/media').mountPropagation | Should -Be 'HostToContainer'
        $main.livenessProbe.tcpSocket.port | Should -Be 9696
        $main.readinessProbe.initialDelaySeconds | Should -Be 20
        $pod.volumes.name | Should -Be @('media-storage', 'rclone-zurg-config', 'rclone-zurg-cache', 'rclone-config', 'rclone-torbox-cache')
        $pod.volumes[1].secret.defaultMode | Should -Be 256
        $pod.volumes[2].emptyDir.sizeLimit | Should -Be '10Gi'
        Get-Content (Join-Path $repo 'apps/prowlarr/base/deployment.yaml') -Raw | Should -Not -Match '\{\{'
    }

    It 'writes a Service, Route, Kustomization and README that match' {
        New-MediaApp @prowlarr -ClusterDomain example.com | Export-MediaApp -Path $repo
        $base = Join-Path $repo 'apps/prowlarr/base'

        $service = Read-YamlFile (Join-Path $base 'service.yaml')
        $service.spec.ports[0].port | Should -Be 9696
        $service.spec.ports[0].name | Should -Be 'http'
        $route = Read-YamlFile (Join-Path $base 'route.yaml')
        $route.spec.host | Should -Be 'prowlarr.apps.example.com'
        $route.spec.tls.termination | Should -Be 'edge'
        $route.spec.tls.insecureEdgeTerminationPolicy | Should -Be 'Redirect'
        $route.metadata.annotations.'haproxy.router.openshift.io/timeout' | Should -Be '5m'
        $kustomization = Read-YamlFile (Join-Path $base 'kustomization.yaml')
        $kustomization.namespace | Should -Be 'media-stack'
        $kustomization.labels[0].includeSelectors | Should -BeFalse
        foreach ($resource in $kustomization.resources) { Join-Path $base $resource | Should -Exist }
        Get-Content (Join-Path $base 'README.md') -Raw | Should -Match 'https://prowlarr\.apps\.example\.com'
    }

    It 'writes the ArgoCD Application with -ArgoApplication' {
        $files = New-MediaApp @prowlarr | Export-MediaApp -Path $repo -ArgoApplication -RepoUrl https://github.com/example/gitops.git -TargetRevision release

        $files.FullName | Should -Contain (Join-Path $repo 'argocd-apps/prowlarr.yaml')
        $application = Read-YamlFile (Join-Path $repo 'argocd-apps/prowlarr.yaml')
        $application.kind | Should -Be 'Application'
        $application.metadata.namespace | Should -Be 'openshift-gitops'
        $application.spec.source.repoURL | Should -Be 'https://github.com/example/gitops.git'
        $application.spec.source.path | Should -Be 'apps/prowlarr/base'
        $application.spec.source.targetRevision | Should -Be 'release'
        $application.spec.destination.namespace | Should -Be 'media-stack'
        $application.spec.syncPolicy.automated.prune | Should -BeTrue
        $application.spec.syncPolicy.automated.selfHeal | Should -BeTrue
    }

    It 'takes the Argo settings the repository''s own Applications share' {
        $existing = Join-Path $repo 'clusters/home/apps/sonarr.yaml'
        $null = New-Item -ItemType File -Force $existing -Value (@(
            'apiVersion: argoproj.io/v1alpha1', 'kind: Application'
            'metadata: {name: sonarr, namespace: argocd}'
            'spec:', '  project: media'
            '  source: {repoURL: "https://git.example.org/home/gitops.git", targetRevision: stable, path: apps/sonarr}'
            '  destination: {server: "https://kubernetes.default.svc", namespace: media-stack}'
            '  syncPolicy:', '    syncOptions: [CreateNamespace=false]') -join "`n")

        New-MediaApp @prowlarr | Export-MediaApp -Path $repo -ArgoApplication | Out-Null

        $application = Read-YamlFile (Join-Path $repo 'argocd-apps/prowlarr.yaml')
        $application.metadata.namespace | Should -Be 'argocd'
        $application.spec.project | Should -Be 'media'
        $application.spec.source.repoURL | Should -Be 'https://git.example.org/home/gitops.git'
        $application.spec.source.targetRevision | Should -Be 'stable'
        # Their sync policy (manual sync) is kept; ours (automated prune) is not imposed.
        $application.spec.syncPolicy.syncOptions | Should -Be @('CreateNamespace=false')
        $application.spec.syncPolicy.PSObject.Properties.Name | Should -Not -Contain 'automated'
    }

    It 'refuses a second Deployment of the name anywhere in the repository and names the first' {
        $existing = Join-Path $repo 'media/prowlarr.yaml'
        $text = "# handmade`r`napiVersion: v1`r`nkind: Service`r`nmetadata: {name: prowlarr}`r`n---`r`napiVersion: apps/v1`r`nkind: Deployment`r`nmetadata:`r`n  name: prowlarr`r`n  namespace: media-stack`r`nspec: {}`r`n"
        $null = New-Item -ItemType Directory -Force (Split-Path $existing)
        [IO.File]::WriteAllText($existing, $text)

        $output = New-MediaApp @prowlarr | Export-MediaApp -Path $repo -ErrorVariable failures -ErrorAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'DeploymentExists,*'
        "$($failures[0].CategoryInfo.Category)" | Should -Be 'ResourceExists'
        $failures[0].Exception.Message | Should -BeLike "*$existing*"
        $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Get-Files $repo | Should -Be @('media/prowlarr.yaml')
        [IO.File]::ReadAllText($existing) | Should -BeExactly $text
    }

    It 'refuses to export the same app again as AppFolderExists, before asking, and replaces it with -Force' {
        New-MediaApp @prowlarr | Export-MediaApp -Path $repo | Out-Null
        $before = Get-Content (Join-Path $repo 'apps/prowlarr/base/deployment.yaml') -Raw

        New-MediaApp @prowlarr -ClusterDomain example.org | Export-MediaApp -Path $repo -WhatIf -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'AppFolderExists,*'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        New-MediaApp @prowlarr -ClusterDomain example.org | Export-MediaApp -Path $repo -Force | Should -HaveCount 5
        Get-Content (Join-Path $repo 'apps/prowlarr/base/route.yaml') -Raw | Should -Match 'prowlarr.apps.example.org'
    }

    It 'exports a name the repository holds only in another namespace' {
        $existing = Join-Path $repo 'other/prowlarr.yaml'
        $null = New-Item -ItemType File -Force $existing -Value "apiVersion: apps/v1`nkind: Deployment`nmetadata: {name: prowlarr, namespace: lab}`nspec: {}`n"

        New-MediaApp @prowlarr | Export-MediaApp -Path $repo | Should -HaveCount 5
    }

    It 'writes nothing with -WhatIf' {
        $output = New-MediaApp @prowlarr | Export-MediaApp -Path $repo -ArgoApplication -RepoUrl https://github.com/example/gitops.git -WhatIf

        $output | Should -BeNullOrEmpty
        Get-ChildItem $repo -Force | Should -BeNullOrEmpty
    }

    It 'refuses an existing app folder without -Force and changes nothing' {
        $existing = Join-Path $repo 'apps/prowlarr/base/deployment.yaml'
        $null = New-Item -ItemType File -Force $existing -Value "kind: Handmade`n"

        $output = New-MediaApp @prowlarr | Export-MediaApp -Path $repo -ErrorVariable failures -ErrorAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'AppFolderExists,*'
        "$($failures[0].CategoryInfo.Category)" | Should -Be 'ResourceExists'
        Get-Files $repo | Should -Be @('apps/prowlarr/base/deployment.yaml')
        Get-Content $existing -Raw | Should -Be "kind: Handmade`n"
    }

    It 'replaces the base folder with -Force and leaves overlays alone' {
        $overlay = Join-Path $repo 'apps/prowlarr/overlays/prod/kustomization.yaml'
        $null = New-Item -ItemType File -Force $overlay -Value "resources:`n- ../../base`n"
        $null = New-Item -ItemType File -Force (Join-Path $repo 'apps/prowlarr/base/stale.yaml') -Value 'kind: Stale'

        New-MediaApp @prowlarr | Export-MediaApp -Path $repo -Force | Should -HaveCount 5

        Get-Files $repo | Should -Be @(
            'apps/prowlarr/base/README.md', 'apps/prowlarr/base/deployment.yaml', 'apps/prowlarr/base/kustomization.yaml',
            'apps/prowlarr/base/route.yaml', 'apps/prowlarr/base/service.yaml', 'apps/prowlarr/overlays/prod/kustomization.yaml')
    }

    It 'reports an unwritable path as PathNotWritable and writes nothing' {
        $file = Join-Path $repo 'not-a-folder'
        Set-Content $file 'x'

        New-MediaApp @prowlarr | Export-MediaApp -Path $file -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PathNotWritable,*'
        Get-Files $repo | Should -Be @('not-a-folder')
    }

    It 'needs a repository URL for the ArgoCD Application' {
        New-MediaApp @prowlarr | Export-MediaApp -Path $repo -ArgoApplication -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRepoUrl,*'
        Get-ChildItem $repo -Force | Should -BeNullOrEmpty
    }

    It 'exports every app of the pipeline' {
        $files = @(
            New-MediaApp sonarr lscr.io/linuxserver/sonarr:4.0.11 8989
            New-MediaApp radarr lscr.io/linuxserver/radarr:5.16.3 7878
        ) | Export-MediaApp -Path $repo

        $files | Should -HaveCount 10
        Join-Path $repo 'apps/sonarr/base/deployment.yaml' | Should -Exist
        Join-Path $repo 'apps/radarr/base/deployment.yaml' | Should -Exist
    }
}

Describe 'Which config a command used' {
    It '-Verbose names the config file, or says that none was found and the defaults apply' {
        $verbose = New-MediaApp @prowlarr -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match ([regex]::Escape("Stack config: no file at $env:MEDIASTACK_CONFIG; using the default conventions"))

        $null = New-Item -ItemType Directory -Force (Split-Path $env:MEDIASTACK_CONFIG)
        Set-Content $env:MEDIASTACK_CONFIG '{ "namespace": "media" }'
        try {
            $verbose = New-MediaApp @prowlarr -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match ([regex]::Escape("Stack config: $env:MEDIASTACK_CONFIG."))
        }
        finally { Remove-Item $env:MEDIASTACK_CONFIG }
    }
}

Describe 'ConvertTo-MediaManifest' {
    It 'turns an app into one string of Deployment, Service and Route documents' {
        $yaml = New-MediaApp @prowlarr | ConvertTo-MediaManifest

        $yaml | Should -BeOfType string
        @($yaml) | Should -HaveCount 1
        $documents = @(Read-YamlText $yaml)
        $documents.kind | Should -Be @('Deployment', 'Service', 'Route')
        $yaml | Should -Match '(?m)^---$'
        $yaml | Should -Match '(?m)^            cpu: 500m$'
        $yaml | Should -Not -Match ': null'
        $yaml | Should -Match '(?m)^        - "zurg:"$'
    }

    It 'saved with Set-Content, has one kind of line break and exactly one at the end' {
        $file = Join-Path $TestDrive 'prowlarr.yaml'
        New-MediaApp @prowlarr | ConvertTo-MediaManifest | Set-Content $file

        $text = [IO.File]::ReadAllText($file)
        $newLine = [regex]::Escape([Environment]::NewLine)
        $text | Should -Match "[^\r\n]$newLine\z"
        ($text -replace $newLine, '') | Should -Not -Match '[\r\n]'
        @(Read-YamlText $text).kind | Should -Be @('Deployment', 'Service', 'Route')
    }

    It 'puts the documents of every piped app into the one string' {
        $yaml = @(
            New-MediaApp sonarr lscr.io/linuxserver/sonarr:4.0.11 8989
            New-MediaApp radarr lscr.io/linuxserver/radarr:5.16.3 7878 -NoSidecar
        ) | ConvertTo-MediaManifest

        $documents = @(Read-YamlText $yaml)
        $documents | Should -HaveCount 6
        ($documents | Where-Object kind -EQ 'Deployment').metadata.name | Should -Be @('sonarr', 'radarr')
    }
}

Describe 'ConvertTo-MediaManifest output applied with kubectl' {
    BeforeAll {
        # The sandbox cluster (see tests/MediaStack.Sandbox): an API server on 127.0.0.1 with
        # admission rules like a real one. build.ps1 sets MEDIASTACK_SANDBOX.
        $script:sandbox = $env:MEDIASTACK_SANDBOX
        $script:missing = if (-not $sandbox -or -not (Test-Path $sandbox)) { 'MEDIASTACK_SANDBOX does not name the built sandbox' }
        elseif (-not (Get-Command kubectl -ErrorAction Ignore)) { 'kubectl is not installed' }
        if (-not $missing) {
            $folder = Join-Path $TestDrive 'sandbox'
            $null = New-Item -ItemType Directory $folder
            $script:kubeconfig = Join-Path $folder 'kubeconfig'
            $script:savedCache = $env:KUBECACHEDIR
            $env:KUBECACHEDIR = Join-Path $folder 'kube-cache'
            $log = Join-Path $folder 'sandbox.log'
            $script:server = Start-Process dotnet -PassThru -NoNewWindow -RedirectStandardOutput $log -RedirectStandardError (Join-Path $folder 'sandbox.err') `
                -ArgumentList @($sandbox, 'up', '--scenario', 'empty', '--kubeconfig', $kubeconfig, '--runtime', 'host')
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not ((Test-Path $log) -and (Get-Content $log -Raw) -match 'up at') -and [DateTime]::UtcNow -lt $deadline -and -not $server.HasExited) {
                Start-Sleep -Milliseconds 200
            }
            if (-not ((Test-Path $log) -and (Get-Content $log -Raw) -match 'up at')) { $script:missing = "the sandbox did not start: $(Get-Content (Join-Path $folder 'sandbox.err') -Raw)" }
        }

        function Invoke-Kubectl {
            $output = & kubectl --kubeconfig $kubeconfig @args 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
        }
    }

    AfterAll {
        if ($server) {
            $null = & dotnet $sandbox down --kubeconfig $kubeconfig 2>&1
            if (-not $server.WaitForExit(15000)) { Stop-Process -Id $server.Id }
            $env:KUBECACHEDIR = $savedCache
        }
    }

    It 'is accepted by kubectl apply in <Mode> mode, and the stored Deployment keeps every container' -ForEach @(
        @{ Mode = 'Classic'; Name = 'prowlarr'; Options = @{}; Containers = @('rclone-zurg', 'rclone-torbox', 'prowlarr'); Init = @('init-dirs') }
        @{ Mode = 'Native'; Name = 'sonarr'; Options = @{ SidecarMode = 'Native' }; Containers = @('sonarr'); Init = @('init-dirs', 'rclone-zurg', 'rclone-torbox') }
        @{ Mode = 'NoSidecar'; Name = 'overseerr'; Options = @{ NoSidecar = $true }; Containers = @('overseerr'); Init = @() }
    ) {
        if ($missing) { Set-ItResult -Skipped -Because $missing; return }
        $file = Join-Path $TestDrive "$Name.yaml"
        New-MediaApp $Name "lscr.io/linuxserver/${Name}:1.0.0" 8080 -Namespace default @Options | ConvertTo-MediaManifest | Set-Content $file

        $applied = Invoke-Kubectl apply -f $file

        $applied.ExitCode | Should -Be 0 -Because $applied.Output
        $applied.Output | Should -Match "deployment.apps/$Name created"
        $applied.Output | Should -Match "service/$Name created"
        $applied.Output | Should -Match "route.route.openshift.io/$Name created"
        $stored = (Invoke-Kubectl get deployment $Name -n default -o json).Output | ConvertFrom-Json
        $stored.spec.template.spec.containers.name | Should -Be $Containers
        @($stored.spec.template.spec.initContainers.name | Where-Object { $_ }) | Should -Be $Init
        foreach ($sidecar in @($stored.spec.template.spec.containers) + @($stored.spec.template.spec.initContainers) | Where-Object { $_.name -like 'rclone-*' }) {
            $sidecar.volumeMounts[0].mountPropagation | Should -Be 'Bidirectional'
            $sidecar.securityContext.privileged | Should -BeTrue
        }
    }
}
