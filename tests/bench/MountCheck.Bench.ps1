# Get-MediaPod | Test-MediaMount against what check-media-mounts.sh does (one kubectl exec per
# pod and mount, one after another, in containers[0]), side by side on the same sandbox:
#   1. 40 pods, each with a zurg and a torbox sidecar, 200 ms added to every backend request
#      and a 1 s rclone directory cache, so listings really reach the slow backends; next to
#      it one pod alone at the same latency (the physical limit of a check), and the cost of
#      the deep read (-Deep) per pod;
#   2. the cost of one pod whose zurg mount holds 25,000 entries (the media-stack scenario);
#   3. memory of Get-MediaPod over 2,000 pods, read in pages, in a fresh pwsh.
# Writes its section of docs/performance.md. A benchmark, not a test: it fails only when the
# sandbox cannot run or a run does not produce the expected objects.
param(
    [int] $Pods = 40,
    [int] $Rounds = 2,
    [int] $LatencyMs = 200,
    [int] $ManyPods = 2000
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../pester/Sandbox.psm1') -Force
Import-Module $env:MEDIASTACK_MODULE -Force

function Invoke-SequentialBaseline($Sandbox, [object[]] $Mounts) {
    # What check-media-mounts.sh does: list the pods, then per pod and mount one exec into
    # the first container, one after another.
    $env:KUBECACHEDIR = Join-Path $Sandbox.Folder "kubecache-$([guid]::NewGuid().ToString('n'))"
    $kubectl = @('--kubeconfig', $Sandbox.KubeConfig, '-n', 'media-stack')
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $pods = (& kubectl @kubectl get pods -o json | ConvertFrom-Json).items | Where-Object { $_.status.phase -eq 'Running' }
    $counts = foreach ($pod in $pods) {
        foreach ($mount in $Mounts) {
            $count = & kubectl @kubectl exec $pod.metadata.name -c $pod.spec.containers[0].name '--' sh -c "[ -d '$($mount.Path)' ] && ls -A '$($mount.Path)' | wc -l"
            [int]"$count".Trim()
        }
    }
    $watch.Stop()
    [pscustomobject]@{ Seconds = $watch.Elapsed.TotalSeconds; Checks = @($counts).Count }
}

function Measure-MountCheck($Sandbox, [int] $Expected, [int] $First = 0, [switch] $Deep) {
    $pods = Get-MediaPod -KubeConfig $Sandbox.KubeConfig -Namespace media-stack
    if ($First) { $pods = $pods | Select-Object -First $First }
    # The deep read gets a quarter of the budget: 30 s (Invoke-MediaStackCheck's default), so
    # that behind the slow backend it is measured, not cut off.
    $budget = if ($Deep) { 30 } else { 10 }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $reports = $pods | Test-MediaMount -KubeConfig $Sandbox.KubeConfig -Namespace media-stack -Deep:$Deep -TimeoutSec $budget
    $watch.Stop()
    $ok = @($reports | Where-Object Status -EQ 'OK').Count
    if ($ok -ne $Expected) { throw "Test-MediaMount graded $ok of $Expected pods OK: $(($reports | Where-Object Status -NE 'OK' | ForEach-Object Summary) -join '; ')" }
    $watch.Elapsed.TotalSeconds
}

# Other work on the machine slows both sides alike; the load average says how busy it was.
$loadBefore = Get-LoadAverage
$work = Join-Path ([IO.Path]::GetTempPath()) "mediastack-bench-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
$null = New-Item -ItemType Directory -Path $work
$mounts = @(
    [pscustomobject]@{ Name = 'zurg'; Path = '/mnt/media/zurg/__all__' }
    [pscustomobject]@{ Name = 'torbox'; Path = '/mnt/media/torbox/torrents' }
)
try {
    # 1. 40 pods, slow backends: the parallel check against the sequential baseline.
    $sandbox = Start-Sandbox -Scenario (New-BenchScenario -Path (Join-Path $work 'pods.yaml') -Replicas $Pods -ZurgEntries 2000)
    if ($sandbox.Unavailable) { throw "The benchmark needs the sandbox: $($sandbox.Unavailable)" }
    try {
        $ready = Wait-SandboxCondition -TimeoutSec 600 -IntervalMs 2000 {
            $all = Get-MediaPod -KubeConfig $sandbox.KubeConfig -Namespace media-stack -App bench
            @($all | Where-Object Ready -EQ '3/3').Count -eq $Pods
        }
        if (-not $ready) { throw "$Pods bench pods did not become ready within 600 s." }
        foreach ($backend in 'zurg', 'torbox') {
            $null = Invoke-SandboxFault $sandbox slow-backend @{ backend = $backend; latencyMs = $LatencyMs }
        }
        $null = Wait-SandboxCondition -TimeoutSec 120 { Test-MediaMount -KubeConfig $sandbox.KubeConfig -Namespace media-stack -Quiet }
        $baseline = [Collections.Generic.List[double]]::new()
        $parallel = [Collections.Generic.List[double]]::new()
        $deepAll = [Collections.Generic.List[double]]::new()
        $one = [Collections.Generic.List[double]]::new()
        $oneDeep = [Collections.Generic.List[double]]::new()
        for ($round = 0; $round -lt $Rounds; $round++) {
            $run = Invoke-SequentialBaseline $sandbox $mounts
            if ($run.Checks -ne 2 * $Pods) { throw "The baseline made $($run.Checks) checks, expected $(2 * $Pods)." }
            $baseline.Add($run.Seconds)
            $parallel.Add((Measure-MountCheck $sandbox $Pods))
            $deepAll.Add((Measure-MountCheck $sandbox $Pods -Deep))
            # One pod alone at the same latency, five times a round: what no parallelism can beat.
            foreach ($i in 1..5) {
                $one.Add((Measure-MountCheck $sandbox 1 -First 1))
                $oneDeep.Add((Measure-MountCheck $sandbox 1 -First 1 -Deep))
            }
        }
    }
    finally { Stop-Sandbox $sandbox }
    $speedup = (Get-Median $baseline) / (Get-Median $parallel)

    # 2. One pod with a 25,000-entry zurg mount (the media-stack scenario's plex).
    $sandbox = Start-Sandbox -Scenario media-stack
    if ($sandbox.Unavailable) { throw "The benchmark needs the sandbox: $($sandbox.Unavailable)" }
    try {
        $cluster = @{ KubeConfig = $sandbox.KubeConfig; Namespace = 'media-stack' }
        $plex = Wait-SandboxCondition -TimeoutSec 180 { Get-MediaPod -App plex @cluster | Where-Object Ready -EQ '4/4' }
        if (-not $plex) { throw 'The plex pod did not become ready.' }
        $null = Wait-SandboxCondition -TimeoutSec 60 { ($plex | Test-MediaMount @cluster).zurg.Status -eq 'OK' }
        $single = foreach ($i in 1..5) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $report = $plex | Test-MediaMount @cluster
            $watch.Stop()
            if ($report.zurg.Entries -ne 25000) { throw "plex zurg showed $($report.zurg.Entries) entries, expected 25000." }
            [pscustomobject]@{ Wall = $watch.Elapsed.TotalMilliseconds; Zurg = $report.zurg.LatencyMs; Torbox = $report.torbox.LatencyMs }
        }
        $capped = foreach ($i in 1..5) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $report = $plex | Test-MediaMount @cluster -MaxEntries 1000
            $watch.Stop()
            if (-not $report.zurg.EntriesCapped) { throw 'The capped run did not stop counting at 1000.' }
            [pscustomobject]@{ Wall = $watch.Elapsed.TotalMilliseconds; Zurg = $report.zurg.LatencyMs }
        }
    }
    finally { Stop-Sandbox $sandbox }

    # 3. Get-MediaPod over 2,000 pods (Pending: nothing runs them), in a fresh pwsh.
    $sandbox = Start-Sandbox -Scenario (New-BenchScenario -Path (Join-Path $work 'many.yaml') -Replicas $ManyPods -ZurgEntries 10 -Unschedulable) -StartTimeoutSec 300
    if ($sandbox.Unavailable) { throw "The benchmark needs the sandbox: $($sandbox.Unavailable)" }
    try {
        $listed = Wait-SandboxCondition -TimeoutSec 300 -IntervalMs 2000 {
            @(Get-MediaPod -KubeConfig $sandbox.KubeConfig -Namespace media-stack -App bench).Count -eq $ManyPods
        }
        if (-not $listed) { throw "The sandbox did not create $ManyPods pods." }
        $probe = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$env:MEDIASTACK_MODULE'
`$null = Get-MediaPod -KubeConfig '$($sandbox.KubeConfig)' -Namespace kube-system
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
`$process = [Diagnostics.Process]::GetCurrentProcess()
`$baseHeap = [GC]::GetTotalMemory(`$true); `$baseSet = `$process.WorkingSet64
`$peakHeap = 0; `$count = 0
`$watch = [Diagnostics.Stopwatch]::StartNew()
Get-MediaPod -KubeConfig '$($sandbox.KubeConfig)' -Namespace media-stack | ForEach-Object {
    `$count++
    if (`$count % 250 -eq 0) { `$heap = [GC]::GetTotalMemory(`$true); if (`$heap -gt `$peakHeap) { `$peakHeap = `$heap } }
}
`$streamMs = `$watch.Elapsed.TotalMilliseconds
`$process.Refresh(); `$streamSet = `$process.PeakWorkingSet64
[GC]::Collect()
`$watch.Restart()
`$all = @(Get-MediaPod -KubeConfig '$($sandbox.KubeConfig)' -Namespace media-stack)
`$collectMs = `$watch.Elapsed.TotalMilliseconds
`$held = [GC]::GetTotalMemory(`$true) - `$baseHeap
[pscustomobject]@{ Count = `$count; StreamMs = `$streamMs; PeakHeapMB = (`$peakHeap - `$baseHeap) / 1MB; BaseSetMB = `$baseSet / 1MB; PeakSetMB = `$streamSet / 1MB; Held = `$all.Count; HeldMB = `$held / 1MB; CollectMs = `$collectMs } | ConvertTo-Json -Compress
"@
        $pwsh = [Environment]::ProcessPath
        $arguments = @()
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments += [Reflection.Assembly]::GetEntryAssembly().Location }
        $json = & $pwsh @arguments -NoProfile -NonInteractive -Command $probe
        if ($LASTEXITCODE -ne 0) { throw "The memory probe failed: $json" }
        $memory = ($json | Select-Object -Last 1) | ConvertFrom-Json
        if ($memory.Count -ne $ManyPods) { throw "Get-MediaPod streamed $($memory.Count) pods, expected $ManyPods." }
    }
    finally { Stop-Sandbox $sandbox }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}

