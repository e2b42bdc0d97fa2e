# Get-MediaStackConfig and Set-MediaStackConfig: defaults, the saved file, partial files,
# invalid files and values (error ids, nothing written), and their effect on New-MediaApp.
BeforeAll {
    Import-Module $env:MEDIASTACK_MODULE -Force
    $script:savedConfigVariable = $env:MEDIASTACK_CONFIG
}

AfterAll {
    $env:MEDIASTACK_CONFIG = $script:savedConfigVariable
}

Describe 'Get-MediaStackConfig' {
    BeforeEach {
        $env:MEDIASTACK_CONFIG = Join-Path $TestDrive "$([guid]::NewGuid().ToString('N'))/config.json"
    }

    It 'returns neutral conventions in the seed layout when nothing is saved' {
        $config = Get-MediaStackConfig

        $config.GetType().Name | Should -Be 'MediaStackConfig'
        $config.Namespace | Should -Be 'media-stack'
        $config.MountRoot | Should -Be '/mnt/media'
        $config.SharedClaim | Should -Be 'media-library-pvc'
        $config.DefaultZone | Should -Be 'zone2'
        $config.ZoneServiceAccounts['zone3'] | Should -Be 'plex'
        $config.PreferredNodes | Should -HaveCount 0
        $config.StackLabel | Should -BeNullOrEmpty
        $config.RcloneImage | Should -Be 'docker.io/rclone/rclone:1.68.2'
        $config.InitImage | Should -Be 'docker.io/library/alpine:3.20'
        $config.VfsCacheMaxSize | Should -Be '5Gi'
        $config.Mounts.Name | Should -Be @('zurg', 'torbox')
        $config.Mounts.Remote | Should -Be @('zurg:', 'torbox:')
        $config.Mounts.RcPort | Should -Be @(5572, 5573)
        $config.Mounts.OkAbove | Should -Be @(1000, 10)
        $config.Mounts.WarnAbove | Should -Be @(100, 0)
        $config.Mounts.ProbePath | Should -Be @('__all__', 'torrents')
        $config.Mounts.Secret | Should -Be @('rclone-zurg-config', 'rclone-config')
        $config.ClusterDomain | Should -BeNullOrEmpty
        $config.TimeZone | Should -Not -Be 'America/New_York'
    }

    It 'says so when -Path is a folder' {
        Get-MediaStackConfig -Path $TestDrive -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ConfigFileNotFound,*'
        $failure[0].Exception.Message | Should -Match 'is a folder'
    }

    It 'completes -Mount with the configured mount names' {
        $null = New-Item -ItemType Directory -Force (Split-Path $env:MEDIASTACK_CONFIG)
        Set-MediaStackConfig -Mounts (@((Get-MediaStackConfig -Default).Mounts) + @{
            Name = 'pcloud'; Remote = 'pcloud:'; MountPath = '/mnt/media/pcloud'; ProbePath = ''
            Secret = 'rclone-pcloud'; SecretVolume = 'rclone-pcloud'; RcPort = 5574; OkAbove = 1; WarnAbove = 0
        })
        foreach ($line in 'Test-MediaMount -Mount ', 'Add-RcloneSidecar -Path x.yaml -Mount p') {
            $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $names | Should -Contain 'pcloud'
        }
        $line = 'Test-MediaMount -Mount '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('pcloud', 'torbox', 'zurg')
    }

    It 'overrides only the fields a partial file names' {
        $null = New-Item -ItemType Directory -Force (Split-Path $env:MEDIASTACK_CONFIG)
        Set-Content $env:MEDIASTACK_CONFIG '{ "namespace": "media", "appResources": { "cpuLimit": "4" } }'

        $config = Get-MediaStackConfig

        $config.Namespace | Should -Be 'media'
        $config.AppResources.CpuLimit | Should -Be '4'
        $config.AppResources.MemoryLimit | Should -Be '2Gi'
        $config.Mounts.Name | Should -Be @('zurg', 'torbox')
    }

    It 'reports an invalid file as ConfigFileInvalid naming <Field>, and returns the defaults' -ForEach @(
        @{ Json = '{ "namespace": '; Field = 'line' }
        @{ Json = '{ "mounts": [ { "name": "zurg", "rcPort": "high" } ] }'; Field = 'mounts[0].rcPort' }
        @{ Json = '{ "defaultZone": "zone9" }'; Field = 'DefaultZone' }
        @{ Json = '{ "colour": "blue" }'; Field = 'colour' }
    ) {
        $null = New-Item -ItemType Directory -Force (Split-Path $env:MEDIASTACK_CONFIG)
        Set-Content $env:MEDIASTACK_CONFIG $Json

        $config = Get-MediaStackConfig -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ConfigFileInvalid,*'
        $failures[0].Exception.Message | Should -Match ([regex]::Escape($Field))
        $config.Namespace | Should -Be 'media-stack'
        $config.DefaultZone | Should -Be 'zone2'
    }

    It 'reads another file with -Path, and says when it is missing' {
        $file = Join-Path $TestDrive 'lab.json'
        Set-Content $file '{ "clusterDomain": "lab.example.com" }'

        (Get-MediaStackConfig -Path $file).ClusterDomain | Should -Be 'lab.example.com'
        Get-MediaStackConfig -Path (Join-Path $TestDrive 'absent.json') -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ConfigFileNotFound,*'
    }

    It 'returns the Seed preset, and completes the preset names' {
        $seed = Get-MediaStackConfig -Preset Seed

        $seed.PreferredNodes | Should -Be @('wow-ocp-node2', 'wow-ocp-node3')
        $seed.StackLabel | Should -Be 'hybrid-media'
        $line = 'Get-MediaStackConfig -Preset '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Neutral', 'Seed')
        $env:MEDIASTACK_CONFIG | Should -Not -Exist
    }

    It 'lists the conventions of a repository with their files and conflicts' {
        $repo = Join-Path $PSScriptRoot '../corpus/sidecars-first/repo'

        $settings = Get-MediaStackConfig -FromRepo $repo

        $settings[0].GetType().Name | Should -Be 'ConventionSetting'
        ($settings | Where-Object Setting -EQ 'Namespace').Value | Should -Be 'media'
        $secretVolume = $settings | Where-Object Setting -EQ 'Mounts.zurg.SecretVolume'
        $secretVolume.Value | Should -Be 'zurg-rclone'
        $secretVolume.Sources | Should -Be @('apps/plex/plex.yaml', 'apps/sonarr/sonarr.yaml')
        $secretVolume.Conflicts.Value | Should -Be 'rclone-zurg-config'
        $secretVolume.Conflicts.Sources | Should -Be 'apps/radarr/radarr.yaml'
        ($settings | Format-Table | Out-String -Width 300) | Should -Match 'SETTING\s+VALUE\s+SOURCES\s+CONFLICTS'
        $env:MEDIASTACK_CONFIG | Should -Not -Exist
    }

    It 'says what the config cannot hold as a repository has it' {
        $repo = Join-Path $PSScriptRoot '../corpus/native-and-odd/repo'

        $null = Get-MediaStackConfig -FromRepo $repo -WarningVariable warnings -WarningAction SilentlyContinue

        $warnings.Message | Should -Contain 'Mounts.nas: /music/share is outside MountRoot /mnt/media; the mount is left out.'
    }

    It 'ignores the saved file with -Default' {
        $null = New-Item -ItemType Directory -Force (Split-Path $env:MEDIASTACK_CONFIG)
        Set-Content $env:MEDIASTACK_CONFIG '{ "namespace": "media" }'

        (Get-MediaStackConfig -Default).Namespace | Should -Be 'media-stack'
    }
}

