# Add-RcloneSidecar and Remove-RcloneSidecar as users drive them: manifest files compared
# byte for byte, MediaApp objects from the pipeline, error ids, and the sandbox cluster end
# to end (the app gets its sidecars, rolls out, and Test-MediaMount turns OK).
BeforeAll {
    Import-Module $env:MEDIASTACK_MODULE -Force

    # A config file of our own, so a saved config on this machine cannot change the results.
    $script:savedConfigVariable = $env:MEDIASTACK_CONFIG
    $env:MEDIASTACK_CONFIG = Join-Path $TestDrive 'no-config/config.json'

    $core = (Get-MediaStackConfig -Default).GetType().Assembly
    $script:yamlReader = $core.GetType('MediaStack.Core.Yaml.YamlReader', $true)
    function Read-Deployment([string] $Path) {
        $script:yamlReader::ReadFile($Path) | ForEach-Object { $_.ToJsonString() | ConvertFrom-Json } | Where-Object kind -EQ 'Deployment'
    }

    # A kustomize base the way people write them by hand: 4-space indentation, indented
    # sequences, comments, flow collections, quoted strings, a Service before the Deployment.
    $script:bazarr = @'
# bazarr: subtitles for sonarr/radarr
apiVersion: v1
kind: Service
metadata: {name: bazarr, namespace: media-stack}
spec:
    ports: [{port: 6767, name: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
    name: bazarr
    namespace: 'media-stack'
    labels:
        app: bazarr    # selector label

spec:
    replicas: 1
    template:
        metadata:
            labels:
                app: bazarr
        spec:
            serviceAccountName: "managers"
            containers:
                # the app itself
                -   name: bazarr
                    image: "lscr.io/linuxserver/bazarr:latest"
                    args: ["--debug"]
                    volumeMounts:
                        -   name: media-storage
                            mountPath: /mnt/media   # no propagation yet
                -   name: nginx
                    image: nginx:1.27
            volumes:
                -   name: media-storage
                    persistentVolumeClaim:
                        claimName: media-library-pvc
'@ -replace "`r`n", "`n"

    function New-Base([string] $Text = $script:bazarr, [string] $File = 'deployment.yaml') {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory $folder
        [IO.File]::WriteAllText((Join-Path $folder $File), $Text)
        $folder
    }
}

AfterAll {
    $env:MEDIASTACK_CONFIG = $script:savedConfigVariable
}

Describe 'Add-RcloneSidecar on manifest files' {
    It 'adds init-dirs, both sidecars, the secret volumes and HostToContainer, and keeps everything else byte for byte' {
        $base = New-Base
        $file = Join-Path $base 'deployment.yaml'

        $result = Add-RcloneSidecar -Path $base -Confirm:$false

        $result.Status | Should -Be 'Changed'
        $result.TargetKind | Should -Be 'File'
        $result.Target | Should -Be $file
        $result.AppContainer | Should -Be 'bazarr'
        $result.Changes | Should -Contain 'bazarr: /mnt/media propagation None -> HostToContainer (MS103)'
        $result.Changes | Should -Contain 'rclone-zurg: added (classic sidecar, zurg: on /mnt/media/zurg) (MS101)'
        $result.RuleIds | Should -Be @('MS101', 'MS103')
        $result.Action | Should -Be 'AddSidecars'
        $after = Get-Content $file -Raw
        $deployment = Read-Deployment $file
        $deployment.spec.template.spec.containers.name | Should -Be @('rclone-zurg', 'rclone-torbox', 'bazarr', 'nginx')
        $deployment.spec.template.spec.initContainers.name | Should -Be @('init-dirs')
        $deployment.spec.template.spec.volumes.name | Should -Be @('media-storage', 'rclone-zurg-config', 'rclone-zurg-cache', 'rclone-config', 'rclone-torbox-cache')
        $zurg = $deployment.spec.template.spec.containers[0]
        $zurg.securityContext.privileged | Should -BeTrue
        $zurg.args | Should -Contain '--rc-addr=127.0.0.1:5572'
        $zurg.lifecycle.preStop.exec.command | Should -Be @('fusermount3', '-uz', '/mnt/media/zurg')
        ($zurg.volumeMounts | Where-Object mountPath -EQ '/mnt/media').mountPropagation | Should -Be 'Bidirectional'
        # Untouched text stays as it was: comments, quoting, flow style, the blank line.
        $after | Should -Match ([regex]::Escape("metadata: {name: bazarr, namespace: media-stack}`nspec:`n    ports: [{port: 6767, name: http}]"))
        $after | Should -Match ([regex]::Escape("    labels:`n        app: bazarr    # selector label`n`nspec:"))
        $after | Should -Match ([regex]::Escape("                # the app itself`n                -   name: bazarr`n                    image: `"lscr.io/linuxserver/bazarr:latest`"`n                    args: [`"--debug`"]"))
        $after | Should -Match ([regex]::Escape("mountPath: /mnt/media   # no propagation yet`n                            mountPropagation: HostToContainer`n"))
    }

    It 'says UpToDate on a second run and does not touch the file' {
        $base = New-Base
        $file = Join-Path $base 'deployment.yaml'
        $null = Add-RcloneSidecar -Path $base
        $before = Get-FileHash $file
        $stamp = (Get-Item $file).LastWriteTimeUtc

        $second = Add-RcloneSidecar -Path $base

        $second.Status | Should -Be 'UpToDate'
        $second.Changes | Should -BeNullOrEmpty
        (Get-FileHash $file).Hash | Should -Be $before.Hash
        (Get-Item $file).LastWriteTimeUtc | Should -Be $stamp
    }

    It 'Remove-RcloneSidecar gives back the original file byte for byte' {
        $base = New-Base
        $file = Join-Path $base 'deployment.yaml'
        $null = Add-RcloneSidecar -Path $base -SidecarMode Native

        # The HostToContainer Add gave the app stays (harmless) unless asked to go.
        $removed = Remove-RcloneSidecar -Path $base
        $removed.Status | Should -Be 'Changed'
        [IO.File]::ReadAllText($file) | Should -BeExactly ($script:bazarr -replace '(mountPath: /mnt/media   # no propagation yet\n)', "`$1                            mountPropagation: HostToContainer`n")

        $null = Remove-RcloneSidecar -Path $base -ResetPropagation
        [IO.File]::ReadAllText($file) | Should -BeExactly $script:bazarr
    }

    It 'keeps CRLF line ends and edits only the Deployment document' {
        $crlf = $script:bazarr -replace "`n", "`r`n"
        $base = New-Base $crlf
        $file = Join-Path $base 'deployment.yaml'

        $null = Add-RcloneSidecar -Path $file

        $text = [IO.File]::ReadAllText($file)
        ($text -split "`r`n").Count | Should -Be (($text -split "`n").Count)
        $text | Should -BeLike "# bazarr: subtitles for sonarr/radarr`r`napiVersion: v1`r`nkind: Service`r`n*"
        $null = Remove-RcloneSidecar -Path $file -ResetPropagation
        [IO.File]::ReadAllText($file) | Should -BeExactly $crlf
    }

    It '-WhatIf prints the exact diff and writes nothing' {
        $base = New-Base
        $file = Join-Path $base 'deployment.yaml'
        $pwsh = [Environment]::ProcessPath
        $arguments = @()
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments += [Reflection.Assembly]::GetEntryAssembly().Location }
        $script = "Import-Module '$env:MEDIASTACK_MODULE'; Set-Location '$base'; Add-RcloneSidecar -Path deployment.yaml -WhatIf"
        $output = & $pwsh @arguments -NoProfile -NonInteractive -Command $script 2>&1 | Out-String

        $output | Should -Match "What if: Add rclone sidecars to deployment/bazarr in "
        $output | Should -Match ([regex]::Escape("--- a/deployment.yaml"))
        $output | Should -Match ([regex]::Escape("+++ b/deployment.yaml"))
        $output | Should -Match ([regex]::Escape("+                -   name: rclone-zurg"))
        $output | Should -Match ([regex]::Escape("+                            mountPropagation: HostToContainer"))
        [IO.File]::ReadAllText($file) | Should -BeExactly $script:bazarr
    }

    It 'takes files from Get-ChildItem and only the chosen mounts' {
        $base = New-Base

        $result = Get-ChildItem $base -Filter *.yaml | Add-RcloneSidecar -Mount torbox

        $result.Status | Should -Be 'Changed'
        $deployment = Read-Deployment (Join-Path $base 'deployment.yaml')
        $deployment.spec.template.spec.containers.name | Should -Be @('rclone-torbox', 'bazarr', 'nginx')
        $deployment.spec.template.spec.volumes.name | Should -Be @('media-storage', 'rclone-config', 'rclone-torbox-cache')
    }

    It 'corrects a wrong sidecar in place instead of adding a second one' {
        $wrong = $script:bazarr -replace '(?m)^            containers:\n', @'
            containers:
                -   name: rclone-zurg
                    image: docker.io/rclone/rclone:latest
                    args: [mount, "zurg:", /mnt/media/zurg, --config=/config/rclone/rclone.conf, --allow-other, --vfs-cache-mode=full, --poll-interval=10s, --dir-cache-time=10s, --attr-timeout=10s, --rc, --rc-no-auth, "--rc-addr=:5572", --log-level=INFO]
                    volumeMounts:
                        -   {name: media-storage, mountPath: /mnt/media}
                    lifecycle:
                        preStop:
                            exec:
                                command: [fusermount, -uz, /mnt/media/zurg]

'@
        $base = New-Base $wrong

        $result = Add-RcloneSidecar -Path $base -Mount zurg

        # Only its defects are fixed, each naming its rule; its own args, image and log level stay.
        $result.Changes | Should -Contain 'rclone-zurg: set privileged (MS104)'
        $result.Changes | Should -Contain 'rclone-zurg: /mnt/media propagation None -> Bidirectional (MS102)'
        $result.Changes | Should -Contain 'rclone-zurg: rc bound to 127.0.0.1 (MS111)'
        $result.Changes | Should -Contain 'rclone-zurg: fusermount -> fusermount3 (MS112)'
        $result.Changes | Should -Contain 'rclone-zurg: mount rclone-zurg-config at /config/rclone (MS110)'
        $result.Changes | Should -Contain 'volumes: added rclone-zurg-config (secret rclone-zurg-config) (MS110)'
        $result.Changes | Should -Not -Match 'livenessProbe|startupProbe|resources|log-level'
        $deployment = Read-Deployment (Join-Path $base 'deployment.yaml')
        @($deployment.spec.template.spec.containers | Where-Object name -EQ 'rclone-zurg').Count | Should -Be 1
        (Add-RcloneSidecar -Path $base -Mount zurg).Status | Should -Be 'UpToDate'
    }
}

Describe 'Bad input on files: a clear error and nothing written' {
    It 'a path that does not exist is ManifestPathNotFound' {
        Add-RcloneSidecar -Path (Join-Path $TestDrive 'nowhere') -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ManifestPathNotFound,*'
        $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'YAML that does not parse is YamlSyntaxError with file, line and column' {
        $broken = "apiVersion: apps/v1`nkind: Deployment`nspec:`n  template: [oops`n  replicas: 1`n"
        $base = New-Base $broken
        Add-RcloneSidecar -Path $base -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'YamlSyntaxError,*'
        $failure[0].Exception.Message | Should -Match 'deployment\.yaml\((4|5),\d+\): '
        [IO.File]::ReadAllText((Join-Path $base 'deployment.yaml')) | Should -BeExactly $broken
    }

    It 'a file with no Deployment is NoDeploymentInFile' {
        $base = New-Base "apiVersion: v1`nkind: Service`nmetadata: {name: x}`n" 'service.yaml'
        Add-RcloneSidecar -Path $base -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'NoDeploymentInFile,*'
    }

    It 'a name not found is said even when other documents are broken' {
        $base = New-Base ("apiVersion: apps/v1`nkind: Deployment`nmetadata: [oops]`nspec: {}`n---`n" + $script:bazarr)
        Remove-RcloneSidecar -Path $base -Name nope -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures.FullyQualifiedErrorId | Where-Object { $_ -like 'DeploymentNotFound,*' } | Should -HaveCount 1
        ($failures | Where-Object FullyQualifiedErrorId -Like 'DeploymentNotFound,*').Exception.Message | Should -Match "No workload named 'nope' .* among the documents that could be read"
        $failures.Count | Should -Be 2
    }

    It 'a workload that does not read the media root is skipped, saying so; -AppContainer makes it a media app' {
        $odd = $script:bazarr -replace '-   name: bazarr', '-   name: web' -replace '(?m)^\s+volumeMounts:\n.*\n.*# no propagation yet\n', ''
        $base = New-Base $odd
        $file = Join-Path $base 'deployment.yaml'

        $skipped = Add-RcloneSidecar -Path $base

        $skipped.Status | Should -Be 'Skipped'
        $skipped.Reason | Should -Match 'not a media workload .*-AppContainer'
        [IO.File]::ReadAllText($file) | Should -BeExactly $odd
        Add-RcloneSidecar -Path $base -AppContainer nosuch -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'AppContainerNotFound,*'
        $failure[0].ErrorDetails.RecommendedAction | Should -Be '-AppContainer web'
        [IO.File]::ReadAllText($file) | Should -BeExactly $odd
        $result = Add-RcloneSidecar -Path $base -AppContainer web
        $result.AppContainer | Should -Be 'web'
        $result.Changes | Should -Contain 'web: mount media-storage at /mnt/media (HostToContainer) (MS103)'
    }

    It 'edits a UTF-16 file from Windows PowerShell 5.1 in UTF-16; a cp1252 file is FileEncodingInvalid, untouched, and the next file goes on' {
        $unicode = [Text.UnicodeEncoding]::new($false, $true)
        $utf16 = Join-Path (New-Base) 'deployment.yaml'
        [IO.File]::WriteAllText($utf16, ($script:bazarr -replace "`n", "`r`n"), $unicode)
        $ansi = Join-Path (New-Base) 'deployment.yaml'
        $bytes = [Text.Encoding]::Latin1.GetBytes("# café`n" + $script:bazarr)
        [IO.File]::WriteAllBytes($ansi, $bytes)

        $result = Add-RcloneSidecar -Path $ansi, $utf16 -PassThru -ErrorVariable failure -ErrorAction SilentlyContinue

        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'FileEncodingInvalid,*'
        $failure[0].TargetObject | Should -Be $ansi
        [Convert]::ToBase64String([IO.File]::ReadAllBytes($ansi)) | Should -Be ([Convert]::ToBase64String($bytes))
        @($result).Count | Should -Be 1
        $after = [IO.File]::ReadAllBytes($utf16)
        $after[0..1] | Should -Be @(0xFF, 0xFE)
        $text = $unicode.GetString($after, 2, $after.Length - 2)
        $text | Should -Match 'name: rclone-zurg'
        ($text -split "`r`n").Count | Should -Be (($text -split "`n").Count)
    }

    It 'a read-only file is PathNotWritable and stays as it was' -Skip:($IsWindows) {
        $base = New-Base
        $file = Join-Path $base 'deployment.yaml'
        [IO.File]::SetUnixFileMode($file, [IO.UnixFileMode]'UserRead, GroupRead, OtherRead')

        Add-RcloneSidecar -Path $base -ErrorVariable failure -ErrorAction SilentlyContinue

        $failure[0].FullyQualifiedErrorId | Should -BeLike 'PathNotWritable,*'
        [IO.File]::ReadAllText($file) | Should -BeExactly $script:bazarr
        @(Get-ChildItem $base -Force).Name | Should -Be @('deployment.yaml')
    }

    It 'an unknown mount name is UnknownMount' {
        $base = New-Base
        Add-RcloneSidecar -Path $base -Mount gdrive -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'UnknownMount,*'
    }
}

Describe 'MediaApp objects from the pipeline' {
    It 'gives New-MediaApp -NoSidecar exactly the sidecars New-MediaApp generates (<Mode>)' -ForEach @(
        @{ Mode = 'Classic' }
        @{ Mode = 'Native' }
    ) {
        $generated = New-MediaApp sonarr lscr.io/linuxserver/sonarr:latest 8989 -SidecarMode $Mode
        $added = New-MediaApp sonarr lscr.io/linuxserver/sonarr:latest 8989 -NoSidecar | Add-RcloneSidecar -SidecarMode $Mode -PassThru

        $added.GetType().Name | Should -Be 'MediaApp'
        $added.SidecarMode | Should -Be $Mode
        $added.Sidecars | Should -Be $generated.Sidecars
        $containers = ($added.Deployment.ToJsonString() | ConvertFrom-Json).spec.template.spec
        $expected = ($generated.Deployment.ToJsonString() | ConvertFrom-Json).spec.template.spec
        ($containers.containers | ConvertTo-Json -Depth 20) | Should -Be ($expected.containers | ConvertTo-Json -Depth 20)
        ($containers.initContainers | ConvertTo-Json -Depth 20) | Should -Be ($expected.initContainers | ConvertTo-Json -Depth 20)
        ($containers.volumes | ConvertTo-Json -Depth 20) | Should -Be ($expected.volumes | ConvertTo-Json -Depth 20)
        ($generated | Add-RcloneSidecar).Status | Should -Be 'UpToDate'
    }

    It 'Remove-RcloneSidecar -PassThru gives the app New-MediaApp -NoSidecar would have made' {
        $removed = New-MediaApp sonarr lscr.io/linuxserver/sonarr:latest 8989 | Remove-RcloneSidecar -ResetPropagation -PassThru
        $bare = New-MediaApp sonarr lscr.io/linuxserver/sonarr:latest 8989 -NoSidecar

        $removed.Sidecars | Should -BeNullOrEmpty
        $removed.SidecarMode | Should -BeNullOrEmpty
        ($removed.Deployment.ToJsonString() | ConvertFrom-Json | ConvertTo-Json -Depth 30) | Should -Be ($bare.Deployment.ToJsonString() | ConvertFrom-Json | ConvertTo-Json -Depth 30)
    }

    It 'an app read from a file with Get-MediaApp -Path is changed in its file' {
        $base = New-Base ($script:bazarr -replace '(?m)^    replicas: 1\n', '')
        $file = Join-Path $base 'deployment.yaml'

        $app = Get-MediaApp -Path $file | Add-RcloneSidecar -PassThru

        $app.Source | Should -Be 'File'
        $app.Path | Should -Be $file
        $app.Sidecars | Should -Contain 'rclone-zurg'
        (Read-Deployment $file).spec.template.spec.containers.name | Should -Contain 'rclone-zurg'
    }

    It '-WhatIf on an object changes nothing and emits nothing' {
        New-MediaApp sonarr lscr.io/linuxserver/sonarr:latest 8989 -NoSidecar | Add-RcloneSidecar -WhatIf | Should -BeNullOrEmpty
    }
}

Describe 'On the sandbox cluster' -Tag Sandbox {
    BeforeAll {
        $script:skip = $null
        $script:sandbox = $null
        $dll = $env:MEDIASTACK_SANDBOX
        if (-not $IsLinux) { $script:skip = 'the sandbox cluster runs only on Linux' }
        elseif (-not $dll -or -not (Test-Path $dll)) { $script:skip = 'MEDIASTACK_SANDBOX is not set to the built sandbox (run through build.ps1 -Task Test)' }
        else {
            $state = Join-Path $TestDrive 'sandbox'
            $null = New-Item -ItemType Directory $state
            $script:kubeconfig = Join-Path $state 'kubeconfig'
            $log = Join-Path $state 'up.log'
            $scenario = Join-Path $PSScriptRoot 'scenarios/sidecars.yaml'
            $script:sandbox = Start-Process dotnet -ArgumentList @($dll, 'up', '--scenario', $scenario, '--kubeconfig', $script:kubeconfig, '--runtime', 'linux') `
                -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ([DateTime]::UtcNow -lt $deadline -and -not $script:sandbox.HasExited -and -not ((Get-Content $log -Raw -ErrorAction Ignore) -match 'sandbox: up at')) {
                Start-Sleep -Milliseconds 250
            }
            if (-not ((Get-Content $log -Raw -ErrorAction Ignore) -match 'sandbox: up at')) {
                $why = (Get-Content "$log.err" -Raw -ErrorAction Ignore) -replace '\s+', ' '
                $script:skip = "the sandbox did not start: $why"
            }
        }
        # Test-MediaMount takes pods from the pipeline and needs the same cluster.
        $script:savedKubeConfig = $env:KUBECONFIG
        $env:KUBECONFIG = $script:kubeconfig
        $script:cluster = @{ Namespace = 'media-stack' }
        function Get-Live([string] $Name) {
            (Get-MediaApp -Name $Name @script:cluster).Deployment.ToJsonString() | ConvertFrom-Json
        }
    }

    AfterAll {
        $env:KUBECONFIG = $script:savedKubeConfig
        if ($script:sandbox -and -not $script:sandbox.HasExited) {
            $null = & dotnet $env:MEDIASTACK_SANDBOX down --kubeconfig $script:kubeconfig 2>&1
            if (-not $script:sandbox.WaitForExit(20000)) { Stop-Process -Id $script:sandbox.Id -Force }
        }
    }

    It 'the app without sidecars gets them, rolls out, and Test-MediaMount turns OK' {
        if ($script:skip) { Set-ItResult -Skipped -Because $script:skip; return }
        $before = Get-MediaPod @script:cluster | Where-Object Name -Like 'bazarr-*' | Test-MediaMount
        $before.Status | Should -Not -Be 'OK'

        $result = Add-RcloneSidecar -Name bazarr @script:cluster -Wait -TimeoutSec 180

        $result.Status | Should -Be 'Changed'
        $result.Pods.Count | Should -Be 1
        $live = Get-Live bazarr
        $live.spec.template.spec.containers.name | Should -Be @('rclone-zurg', 'rclone-torbox', 'bazarr')
        $status = Get-MediaPod @script:cluster | Where-Object Name -EQ $result.Pods[0] | Test-MediaMount -TimeoutSec 30
        ($status.Mounts | Where-Object Mount -EQ 'zurg').Status | Should -Be 'OK'
        ($status.Mounts | Where-Object Mount -EQ 'torbox').Status | Should -Be 'OK'
        (Add-RcloneSidecar -Name bazarr @script:cluster).Status | Should -Be 'UpToDate'
    }

    It 'the app without HostToContainer is fixed the same way' {
        if ($script:skip) { Set-ItResult -Skipped -Because $script:skip; return }
        $result = Add-RcloneSidecar -Name sonarr @script:cluster -Wait -TimeoutSec 180

        $result.Changes | Should -Contain 'sonarr: /mnt/media propagation None -> HostToContainer (MS103)'
        $live = Get-Live sonarr
        (($live.spec.template.spec.containers | Where-Object name -EQ 'sonarr').volumeMounts | Where-Object mountPath -EQ '/mnt/media').mountPropagation | Should -Be 'HostToContainer'
        $status = Get-MediaPod @script:cluster | Where-Object Name -EQ $result.Pods[0] | Test-MediaMount -TimeoutSec 30
        ($status.Mounts | Where-Object Mount -EQ 'zurg').Status | Should -Be 'OK'
    }

    It 'the ArgoCD-managed app is refused without -Force, naming the application' {
        if ($script:skip) { Set-ItResult -Skipped -Because $script:skip; return }
        $generation = (Get-Live lidarr).metadata.generation

        Add-RcloneSidecar -Name lidarr @script:cluster -ErrorVariable failure -ErrorAction SilentlyContinue

        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ManagedByArgoCD,*'
        $failure[0].Exception.Message | Should -Match "ArgoCD application 'media-lidarr'"
        $failure[0].ErrorDetails.RecommendedAction | Should -Match '-Path'
        (Get-Live lidarr).metadata.generation | Should -Be $generation
        $forced = Add-RcloneSidecar -Name lidarr @script:cluster -Force -WarningVariable warned -WarningAction SilentlyContinue
        $forced.Status | Should -Be 'Changed'
        $warned | Should -Match 'self-heal'
    }

    It 'the service account without the SCC is reported, and fixed with -GrantPrivilege' {
        if ($script:skip) { Set-ItResult -Skipped -Because $script:skip; return }
        Add-RcloneSidecar -Name prowlarr @script:cluster -ErrorVariable failure -ErrorAction SilentlyContinue

        $failure[0].FullyQualifiedErrorId | Should -BeLike 'PrivilegeMissing,*'
        $failure[0].ErrorDetails.RecommendedAction | Should -Match 'oc adm policy add-scc-to-user privileged -z discovery -n media-stack'

        # Granting privileges is High impact: it asks unless told not to.
        $result = Add-RcloneSidecar -Name prowlarr @script:cluster -GrantPrivilege -Wait -TimeoutSec 180 -Confirm:$false

        $result.PrivilegeGranted | Should -Match 'RoleBinding system:openshift:scc:privileged'
        $result.Pods.Count | Should -Be 1
        $status = Get-MediaPod @script:cluster | Where-Object Name -EQ $result.Pods[0] | Test-MediaMount -TimeoutSec 30
        ($status.Mounts | Where-Object Mount -EQ 'zurg').Status | Should -Be 'OK'
    }

    It 'a Deployment that does not exist is DeploymentNotFound' {
        if ($script:skip) { Set-ItResult -Skipped -Because $script:skip; return }
        Add-RcloneSidecar -Name nothere @script:cluster -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'DeploymentNotFound,*'
        $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'a rollout that cannot finish is an error that says why' {
        if ($script:skip) { Set-ItResult -Skipped -Because $script:skip; return }
        # overseerr still declares its own secret volume, and that secret does not exist.
        $result = Add-RcloneSidecar -Name overseerr @script:cluster -Wait -TimeoutSec 15 -ErrorVariable failure -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'RolloutTimedOut,*'
        $failure[0].Exception.Message | Should -Match 'within 15 s'
        $failure[0].Exception.Message | Should -Match 'rclone-overseerr-config'
    }

    It 'Remove-RcloneSidecar takes them off again in one patch and rolls out' {
        if ($script:skip) { Set-ItResult -Skipped -Because $script:skip; return }
        $result = Remove-RcloneSidecar -Name bazarr @script:cluster -Wait -TimeoutSec 180

        $result.Status | Should -Be 'Changed'
        $live = Get-Live bazarr
        $live.spec.template.spec.containers.name | Should -Be @('bazarr')
        $live.spec.template.spec.initContainers | Should -BeNullOrEmpty
        $live.spec.template.spec.volumes.name | Should -Be @('media-storage')
    }

    It '-WhatIf prints the JSON patch with its resourceVersion test and changes nothing' {
        if ($script:skip) { Set-ItResult -Skipped -Because $script:skip; return }
        $generation = (Get-Live bazarr).metadata.generation
        $pwsh = [Environment]::ProcessPath
        $arguments = @()
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments += [Reflection.Assembly]::GetEntryAssembly().Location }
        $script = "Import-Module '$env:MEDIASTACK_MODULE'; Add-RcloneSidecar -Name bazarr -Namespace media-stack -KubeConfig '$($script:kubeconfig)' -WhatIf"
        $output = & $pwsh @arguments -NoProfile -NonInteractive -Command $script 2>&1 | Out-String

        $output | Should -Match "What if: Add rclone sidecars to deployment/bazarr in https://127\.0\.0\.1:\d+ \(media-stack/bazarr\): patch \(application/json-patch\+json\)"
        $output | Should -Match '"op": "test",\s+"path": "/metadata/resourceVersion"'
        (Get-Live bazarr).metadata.generation | Should -Be $generation
    }
}
