# Invoke-MountDiagnosis and Repair-MediaMount as users drive them: static checks of manifest
# files (the seed template, hand-written broken manifests, a freshly generated app), file
# repairs, and the truth test on the sandbox media-stack scenario: every broken pod's real
# cause is found, the healthy pod has no Error, and after a repair every repairable pod's
# mounts test OK.
BeforeAll {
    Import-Module $env:MEDIASTACK_MODULE -Force
    $script:savedConfigVariable = $env:MEDIASTACK_CONFIG
    $env:MEDIASTACK_CONFIG = Join-Path $TestDrive 'no-config/config.json'
    $script:fixtures = Join-Path $PSScriptRoot '../MediaStack.Core.Tests/Diagnosis/Fixtures'
    function Get-RuleLine([object[]] $Findings) {
        @($Findings | ForEach-Object { '{0} {1} {2}' -f $_.RuleId, $_.Severity, $_.Container } | Sort-Object)
    }
    # The repository-practice rules (pinned images, bounded caches, rollout, root, preStop,
    # start order, unused privilege, RBAC in the files): the tests of mount mechanics leave
    # them out; the homelab-gitops corpus test below shows them.
    $script:practice = 'MS123', 'MS124', 'MS125', 'MS126', 'MS127', 'MS128', 'MS129', 'MS306'
    function Get-MechanicsFinding([object[]] $Findings) { @($Findings | Where-Object RuleId -NotIn $practice) }
}

AfterAll {
    $env:MEDIASTACK_CONFIG = $script:savedConfigVariable
}

Describe 'Invoke-MountDiagnosis -Path (static, no cluster)' {
    It 'finds only the exposed rc API in the seed template' {
        $findings = Get-MechanicsFinding (Invoke-MountDiagnosis -Path (Join-Path $fixtures 'seed-prowlarr.yaml'))

        Get-RuleLine $findings | Should -Be @('MS111 Warning rclone-torbox', 'MS111 Warning rclone-zurg')
        $findings[0].Fixable | Should -BeTrue
        $findings[0].Object | Should -Be 'deployment/prowlarr (seed-prowlarr.yaml)'
    }

    It 'names each mistake of hand-written manifests with its rule id' {
        $findings = Get-MechanicsFinding (Invoke-MountDiagnosis -Path (Join-Path $fixtures 'privilege-mistakes.yaml'), (Join-Path $fixtures 'no-propagation.yaml'))

        Get-RuleLine ($findings | Where-Object Deployment -EQ radarr) |
            Should -Be @('MS103 Error radarr', 'MS104 Error rclone-zurg', 'MS105 Error radarr', 'MS105 Error rclone-zurg', 'MS107 Warning nginx')
        Get-RuleLine ($findings | Where-Object Deployment -EQ sonarr) | Should -Be @('MS103 Error sonarr')
    }

    It 'reads every manifest of a folder, and -IncludePass shows what passed' {
        $findings = Invoke-MountDiagnosis -Path $fixtures -IncludePass

        $findings.Deployment | Sort-Object -Unique | Should -Be @('bazarr', 'homepage', 'plex', 'prowlarr', 'radarr', 'rclone-zurg', 'sonarr')
        ($findings | Where-Object { $_.Deployment -eq 'prowlarr' -and $_.Severity -eq 'Pass' }).Count | Should -BeGreaterThan 10
        (Get-MechanicsFinding ($findings | Where-Object Deployment -EQ 'rclone-zurg')).RuleId | Should -Be 'MS304'
    }

    It 'finds nothing wrong in an app New-MediaApp generates' {
        $repo = Join-Path $TestDrive 'gitops'
        $null = New-MediaApp -Name lidarr -Image lscr.io/linuxserver/lidarr:2.8.2 -Port 8686 | Export-MediaApp -Path $repo

        # Every rule, the repository-practice ones too: pinned images, bounded caches.
        $findings = Invoke-MountDiagnosis -Path (Join-Path $repo 'apps/lidarr/base')

        $findings | Where-Object Severity -In 'Error', 'Warning' | Should -BeNullOrEmpty
    }

    It 'reports a missing path with a stable error id and goes on' {
        $findings = Invoke-MountDiagnosis -Path (Join-Path $TestDrive 'nope.yaml'), (Join-Path $fixtures 'no-sidecars.yaml') -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ManifestPathNotFound*'
        Get-RuleLine (Get-MechanicsFinding $findings) | Should -Be @('MS101 Error ', 'MS101 Error ')
    }

    It 'groups the default table view by pod or Deployment' {
        $text = Invoke-MountDiagnosis -Path (Join-Path $fixtures 'no-sidecars.yaml') | Out-String -Width 200

        $text | Should -Match 'deployment/bazarr \(no-sidecars.yaml\)'
        $text | Should -Match 'MS101'
    }

    It 'reports every point of a home-lab repository with the line of each' {
        $repo = Join-Path $PSScriptRoot '../corpus/homelab-gitops/repo'
        $findings = Invoke-MountDiagnosis -Path $repo

        $findings | Where-Object RuleId -In 'MS107', 'MS111', 'MS122', 'MS123', 'MS124', 'MS125', 'MS126', 'MS127', 'MS128', 'MS129', 'MS301' |
            Where-Object { -not $_.Line -or $_.Location -notmatch '\.yaml:\d+$' } | Should -BeNullOrEmpty
        @($findings.RuleId | Sort-Object -Unique) | Should -Contain 'MS122'
        $overseerr = $findings | Where-Object { $_.Deployment -eq 'overseerr' -and $_.RuleId -eq 'MS301' }
        ($overseerr.Severity, $overseerr.Line, (Split-Path -Leaf $overseerr.File)) | Should -Be @('Error', 18, 'overseerr.yaml')
        # The LimitRange in the repository gives the sidecars their limits.
        $findings | Where-Object RuleId -EQ 'MS114' | Should -BeNullOrEmpty
        # No RBAC is missing from this repository, so nothing says it cannot tell.
        $findings | Where-Object RuleId -EQ 'MS306' | Should -BeNullOrEmpty
    }

    It 'shows the line in the table and file:line in the list view' {
        $file = Join-Path $PSScriptRoot '../corpus/homelab-gitops/repo/apps/overseerr/overseerr.yaml'
        $finding = Invoke-MountDiagnosis -Path $file | Where-Object RuleId -EQ 'MS129'

        $finding | Format-Table | Out-String -Width 200 | Should -Match 'MS129\s+overseerr\s+20 The app container'
        $finding | Format-List | Out-String -Width 300 | Should -Match ('Location\s+: ' + [regex]::Escape("$((Resolve-Path $file).ProviderPath):20"))
    }
}

