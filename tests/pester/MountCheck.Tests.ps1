# Test-MediaMount told the truth: run against the sandbox's media-stack scenario, where real
# rclone FUSE mounts, real mount propagation and real faults decide every status.
BeforeAll {
    Import-Module $env:MEDIASTACK_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
    $script:Sandbox = Start-Sandbox -Scenario media-stack
    $script:Cluster = @{ KubeConfig = $Sandbox.KubeConfig; Namespace = 'media-stack' }

    function Get-Pod([string] $App) { Get-MediaPod -App $App @Cluster | Where-Object Phase -EQ Running | Select-Object -First 1 }

    function Invoke-Kubectl {
        # The real kubectl, with a cache of its own so no other run's discovery leaks in.
        $env:KUBECACHEDIR = Join-Path $Sandbox.Folder 'kubecache'
        $output = & kubectl --kubeconfig $Sandbox.KubeConfig @args 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    }

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
        $sidecar = Invoke-Kubectl exec -n media-stack $sonarr.Name -c rclone-zurg '--' sh -c 'ls -A /mnt/media/zurg/__all__ | wc -l'
        $sidecar.ExitCode | Should -Be 0 -Because $sidecar.Output
        [int]$sidecar.Output.Trim() | Should -Be 25000
    }

    It 'skips pods without sidecars and pods that are not running, without an exec' {
        if ($Sandbox.Unavailable) { return }
        $bazarr = Get-Pod bazarr | Test-MediaMount @Cluster
        $bazarr.Mounts.Status | Should -Be @('SKIP', 'SKIP')
        $bazarr.zurg.Reason | Should -Match 'no rclone sidecar'

        $overseerr = Get-MediaPod -App overseerr @Cluster | Test-MediaMount @Cluster
        $overseerr.Mounts.Status | Should -Be @('SKIP', 'SKIP')
        $overseerr.zurg.Reason | Should -Match 'pod is Pending'
    }

    It 'checks the whole namespace in one call, one row per pod, and -Quiet says whether all is well' {
        if ($Sandbox.Unavailable) { return }
        $all = Test-MediaMount @Cluster
        $pods = Get-MediaPod @Cluster
        @($all).Count | Should -Be @($pods).Count
        ($all | Where-Object Name -Like 'radarr-*').zurg.Status | Should -BeIn 'NOTMOUNTED', 'FAIL'

        Test-MediaMount @Cluster -Quiet | Should -BeFalse
        Get-Pod plex | Test-MediaMount @Cluster -Quiet | Should -BeTrue
        Get-Pod bazarr | Test-MediaMount @Cluster -Quiet | Should -BeTrue
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
        $hung = @($reports | Where-Object Status -EQ 'TIMEOUT')
        $hung.Count | Should -Be 1
        $hung[0].Mounts[0].Reason | Should -Match 'did not finish within 5 s'
        @($reports | Where-Object Status -EQ 'NOTMOUNTED').Count | Should -Be 1
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
            $report = Wait-SandboxCondition -TimeoutSec 60 {
                # Long enough for the 25,000 zurg entries on a busy machine.
                $r = $plex | Test-MediaMount @Cluster -TimeoutSec 15
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
            $report.Report.zurg.Reason | Should -Match 'hangs'
            $report.Report.torbox.Status | Should -Be 'OK'
            $report.Seconds | Should -BeLessThan 7
        }
        finally {
            Invoke-SandboxFault $Sandbox restore-backend @{ backend = 'zurg' } | Out-Null
        }
    }
}
