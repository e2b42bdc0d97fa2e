# Test-MediaMount told the truth: run against the sandbox's media-stack scenario, where real
# rclone FUSE mounts, real mount propagation and real faults decide every status.
BeforeAll {
    Import-Module $env:MEDIASTACK_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
    $script:Sandbox = Start-Sandbox -Scenario media-stack
    $script:Cluster = @{ KubeConfig = $Sandbox.KubeConfig; Namespace = 'media-stack' }

    function Get-Pod([string] $App) { Get-MediaPod -App $App @Cluster | Where-Object Phase -EQ Running | Select-Object -First 1 }

    Wait-MediaStackReady $Sandbox
}

AfterAll {
    Stop-Sandbox $Sandbox
}

Describe 'Test-MediaMount on the media-stack scenario' -Tag Sandbox {
    BeforeEach {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable }
    }

    It 'grades the healthy pod OK with the real entry counts, seen from the app container' {
        if ($Sandbox.Unavailable) { return }
        $report = Get-Pod plex | Test-MediaMount @Cluster

        $report.Container | Should -Be 'plex'
        $report.zurg.Status | Should -Be 'OK'
        $report.zurg.Entries | Should -Be 25000
        $report.zurg.FsType | Should -Be 'fuse.rclone'
        $report.zurg.Path | Should -Be '/mnt/media/zurg/__all__'
        $report.torbox.Status | Should -Be 'OK'
        $report.torbox.Entries | Should -Be 60
        $report.Mounts.LatencyMs | ForEach-Object { $_ | Should -BeGreaterOrEqual 0 }
        ($report | Format-Table | Out-String) | Should -Match 'OK \(25000\)\s+OK \(60\)'
    }

    It 'checks only the mounts asked for, and lists them in one column' {
        if ($Sandbox.Unavailable) { return }
        $report = Get-Pod plex | Test-MediaMount @Cluster -Mount zurg
        $report.Mounts.Mount | Should -Be @('zurg')
        ($report | Out-String -Width 200) | Should -Match 'POD\s+NODE\s+MOUNTS[\s\S]*zurg=OK \(25000\)'
        { Test-MediaMount @Cluster -Mount nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownMount,*'
    }

    It 'reports NOTMOUNTED for the app without HostToContainer although its sidecar sees the mount' {
        if ($Sandbox.Unavailable) { return }
        $sonarr = Get-Pod sonarr
        $report = $sonarr | Test-MediaMount @Cluster

        $report.Container | Should -Be 'sonarr'
        $report.zurg.Status | Should -Be 'NOTMOUNTED'
        $report.torbox.Status | Should -Be 'NOTMOUNTED'
        $report.zurg.Reason | Should -Match 'HostToContainer'
        # '--' quoted: PowerShell would swallow a bare one.
        $sidecar = Invoke-SandboxKubectl $Sandbox exec -n media-stack $sonarr.Name -c rclone-zurg '--' sh -c 'ls -A /mnt/media/zurg/__all__ | wc -l'
        $sidecar.ExitCode | Should -Be 0 -Because $sidecar.Output
        [int]$sidecar.Output.Trim() | Should -Be 25000
    }

    It 'fails an app whose mounts nothing serves, and a pod that cannot start, without an exec' {
        if ($Sandbox.Unavailable) { return }
        # bazarr mounts the media root but has no sidecars: both mounts stay empty folders.
        $bazarr = Get-Pod bazarr | Test-MediaMount @Cluster
        $bazarr.Mounts.Status | Should -Be @('NOSIDECAR', 'NOSIDECAR')
        $bazarr.zurg.Reason | Should -Match 'no rclone sidecar of the pod mounts it'
        $bazarr.zurg.ServedBy | Should -Be 'none'
        $bazarr.IsHealthy | Should -BeFalse

        # overseerr waits in ContainerCreating for a missing secret: STARTING within the
        # grace period, NOTREADY after it (here with a grace period of 0 s).
        $overseerr = Get-MediaPod -App overseerr @Cluster | Test-MediaMount @Cluster
        $overseerr.zurg.Status | Should -BeIn 'STARTING', 'NOTREADY'
        $overseerr.zurg.Reason | Should -Match 'ContainerCreating'
        $config = Join-Path $TestDrive 'grace.json'
        Set-Content $config '{ "startupGraceSec": 0 }'
        $saved = $env:MEDIASTACK_CONFIG
        try {
            $env:MEDIASTACK_CONFIG = $config
            $late = Get-MediaPod -App overseerr @Cluster | Test-MediaMount @Cluster
        }
        finally { $env:MEDIASTACK_CONFIG = $saved }
        $late.zurg.Status | Should -Be 'NOTREADY'
        $late.zurg.Reason | Should -Match 'ContainerCreating.*for more than 0 s'
        $late.IsHealthy | Should -BeFalse
    }

    It 'skips only what expects no mounts, and says why' {
        if ($Sandbox.Unavailable) { return }
        $legacy = Get-MediaPod -App rclone-zurg @Cluster | Test-MediaMount @Cluster
        $legacy.Mounts | Should -BeNullOrEmpty
        $legacy.Status | Should -Be 'SKIP'
        $legacy.Note | Should -Match 'legacy standalone rclone'
        $legacy.IsHealthy | Should -BeTrue
    }

    It 'checks the whole namespace in one call, one row per pod, and -Quiet says whether all is well' {
        if ($Sandbox.Unavailable) { return }
        $all = Test-MediaMount @Cluster
        $pods = Get-MediaPod @Cluster
        # One row per pod, and one for prowlarr, whose pods the SCC refuses: an app with no
        # pod at all is failing, not absent.
        @($all).Count | Should -Be (@($pods).Count + 1)
        ($all | Where-Object Name -Like 'radarr-*').zurg.Status | Should -BeIn 'NOTMOUNTED', 'FAIL'
        $prowlarr = $all | Where-Object Name -EQ 'deployment/prowlarr'
        $prowlarr.Mounts.Status | Should -Be @('NOTREADY', 'NOTREADY')
        $prowlarr.zurg.Reason | Should -Match '^deployment/prowlarr wants 1 pod\(s\) and has none: Error creating: pods "prowlarr-[a-z0-9]+-" is forbidden: unable to validate against any security context constraint'
        $prowlarr.Container | Should -Be 'prowlarr'

        Test-MediaMount @Cluster -Quiet | Should -BeFalse
        Get-Pod plex | Test-MediaMount @Cluster -Quiet | Should -BeTrue
        # An app that expects cloud media and has no sidecar is never healthy.
        Get-Pod bazarr | Test-MediaMount @Cluster -Quiet | Should -BeFalse
        # Nor is one without pods, live or deserialized.
        Get-MediaApp prowlarr @Cluster | Test-MediaMount @Cluster -Quiet | Should -BeFalse
        $saved = Join-Path $TestDrive 'prowlarr.xml'
        Get-MediaApp prowlarr @Cluster | Export-Clixml $saved
        $again = Import-Clixml $saved | Test-MediaMount @Cluster
        $again.Name | Should -Be 'deployment/prowlarr'
        $again.Status | Should -Be 'NOTREADY'
        Get-MediaApp plex @Cluster | Test-MediaMount @Cluster -Quiet | Should -BeTrue
    }

    It 'reports a pod name that does not exist as a non-terminating error' {
        if ($Sandbox.Unavailable) { return }
        $result = Test-MediaMount -Name 'no-such-pod', 'plex-*' @Cluster -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ClusterObjectNotFound,*'
        $result.Name | Should -BeLike 'plex-*'
    }

    It 'reports STALE right after the sidecar is killed with SIGKILL' {
        if ($Sandbox.Unavailable) { return }
        $plex = Get-Pod plex
        Invoke-SandboxFault $Sandbox kill-container @{ namespace = 'media-stack'; pod = $plex.Name; container = 'rclone-zurg' } | Should -Match 'SIGKILL'
        # The sidecar restarts within seconds and clears the dead mount; look until then.
        $seen = @()
        $deadline = [DateTime]::UtcNow.AddSeconds(4)
        while ([DateTime]::UtcNow -lt $deadline -and $seen -notcontains 'STALE') {
            $report = $plex | Test-MediaMount @Cluster -TimeoutSec 3
            $seen += "$($report.zurg.Status)"
            if ($report.zurg.Status -eq 'STALE') { $stale = $report.zurg }
        }
        $seen | Should -Contain 'STALE'
        $stale.Reason | Should -Match 'Transport endpoint is not connected'
        $stale.FsType | Should -Be 'fuse.rclone'
        # ... and the pod heals: the restarted sidecar mounts again.
        Wait-SandboxCondition -TimeoutSec 60 { ($plex | Test-MediaMount @Cluster).zurg.Status -eq 'OK' } | Should -BeTrue
    }

    It 'cuts a hung exec at -TimeoutSec plus a small margin and still reports the other pods' {
        if ($Sandbox.Unavailable) { return }
        Invoke-SandboxFault $Sandbox exec-hang @{ count = 1 } | Out-Null
        $watch = [Diagnostics.Stopwatch]::StartNew()
        # Two pods whose checks never touch FUSE, so only the exec fault can delay them.
        $reports = Get-MediaPod @Cluster | Where-Object App -In sonarr, radarr | Test-MediaMount @Cluster -TimeoutSec 4
        $watch.Stop()

        $watch.Elapsed.TotalSeconds | Should -BeLessThan 7
        $hung = @($reports | Where-Object { $_.Mounts.Status -contains 'TIMEOUT' })
        $hung.Count | Should -Be 1
        ($hung[0].Mounts | Where-Object Status -EQ 'TIMEOUT')[0].Reason | Should -Match 'did not finish within 5 s'
        # The other pod is still graded: its sidecar's mount does not reach the app.
        @($reports | Where-Object { $_.Mounts.Status -contains 'NOTMOUNTED' }).Count | Should -Be 1
    }

    It 'stops at once on Ctrl+C (StopProcessing) while execs hang' {
        if ($Sandbox.Unavailable) { return }
        Invoke-SandboxFault $Sandbox exec-hang @{ count = 3 } | Out-Null
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                param($Module, $Cluster)
                Import-Module $Module
                Get-MediaPod @Cluster | Where-Object App -In sonarr, radarr | Test-MediaMount @Cluster -TimeoutSec 120
            }).AddArgument($env:MEDIASTACK_MODULE).AddArgument($Cluster)
            $null = $shell.BeginInvoke()
            Start-Sleep -Seconds 2
            $shell.InvocationStateInfo.State | Should -Be 'Running'
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $watch.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $shell.Dispose()
            Clear-SandboxFault $Sandbox
        }
    }

    It 'shows a stopped backend as a failing mount while the other stays OK' {
        if ($Sandbox.Unavailable) { return }
        $plex = Get-Pod plex
        Invoke-SandboxFault $Sandbox stop-backend @{ backend = 'torbox' } | Out-Null
        try {
            # rclone answers from its directory cache for --dir-cache-time; wait past it.
            # The budget leaves room for zurg's cold 25,000-entry listing on a busy machine
            # (a refused backend fails in well under it).
            $report = Wait-SandboxCondition -TimeoutSec 90 {
                $r = $plex | Test-MediaMount @Cluster -TimeoutSec 20
                if ($r.torbox.Status -ne 'OK') { $r }
            }
            $report.torbox.Status | Should -BeIn 'FAIL', 'TIMEOUT'
            $report.torbox.Reason | Should -Not -BeNullOrEmpty
            $report.zurg.Status | Should -Be 'OK'
        }
        finally {
            Invoke-SandboxFault $Sandbox restore-backend @{ backend = 'torbox' } | Out-Null
            # rclone backs off after refused connections; let it recover before the next test.
            $null = Wait-SandboxCondition -TimeoutSec 90 { ($plex | Test-MediaMount @Cluster -Mount torbox).torbox.Status -eq 'OK' }
        }
    }

    It 'reports TIMEOUT for a hung backend within -TimeoutSec, with the other mount still graded' {
        if ($Sandbox.Unavailable) { return }
        # Last on purpose: rclone keeps a hung request for minutes even after the backend recovers.
        $plex = Get-Pod plex
        Invoke-SandboxFault $Sandbox hang-backend @{ backend = 'zurg' } | Out-Null
        try {
            $report = Wait-SandboxCondition -TimeoutSec 60 {
                $watch = [Diagnostics.Stopwatch]::StartNew()
                # Long enough for the 25,000 zurg entries on a busy machine.
                $r = $plex | Test-MediaMount @Cluster -TimeoutSec 15
                $watch.Stop()
                if ($r.zurg.Status -ne 'OK') { [pscustomobject]@{ Report = $r; Seconds = $watch.Elapsed.TotalSeconds } }
            }
            $report.Report.zurg.Status | Should -Be 'TIMEOUT'
            $report.Report.zurg.Reason | Should -Match 'hangs|hung'
            $report.Report.torbox.Status | Should -Be 'OK'
            # Within -TimeoutSec (and its one second of grace), however busy the machine.
            $report.Seconds | Should -BeLessThan 16
        }
        finally {
            Invoke-SandboxFault $Sandbox restore-backend @{ backend = 'zurg' } | Out-Null
        }
    }
}