Describe 'Repair-MediaMount on manifest files' {
    BeforeEach {
        $script:file = Join-Path $TestDrive "$([guid]::NewGuid().ToString('n')).yaml"
        Copy-Item (Join-Path $fixtures 'no-sidecars.yaml') $file
    }

    It '-WhatIf changes nothing' {
        $before = Get-Content -Raw $file

        $result = Invoke-MountDiagnosis -Path $file | Repair-MediaMount -WhatIf

        Get-Content -Raw $file | Should -BeExactly $before
        $result | Should -BeNullOrEmpty
    }

    It 'edits the file so that a second diagnosis is clean, keeping its comment' {
        $result = Invoke-MountDiagnosis -Path $file | Repair-MediaMount -Confirm:$false

        $result.Action | Should -Be 'Repair'
        $result.TargetKind | Should -Be 'File'
        $result.Status | Should -Be 'Changed'
        $result.RuleIds | Should -Be @('MS101')
        Invoke-MountDiagnosis -Path $file | Where-Object Fixable | Should -BeNullOrEmpty
        (Get-Content -Raw $file) | Should -Match '# An app that mounts the media volume but has no rclone sidecar at all'
        (Get-Content -Raw $file) | Should -Match 'name: rclone-torbox'
    }

    It 'passes over findings with no automatic fix, naming the manual step' {
        Copy-Item (Join-Path $fixtures 'hygiene-mistakes.yaml') $file -Force

        $verbose = Invoke-MountDiagnosis -Path $file | Repair-MediaMount -Confirm:$false -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        ($verbose.Message -join "`n") | Should -Match 'MS115 HardNodeSelector: no automatic fix; manual step: Replace the nodeSelector'
        Invoke-MountDiagnosis -Path $file | Where-Object Fixable | Should -BeNullOrEmpty
    }
}

