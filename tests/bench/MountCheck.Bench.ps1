# Get-MediaPod | Test-MediaMount against what check-media-mounts.sh does (one kubectl exec per
# pod and mount, one after another, in containers[0]), side by side on the same sandbox:
#   1. 40 pods, each with a zurg and a torbox sidecar, 200 ms added to every backend request
#      and a 1 s rclone directory cache, so listings really reach the slow backends;
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

$builtIn = Join-Path (Split-Path $env:MEDIASTACK_SANDBOX) 'Scenarios/media-stack.yaml'
if (-not (Test-Path -LiteralPath $builtIn)) { $builtIn = Join-Path $PSScriptRoot '../MediaStack.Sandbox/Scenarios/media-stack.yaml' }

function New-BenchScenario([string] $Path, [int] $Replicas, [int] $ZurgEntries, [switch] $Unschedulable) {
    # The media-stack scenario's cluster setup (backends, accounts, SCC binding, secrets, PVC)
    # with one Deployment of $Replicas pods instead of its apps.
    $documents = (Get-Content -LiteralPath $builtIn -Raw) -split '(?m)^---\s*$'
    $kept = foreach ($document in $documents) {
        if ($document -match '(?m)^kind:\s*(\S+)') {
            $kind = $Matches[1]
            if ($kind -eq 'SandboxScenario') { $document -replace '(?ms)(name: zurg.*?entries:\s*)\d+', "`${1}$ZurgEntries" }
            elseif ($kind -in 'Namespace', 'ServiceAccount', 'ClusterRole', 'RoleBinding', 'Secret', 'PersistentVolumeClaim') { $document }
        }
    }
    $placement = if ($Unschedulable) { "      nodeSelector: {kubernetes.io/hostname: no-such-node}`n" } else { '' }
    $sidecar = {
        param($name, $remote, $path, $secret, $port)
        @"
      - name: rclone-$name
        image: docker.io/rclone/rclone:latest
        securityContext: {privileged: true}
        args: [mount, "${remote}:", $path, --config=/config/rclone/rclone.conf, --allow-other, --dir-cache-time=1s, --attr-timeout=1s, --rc, --rc-no-auth, --rc-addr=127.0.0.1:$port]
        volumeMounts:
        - {name: media-storage, mountPath: /mnt/media, mountPropagation: Bidirectional}
        - {name: $secret, mountPath: /config/rclone, readOnly: true}
"@
    }
    $deployment = @"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bench
  namespace: media-stack
  labels: {app: bench}
spec:
  replicas: $Replicas
  selector: {matchLabels: {app: bench}}
  template:
    metadata:
      labels: {app: bench}
    spec:
      serviceAccountName: plex
$placement      initContainers:
      - name: init-dirs
        image: docker.io/alpine:latest
        command: [/bin/sh, -c, "mkdir -p /mnt/media/zurg /mnt/media/torbox"]
        volumeMounts: [{name: media-storage, mountPath: /mnt/media}]
      containers:
$(& $sidecar zurg zurg /mnt/media/zurg rclone-zurg-config 5572)
$(& $sidecar torbox torbox /mnt/media/torbox rclone-config 5573)
      - name: bench
        image: lscr.io/linuxserver/sonarr:latest
        volumeMounts:
        - {name: media-storage, mountPath: /mnt/media, mountPropagation: HostToContainer}
      volumes:
      - name: media-storage
        persistentVolumeClaim: {claimName: media-library-pvc}
      - name: rclone-zurg-config
        secret: {secretName: rclone-zurg-config, defaultMode: 0400}
      - name: rclone-config
        secret: {secretName: rclone-config, defaultMode: 0400}
"@
    (@($kept) + $deployment) -join "`n---`n" | Set-Content -LiteralPath $Path
    $Path
}

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

function Measure-MountCheck($Sandbox, [int] $Expected) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $reports = Get-MediaPod -KubeConfig $Sandbox.KubeConfig -Namespace media-stack | Test-MediaMount -KubeConfig $Sandbox.KubeConfig -Namespace media-stack
    $watch.Stop()
    $ok = @($reports | Where-Object Status -EQ 'OK').Count
    if ($ok -ne $Expected) { throw "Test-MediaMount graded $ok of $Expected pods OK: $(($reports | Where-Object Status -NE 'OK' | ForEach-Object Summary) -join '; ')" }
    $watch.Elapsed.TotalSeconds
}

# Other work on the machine slows both sides alike; the load average says how busy it was.
$loadBefore = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0] } else { 'n/a' }
$work = Join-Path ([IO.Path]::GetTempPath()) "mediastack-bench-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
$null = New-Item -ItemType Directory -Path $work
$mounts = @(
    [pscustomobject]@{ Name = 'zurg'; Path = '/mnt/media/zurg/__all__' }
    [pscustomobject]@{ Name = 'torbox'; Path = '/mnt/media/torbox/torrents' }
)
try {
    # 1. 40 pods, slow backends: the parallel check against the sequential baseline.
    $sandbox = Start-Sandbox -Scenario (New-BenchScenario (Join-Path $work 'pods.yaml') -Replicas $Pods -ZurgEntries 2000)
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
        for ($round = 0; $round -lt $Rounds; $round++) {
            $run = Invoke-SequentialBaseline $sandbox $mounts
            if ($run.Checks -ne 2 * $Pods) { throw "The baseline made $($run.Checks) checks, expected $(2 * $Pods)." }
            $baseline.Add($run.Seconds)
            $parallel.Add((Measure-MountCheck $sandbox $Pods))
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
    $sandbox = Start-Sandbox -Scenario (New-BenchScenario (Join-Path $work 'many.yaml') -Replicas $ManyPods -ZurgEntries 10 -Unschedulable) -StartTimeoutSec 300
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
$table = @"
## Mount check

``tests/bench/MountCheck.Bench.ps1`` on the sandbox cluster (real rclone FUSE mounts over
WebDAV backends), $([Environment]::ProcessorCount) cores, load average $loadBefore at the start and
$(if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0] } else { 'n/a' }) at the end, $(Get-Date -Format 'yyyy-MM-dd').

**$Pods pods, $LatencyMs ms added to every backend request** (zurg 2,000 entries, torbox 60; the
sidecars keep directories cached for 1 s, so every check reaches the slow backends). Both
runs alternate $Rounds times on the same pods; medians:

| run | seconds | checks |
|---|---:|---|
| sequential baseline: ``kubectl get pods`` + one ``kubectl exec`` per pod and mount into containers[0] (what check-media-mounts.sh does) | $(& $f1 (Get-Median $baseline)) | $(2 * $Pods) execs |
| ``Get-MediaPod \| Test-MediaMount`` (one exec per pod into the app container, 16 at once, default 10 s budget) | $(& $f1 (Get-Median $parallel)) | $Pods execs |
| **speed-up** | **$(& $f1 $speedup)x** | target: at least 8x |

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