$f0 = { param($value) '{0:N0}' -f $value }
$f1 = { param($value) '{0:N1}' -f $value }
$f2 = { param($value) '{0:N2}' -f $value }
$signed = { param($value) '{0:+#,0;-#,0;0}' -f $value }
$table = @"
## Mount check

``tests/bench/MountCheck.Bench.ps1`` on the sandbox cluster (real rclone FUSE mounts over
WebDAV backends), $([Environment]::ProcessorCount) cores, load average $loadBefore at the start and
$(Get-LoadAverage) at the end, $(Get-Date -Format 'yyyy-MM-dd').

**$Pods pods, $LatencyMs ms added to every backend request** (zurg 2,000 entries, torbox 60; the
sidecars keep directories cached for 1 s, so every check reaches the slow backends). Both
runs alternate $Rounds times on the same pods; medians:

| run | seconds | checks |
|---|---:|---|
| sequential baseline: ``kubectl get pods`` + one ``kubectl exec`` per pod and mount into containers[0] (what check-media-mounts.sh does) | $(& $f1 (Get-Median $baseline)) | $(2 * $Pods) execs |
| ``Get-MediaPod \| Test-MediaMount`` (one exec per pod into the app container, 16 at once, default 10 s budget) | $(& $f1 (Get-Median $parallel)) | $Pods execs |
| **speed-up** | **$(& $f1 $speedup)x** | target: at least 8x |
| one pod alone, same latency (median of $($one.Count)) | $(& $f1 (Get-Median $one)) | 1 exec |
| **$Pods pods / one pod alone** | **$(& $f1 ((Get-Median $parallel) / (Get-Median $one)))x** | 16 at once: $([Math]::Ceiling($Pods / 16)) waves is the floor |