Describe 'Set-MediaStackConfig' {
    BeforeEach {
        $env:MEDIASTACK_CONFIG = Join-Path $TestDrive "$([guid]::NewGuid().ToString('N'))/config.json"
    }

    It 'saves the fields given on top of the defaults' {
        $result = Set-MediaStackConfig -ClusterDomain example.com -DefaultZone zone3 -PassThru

        $result.ClusterDomain | Should -Be 'example.com'
        $env:MEDIASTACK_CONFIG | Should -Exist
        $saved = Get-Content $env:MEDIASTACK_CONFIG -Raw | ConvertFrom-Json
        $saved.clusterDomain | Should -Be 'example.com'
        $saved.defaultZone | Should -Be 'zone3'
        $saved.namespace | Should -Be 'media-stack'
        (Get-MediaStackConfig).DefaultZone | Should -Be 'zone3'
        Get-ChildItem (Split-Path $env:MEDIASTACK_CONFIG) | Should -HaveCount 1
    }

    It 'keeps earlier changes and clears a field given as an empty string' {
        Set-MediaStackConfig -ClusterDomain example.com
        Set-MediaStackConfig -Namespace media

        (Get-MediaStackConfig).ClusterDomain | Should -Be 'example.com'
        Set-MediaStackConfig -ClusterDomain ''
        $config = Get-MediaStackConfig
        $config.ClusterDomain | Should -BeNullOrEmpty
        $config.Namespace | Should -Be 'media'
    }

    It 'takes mounts as hashtables, and new apps get a sidecar per mount' {
        $mounts = @((Get-MediaStackConfig).Mounts) + @{
            Name = 'pcloud'; Remote = 'pcloud:media'; MountPath = '/mnt/media/pcloud'; ProbePath = ''
            Secret = 'rclone-pcloud'; SecretVolume = 'rclone-pcloud'; RcPort = 5574; OkAbove = 5; WarnAbove = 0
        }

        Set-MediaStackConfig -Mounts $mounts -LightAppResources @{ CpuRequest = '250m'; MemoryRequest = '256Mi'; CpuLimit = '1'; MemoryLimit = '1Gi' }

        (Get-MediaStackConfig).Mounts.Name | Should -Be @('zurg', 'torbox', 'pcloud')
        $app = New-MediaApp prowlarr lscr.io/linuxserver/prowlarr:1.24.3 9696
        $app.Sidecars | Should -Be @('rclone-zurg', 'rclone-torbox', 'rclone-pcloud')
        $main = ($app.Deployment.ToJsonString() | ConvertFrom-Json).spec.template.spec.containers | Where-Object name -EQ 'prowlarr'
        $main.resources.requests.cpu | Should -Be '250m'
    }

    It 'refuses an invalid value as ConfigInvalid naming <Field>, and writes nothing' -ForEach @(
        @{ Arguments = @{ DefaultZone = 'zone9' }; Field = 'DefaultZone' }
        @{ Arguments = @{ Namespace = 'Media Stack' }; Field = 'Namespace' }
        @{ Arguments = @{ RcloneImage = '' }; Field = 'RcloneImage' }
        @{ Arguments = @{ AppResources = @{ CpuRequest = '4'; MemoryRequest = '1Gi'; CpuLimit = '2'; MemoryLimit = '2Gi' } }; Field = 'AppResources.CpuRequest' }
        @{ Arguments = @{ Mounts = @(@{ Name = 'zurg'; Remote = 'zurg:'; MountPath = '/mnt/media'; ProbePath = ''; Secret = 's'; SecretVolume = 's'; RcPort = 0; OkAbove = 1; WarnAbove = 0 }) }; Field = 'Mounts[0].RcPort' }
    ) {
        Set-MediaStackConfig @Arguments -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ConfigInvalid,*'
        $failures[0].Exception.Message | Should -Match ([regex]::Escape($Field))
        $env:MEDIASTACK_CONFIG | Should -Not -Exist
    }

    It 'leaves the file alone with -WhatIf' {
        Set-MediaStackConfig -ClusterDomain example.com -WhatIf

        $env:MEDIASTACK_CONFIG | Should -Not -Exist
    }

    It 'saves a whole config from the pipeline, to -Path' {
        $file = Join-Path $TestDrive 'whole/config.json'

        Get-MediaStackConfig -Default | Set-MediaStackConfig -Path $file

        (Get-Content $file -Raw | ConvertFrom-Json).mounts.name | Should -Be @('zurg', 'torbox')
        $env:MEDIASTACK_CONFIG | Should -Not -Exist
    }

    It 'saves the conventions of a repository, with -WhatIf first, and fields given win' {
        $repo = Join-Path $PSScriptRoot '../corpus/seed-template/repo'

        Set-MediaStackConfig -FromRepo $repo -WhatIf
        $env:MEDIASTACK_CONFIG | Should -Not -Exist
        $saved = Set-MediaStackConfig -FromRepo $repo -RcloneImage docker.io/rclone/rclone:1.68.2 -PassThru

        $saved.PreferredNodes | Should -Be @('wow-ocp-node2', 'wow-ocp-node3')
        $saved.StackLabel | Should -Be 'hybrid-media'
        $saved.RcloneImage | Should -Be 'docker.io/rclone/rclone:1.68.2'
        $saved.InitImage | Should -Be 'docker.io/alpine:latest'
        (Get-MediaStackConfig).StackLabel | Should -Be 'hybrid-media'
        $labels = ((New-MediaApp bazarr lscr.io/linuxserver/bazarr:1.4.5 6767).Deployment.ToJsonString() | ConvertFrom-Json).metadata.labels
        $labels.stack | Should -Be 'hybrid-media'
    }

    It 'saves a preset' {
        Set-MediaStackConfig -Preset Seed
        (Get-MediaStackConfig).PreferredNodes | Should -Be @('wow-ocp-node2', 'wow-ocp-node3')

        Set-MediaStackConfig -Preset Neutral
        (Get-MediaStackConfig).PreferredNodes | Should -HaveCount 0
    }

    It 'refuses to build on an unusable saved file' {
        $null = New-Item -ItemType Directory -Force (Split-Path $env:MEDIASTACK_CONFIG)
        Set-Content $env:MEDIASTACK_CONFIG '{ "namespace": '

        Set-MediaStackConfig -Namespace media -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ConfigFileInvalid,*'
        Get-Content $env:MEDIASTACK_CONFIG -Raw | Should -Be "{ `"namespace`": $([Environment]::NewLine)"
    }
}
