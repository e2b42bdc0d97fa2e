# Faults of the API server, as kubectl survives them, on the sandbox's fault injection:
# throttling, a failed read, an exec cut off mid-stream; and the faults the module already
# survived (hung exec, 409 on the sidecar patch, failing events), kept as tests.
# The retry budget these tests hold the module to is written down in docs/reliability.md.
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

Describe 'API server faults' -Tag Sandbox {
    BeforeEach {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable }
    }

    AfterEach {
        if (-not $Sandbox.Unavailable) { Clear-SandboxFault $Sandbox }
    }

    It 'waits out two 429 answers with Retry-After on the pod list, as client-go does' {
        if ($Sandbox.Unavailable) { return }
        Invoke-SandboxFault $Sandbox throttle @{ path = '/api/v1/namespaces/media-stack/pods'; retryAfter = 1; count = 2 } | Out-Null
        $watch = [Diagnostics.Stopwatch]::StartNew()

        $pods = Get-MediaPod @Cluster -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -BeNullOrEmpty
        $pods.App | Should -Contain 'plex'
        # It waited the two Retry-After seconds the server asked for.
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.9
    }

    It 'fails with ClusterRequestFailed once the throttling outlasts the retry budget' {
        if ($Sandbox.Unavailable) { return }
        Invoke-SandboxFault $Sandbox throttle @{ path = '/api/v1/namespaces/media-stack/pods'; retryAfter = 1; count = 6 } | Out-Null

        $pods = Get-MediaPod @Cluster -ErrorVariable failures -ErrorAction SilentlyContinue

        $pods | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ClusterRequestFailed,*'
        $failures[0].Exception.Message | Should -Match '429'
    }

    It 'retries one 500 on a read and gives the whole answer' {
        if ($Sandbox.Unavailable) { return }
        Invoke-SandboxFault $Sandbox api-error @{ status = 500; path = '/apis/apps/v1/namespaces/media-stack/deployments'; method = 'GET'; count = 1 } | Out-Null

        $apps = Get-MediaApp @Cluster -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -BeNullOrEmpty
        $apps.Name | Should -Contain 'plex'
        $apps.Name | Should -Contain 'sonarr'
    }

    It 'tries an exec cut off after its first byte once more, and the check completes' {
        if ($Sandbox.Unavailable) { return }
        $plex = Get-Pod plex
        Invoke-SandboxFault $Sandbox exec-drop @{ path = "/pods/$($plex.Name)/exec"; afterBytes = 1; count = 1 } | Out-Null

        # A generous time bound: on a busy machine listing 25,000 entries can take seconds.
        $report = $plex | Test-MediaMount @Cluster -TimeoutSec 30 -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -BeNullOrEmpty
        $report.Status | Should -Be 'OK'
        $report.zurg.Entries | Should -BeGreaterThan 0
    }

    It 'gives a pod whose exec is cut off twice a failing status with the reason, and every other pod its verdict' {
        if ($Sandbox.Unavailable) { return }
        $plex = Get-Pod plex
        Invoke-SandboxFault $Sandbox exec-drop @{ path = "/pods/$($plex.Name)/exec"; afterBytes = 1; count = 2 } | Out-Null

        $reports = Get-MediaPod @Cluster | Where-Object { $_.App -in 'plex', 'sonarr', 'radarr' -and $_.Phase -eq 'Running' } |
            Test-MediaMount @Cluster -TimeoutSec 30 -ErrorVariable failures -ErrorAction SilentlyContinue

        @($reports).Count | Should -Be 3
        $cut = $reports | Where-Object Name -EQ $plex.Name
        $cut.Status | Should -Be 'FAIL'
        $cut.Mounts.Reason | ForEach-Object { $_ | Should -Match 'cut off' }
        ($reports | Where-Object Name -NE $plex.Name).Status | Should -Not -Contain 'FAIL'
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PodExecFailed,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 're-plans the sidecar patch after a 409 Conflict and applies it' {
        if ($Sandbox.Unavailable) { return }
        Invoke-SandboxFault $Sandbox api-error @{ status = 409; path = '/apis/apps/v1/namespaces/media-stack/deployments/plex'; method = 'PATCH'; count = 1 } | Out-Null

        $null = Remove-RcloneSidecar -Name plex -Mount torbox @Cluster -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -BeNullOrEmpty
        $env:KUBECACHEDIR = Join-Path $Sandbox.Folder 'kubecache'
        $containers = & kubectl --kubeconfig $Sandbox.KubeConfig -n media-stack get deployment plex -o 'jsonpath={.spec.template.spec.containers[*].name}'
        $containers | Should -Not -Match 'rclone-torbox'
        $containers | Should -Match 'rclone-zurg'
    }

    It 'keeps diagnosing when every events request fails with 500' {
        if ($Sandbox.Unavailable) { return }
        $sonarr = Get-Pod sonarr
        Invoke-SandboxFault $Sandbox api-error @{ status = 500; path = '/events'; count = 20 } | Out-Null

        $findings = Invoke-MountDiagnosis -Name $sonarr.Name @Cluster -ErrorVariable failures -ErrorAction SilentlyContinue -Verbose 4>&1
        $verbose = $findings | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        $failures | Should -BeNullOrEmpty
        ($findings | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).RuleId | Should -Contain 'MS103'
        ($verbose.Message -join "`n") | Should -Match 'not collected: .*events'
    }
}