**The deep read** (``-Deep -TimeoutSec 30``: the first 4 KB of one file per mount, through the
same slow backends; with a 1 s directory cache rclone lists the 2,000-entry directory again to
find the file), same pods and rounds, medians:

| run | seconds | per pod |
|---|---:|---:|
| ``Test-MediaMount``, $Pods pods | $(& $f1 (Get-Median $parallel)) | |
| ``Test-MediaMount -Deep``, $Pods pods | $(& $f1 (Get-Median $deepAll)) | $(& $signed (1000 * ((Get-Median $deepAll) - (Get-Median $parallel)) / $Pods)) ms in the run |
| one pod alone / with ``-Deep`` | $(& $f2 (Get-Median $one)) / $(& $f2 (Get-Median $oneDeep)) | $(& $signed (1000 * ((Get-Median $oneDeep) - (Get-Median $one)))) ms |

**One pod with a 25,000-entry zurg mount** (media-stack's plex; rclone's default 5 min
directory cache, so these are warm listings), 5 runs, medians:

| run | wall (ms) | zurg listing in the pod (ms) | torbox listing, 60 entries (ms) |
|---|---:|---:|---:|
| ``Test-MediaMount`` | $(& $f0 (Get-Median $single.Wall)) | $(& $f0 (Get-Median $single.Zurg)) | $(& $f0 (Get-Median $single.Torbox)) |
| ``Test-MediaMount -MaxEntries 1000`` (shows ``OK (1000+)``) | $(& $f0 (Get-Median $capped.Wall)) | $(& $f0 (Get-Median $capped.Zurg)) | |

Only the count crosses the wire: the 25,000 names stay inside the pod (``ls | head | wc``).

**Get-MediaPod over $ManyPods pods**, read 250 per request, in a fresh pwsh:

| measure | value |
|---|---:|
| streamed through the pipeline (``Get-MediaPod \| ForEach-Object``) | $(& $f0 $memory.StreamMs) ms |
| live managed heap while streaming (peak of a sample every 250 pods, after a collection) | $(& $f1 $memory.PeakHeapMB) MB |
| process working set before / peak | $(& $f0 $memory.BaseSetMB) MB / $(& $f0 $memory.PeakSetMB) MB |
| all $($memory.Held) objects kept in a variable (each holds its V1Pod) | $(& $f1 $memory.HeldMB) MB, $(& $f0 $memory.CollectMs) ms |
"@
Set-PerformanceSection -Id 'mountcheck' -Markdown $table
Write-Host $table
if ($speedup -lt 8) { Write-Warning "The parallel check is $([Math]::Round($speedup, 1))x faster than the baseline, under the 8x target." }