Describe 'Truth test on the sandbox media-stack scenario' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        $script:Sandbox = Start-Sandbox -Scenario media-stack
        # On a busy machine the pods take a while; the findings are about running pods.
        Wait-MediaStackReady $Sandbox
        if (-not $Sandbox.Unavailable) {
            $env:KUBECONFIG_SAVED = $env:KUBECONFIG
            $env:KUBECONFIG = $Sandbox.KubeConfig
            # Radarr's sidecar has to crash at least once before its log says why.
            $script:findings = Wait-SandboxCondition -TimeoutSec 60 -Condition {
                $all = Invoke-MountDiagnosis -Namespace media-stack
                if ($all | Where-Object { $_.Deployment -eq 'radarr' -and $_.RuleId -in 'MS221', 'MS222' }) { $all }
            }
        }
    }

    AfterAll {
        if ($Sandbox -and -not $Sandbox.Unavailable) { $env:KUBECONFIG = $env:KUBECONFIG_SAVED }
        Stop-Sandbox $Sandbox
    }

    It 'names the real cause of every broken pod as an Error' -TestCases @(
        @{ App = 'sonarr'; Rule = 'MS103'; Container = 'sonarr' }         # app without HostToContainer
        @{ App = 'bazarr'; Rule = 'MS101'; Container = $null }            # no sidecars
        @{ App = 'radarr'; Rule = 'MS104'; Container = 'rclone-zurg' }    # unprivileged sidecar
        @{ App = 'overseerr'; Rule = 'MS303'; Container = $null }         # missing secret
        @{ App = 'prowlarr'; Rule = 'MS301'; Container = $null }          # SA without the SCC
    ) {
        param($App, $Rule, $Container)
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        $hit = $findings | Where-Object { $_.Deployment -eq $App -and $_.RuleId -eq $Rule -and $_.Severity -eq 'Error' }
        $hit | Should -Not -BeNullOrEmpty -Because "$App's cause is $Rule"
        if ($Container) { $hit[0].Container | Should -Be $Container }
    }

    It 'backs each cause with runtime evidence' {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        $radarrLog = $findings | Where-Object { $_.Deployment -eq 'radarr' -and $_.RuleId -in 'MS221', 'MS222' }
        $radarrLog.Evidence | Should -Match 'fuse'
        ($findings | Where-Object { $_.Deployment -eq 'sonarr' -and $_.RuleId -eq 'MS242' }).Count | Should -Be 2
        ($findings | Where-Object { $_.Deployment -eq 'overseerr' -and $_.RuleId -eq 'MS211' }).Message | Should -Match "rclone-overseerr-config"
        $prowlarr = $findings | Where-Object { $_.Deployment -eq 'prowlarr' -and $_.RuleId -eq 'MS212' }
        $prowlarr.Object | Should -Be 'deployment/prowlarr'
        $prowlarr.Evidence | Should -Match 'FailedCreate on ReplicaSet/prowlarr-'
        ($findings | Where-Object Deployment -EQ 'rclone-zurg').RuleId | Should -Contain 'MS304'
    }

    It 'diagnoses pods from the pipeline and by name, and nothing else' {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        $piped = Get-MediaPod -App sonarr | Invoke-MountDiagnosis
        $named = Invoke-MountDiagnosis -Name 'sonarr-*'

        $piped.Deployment | Sort-Object -Unique | Should -Be 'sonarr'
        $named.Deployment | Sort-Object -Unique | Should -Be 'sonarr'
        $piped.RuleId | Should -Contain 'MS103'
        $named.RuleId | Should -Contain 'MS103'
        Invoke-MountDiagnosis -Name no-such-pod -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'ClusterObjectNotFound*'
    }

    It 'diagnoses apps from the pipeline, one without pods too, and what Test-MediaMount failed' {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        $app = Get-MediaApp sonarr | Invoke-MountDiagnosis
        $app.Deployment | Sort-Object -Unique | Should -Be 'sonarr'
        $app.RuleId | Should -Contain 'MS103'

        # prowlarr has no pod at all: the app alone is diagnosed, with the SCC as its cause.
        $podless = Get-MediaApp prowlarr | Invoke-MountDiagnosis
        ($podless | Where-Object Severity -EQ 'Error').RuleId | Should -Contain 'MS301'
        $podless.Object | Sort-Object -Unique | Should -Be 'deployment/prowlarr'

        # The failing rows of a mount check, the podless one included, pipe straight in.
        $failing = Test-MediaMount -Namespace media-stack | Where-Object { -not $_.IsHealthy }
        $failing.Name | Should -Contain 'deployment/prowlarr'
        $diagnosed = $failing | Invoke-MountDiagnosis
        $diagnosed.Deployment | Should -Contain 'prowlarr'
        $diagnosed.Deployment | Should -Contain 'bazarr'
        $failingApps = $failing | ForEach-Object { if ($_.MediaPod) { $_.MediaPod.App } else { $_.Name -replace '^deployment/' } }
        $diagnosed.Deployment | Where-Object { $_ -notin $failingApps } | Should -BeNullOrEmpty -Because 'only what failed was piped'

        # An app read from a file is looked up on the cluster by its kind and name.
        $file = Join-Path $TestDrive 'sonarr.yaml'
        Set-Content $file "apiVersion: apps/v1`nkind: Deployment`nmetadata: {name: sonarr}`nspec: {template: {spec: {containers: [{name: sonarr, image: x}]}}}`n"
        (Get-MediaApp -Path $file | Invoke-MountDiagnosis).RuleId | Should -Contain 'MS103'
    }

    It 'finds no Error on the healthy pod' {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        $findings | Where-Object { $_.Deployment -eq 'plex' -and $_.Severity -eq 'Error' } | Should -BeNullOrEmpty
    }

    It 'notes ArgoCD ownership, and the repair refuses the live edit' {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        $env:KUBECACHEDIR = Join-Path $TestDrive "kubecache-$([guid]::NewGuid().ToString('n'))"
        $null = kubectl --kubeconfig $Sandbox.KubeConfig -n media-stack label deployment sonarr app.kubernetes.io/instance=sonarr 2>&1
        try {
            $found = Invoke-MountDiagnosis -Name 'sonarr-*'
            $argo = $found | Where-Object RuleId -EQ 'MS305'
            ($argo.Severity, $argo.Fixable) | Should -Be @('Info', $false)
            $argo.Message | Should -Match "ArgoCD application 'sonarr'"

            $result = $found | Repair-MediaMount -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue

            $refused.FullyQualifiedErrorId | Should -BeLike 'ManagedByArgoCD*'
            $result | Where-Object Status -EQ 'Changed' | Should -BeNullOrEmpty
            (Invoke-MountDiagnosis -Name 'sonarr-*').RuleId | Should -Contain 'MS103'
        }
        finally {
            $null = kubectl --kubeconfig $Sandbox.KubeConfig -n media-stack label deployment sonarr app.kubernetes.io/instance- 2>&1
        }
    }

    It '-WhatIf shows the patch and changes nothing on the cluster' {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        $pod = (Get-MediaPod -App bazarr).Name

        $result = Invoke-MountDiagnosis -Name $pod | Repair-MediaMount -WhatIf -InformationVariable shown 6>$null

        $result | Should -BeNullOrEmpty
        Start-Sleep -Seconds 2
        (Get-MediaPod -App bazarr).Name | Should -Be $pod
        (Invoke-MountDiagnosis -Name $pod).RuleId | Should -Contain 'MS101'
    }

    It 'repairs every repairable pod: Test-MediaMount shows them OK' {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        # As the issue says it: no extra switches. The SCC grant needs -GrantPrivilege, so
        # prowlarr is refused by the preflight and told what to do.
        $results = Invoke-MountDiagnosis | Repair-MediaMount -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue -Verbose 4>&1
        $verbose = $results | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        ($results | Where-Object { $_.Action -eq 'Repair' -and $_.Status -eq 'Changed' }).Name | Sort-Object |
            Should -Be @('bazarr', 'overseerr', 'plex', 'radarr', 'sonarr')
        $refused.FullyQualifiedErrorId | Should -BeLike 'PrivilegeMissing*'
        ($verbose.Message -join "`n") | Should -Match 'serviceaccount/discovery in media-stack: may not run privileged containers; pass -GrantPrivilege'
        $repairable = 'plex', 'sonarr', 'bazarr', 'radarr'
        $reports = Wait-SandboxCondition -TimeoutSec 90 -Condition {
            $now = Get-MediaPod | Where-Object { $_.App -in $repairable -and $_.Phase -eq 'Running' } | Test-MediaMount
            if (@($now | Where-Object IsHealthy).Count -eq $repairable.Count -and @($now).Count -eq $repairable.Count) { $now }
        }
        @($reports).Count | Should -Be $repairable.Count
        foreach ($report in $reports) {
            $report.Mounts.Status | Should -Be @('OK', 'OK') -Because "$($report.Name) was repaired"
        }
    }

    It 'repairs the service account with -GrantPrivilege, and then its pods run OK' {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        $results = Invoke-MountDiagnosis | Repair-MediaMount -GrantPrivilege -Confirm:$false -Wait -TimeoutSec 120 -WarningAction SilentlyContinue

        $grant = $results | Where-Object Action -EQ 'GrantPrivilege'
        ($grant.Name, $grant.Status) | Should -Be @('discovery', 'Changed')
        $report = Wait-SandboxCondition -TimeoutSec 90 -Condition {
            $now = Get-MediaPod -App prowlarr | Where-Object Phase -EQ Running | Test-MediaMount
            if ($now.IsHealthy) { $now }
        }
        $report.Mounts.Status | Should -Be @('OK', 'OK')
        $after = Invoke-MountDiagnosis -TimeoutSec 30
        $after | Where-Object { $_.Deployment -in 'plex', 'sonarr', 'bazarr', 'radarr', 'prowlarr' -and $_.Severity -eq 'Error' } | Should -BeNullOrEmpty
        ($after | Where-Object { $_.Deployment -eq 'overseerr' -and $_.Severity -eq 'Error' }).RuleId | Should -Contain 'MS303'
    }

    It 'finds a stale mount after its rclone is SIGKILLed, and a restart clears it' {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        # sonarr's repaired sidecars do not clear a stale mount themselves (plex's do).
        $pod = (Get-MediaPod -App sonarr | Where-Object Phase -EQ Running).Name
        $null = Invoke-SandboxFault $Sandbox kill-container @{ namespace = 'media-stack'; pod = $pod; container = 'rclone-zurg' }

        $stale = Wait-SandboxCondition -TimeoutSec 60 -Condition {
            $found = Invoke-MountDiagnosis -Name $pod
            if ($found | Where-Object RuleId -EQ 'MS243') { $found }
        }

        $finding = $stale | Where-Object RuleId -EQ 'MS243'
        ($finding.Severity, $finding.Mount, $finding.Container, $finding.Repair) | Should -Be @('Error', 'zurg', 'sonarr', 'RestartPod')
        $finding.Evidence | Should -Match 'Transport endpoint is not connected'
        $result = $stale | Repair-MediaMount -Confirm:$false
        ($result | Where-Object Action -EQ 'RestartPod').Name | Should -Be $pod
        $report = Wait-SandboxCondition -TimeoutSec 60 -Condition {
            $now = Get-MediaPod -App sonarr | Where-Object { $_.Phase -eq 'Running' -and $_.Name -ne $pod } | Test-MediaMount
            if ($now.IsHealthy) { $now }
        }
        $report.zurg.Status | Should -Be 'OK'
    }

    It 'finds a hung mount within its time bound' {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        $null = Invoke-SandboxFault $Sandbox hang-backend @{ backend = 'torbox' }
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $hung = Wait-SandboxCondition -TimeoutSec 60 -Condition {
                $found = Get-MediaPod -App plex | Invoke-MountDiagnosis -TimeoutSec 4
                if ($found | Where-Object { $_.RuleId -eq 'MS244' -and $_.Mount -eq 'torbox' }) { $found }
            }
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 75
            $finding = $hung | Where-Object { $_.RuleId -eq 'MS244' -and $_.Mount -eq 'torbox' }
            $finding.Severity | Should -Be 'Error'
            $finding.Evidence | Should -Match 'TIMEOUT'
        }
        finally {
            $null = Invoke-SandboxFault $Sandbox restore-backend @{ backend = 'torbox' }
        }
    }

    It 'names a stopped backend from the sidecar log' {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        $null = Invoke-SandboxFault $Sandbox stop-backend @{ backend = 'zurg' }
        try {
            $found = Wait-SandboxCondition -TimeoutSec 60 -Condition {
                $all = Get-MediaPod -App plex | Invoke-MountDiagnosis -TimeoutSec 4
                if ($all | Where-Object RuleId -EQ 'MS229') { $all }
            }
            $finding = $found | Where-Object RuleId -EQ 'MS229'
            ($finding.Severity, $finding.Container) | Should -Be @('Error', 'rclone-zurg')
            $finding.Evidence | Should -Match 'connection refused'
            $finding.Fixable | Should -BeFalse
        }
        finally {
            $null = Invoke-SandboxFault $Sandbox restore-backend @{ backend = 'zurg' }
        }
    }
}
