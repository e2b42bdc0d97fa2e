# Invoke-MediaStackCheck -AllNamespaces at scale: 200 pods in 5 namespaces (40 each, one zurg
# sidecar per pod, 200 ms added to every backend request, 1 s rclone directory cache), one
# round in a fresh pwsh per measure, with all three reports and the state file written:
# wall time with and without the deep read, peak working set and the managed heap that
# holds the summary. Writes its section of docs/performance.md. A benchmark, not a test: it
# fails only when the sandbox cannot run or a round does not give the expected verdicts.
param(
    [int] $Namespaces = 5,
    [int] $PodsPerNamespace = 40,
    [int] $Rounds = 2,
    [int] $LatencyMs = 200
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../pester/Sandbox.psm1') -Force
Import-Module $env:MEDIASTACK_MODULE -Force

$total = $Namespaces * $PodsPerNamespace
$names = 1..$Namespaces | ForEach-Object { "media-$_" }
$loadBefore = Get-LoadAverage
$work = Join-Path ([IO.Path]::GetTempPath()) "mediastack-checkbench-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
$null = New-Item -ItemType Directory -Path $work

function Measure-Round([string] $KubeConfig, [string] $Extra) {
    # One round in a fresh pwsh, as a scheduled task runs it; the child reports its figures.
    $probe = @"
`$ErrorActionPreference = 'Stop'
`$env:MEDIASTACK_CONFIG = '$work/no-config.json'
Import-Module '$env:MEDIASTACK_MODULE'
`$process = [Diagnostics.Process]::GetCurrentProcess()
`$null = Get-MediaStackConfig
[GC]::Collect(); `$process.Refresh(); `$baseSet = `$process.WorkingSet64; `$baseHeap = [GC]::GetTotalMemory(`$true)
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$summary = Invoke-MediaStackCheck -KubeConfig '$KubeConfig' -AllNamespaces -Mount zurg -ReportPath '$work/report.json' -JUnitPath '$work/junit.xml' -MetricsPath '$work/mediastack.prom' -StatePath '$work/state.json' -TimeoutSec 60 $Extra
`$seconds = `$watch.Elapsed.TotalSeconds
`$process.Refresh()
`$heap = [GC]::GetTotalMemory(`$true) - `$baseHeap
[pscustomobject]@{
    Seconds = `$seconds; ExitCode = `$summary.ExitCode; Pods = `$summary.Pods.Count; Healthy = `$summary.HealthyCount
    Headline = `$summary.Headline; Reasons = @(`$summary.Unhealthy | Select-Object -First 3 | ForEach-Object { "`$(`$_.Name): `$(`$_.Reason)" }) -join ' | '; BaseSetMB = `$baseSet / 1MB; PeakSetMB = `$process.PeakWorkingSet64 / 1MB; HeapMB = `$heap / 1MB
    ReportKB = (Get-Item '$work/report.json').Length / 1KB; MetricsKB = (Get-Item '$work/mediastack.prom').Length / 1KB
} | ConvertTo-Json -Compress
"@
    $pwsh = [Environment]::ProcessPath
    $arguments = @()
    if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments += [Reflection.Assembly]::GetEntryAssembly().Location }
    $json = & $pwsh @arguments -NoProfile -NonInteractive -Command $probe
    if ($LASTEXITCODE -ne 0) { throw "The round failed: $json" }
    $figures = ($json | Select-Object -Last 1) | ConvertFrom-Json
    # Every pod must be judged; how many are healthy depends on the slow backend and on how
    # busy the shared machine is, and is reported with the figures (with a reason when not all).
    if ($figures.Pods -ne $total) { throw "The round saw $($figures.Pods) pods, expected ${total}: $($figures.Headline)" }
    $figures
}

try {
    $scenario = New-BenchScenario -Path (Join-Path $work 'scale.yaml') -Namespaces $names -Replicas $PodsPerNamespace -ZurgEntries 2000 -Mounts zurg
    $startWatch = [Diagnostics.Stopwatch]::StartNew()
    $sandbox = Start-Sandbox -Scenario $scenario -StartTimeoutSec 300
    if ($sandbox.Unavailable) { throw "The benchmark needs the sandbox: $($sandbox.Unavailable)" }
    try {
        $ready = Wait-SandboxCondition -TimeoutSec 900 -IntervalMs 5000 {
            @(Get-MediaPod -KubeConfig $sandbox.KubeConfig -AllNamespaces | Where-Object { $_.App -eq 'bench' -and $_.Ready -eq '2/2' }).Count -eq $total
        }
        if (-not $ready) { throw "$total bench pods did not become ready within 900 s." }
        $readySeconds = $startWatch.Elapsed.TotalSeconds
        $null = Invoke-SandboxFault $sandbox slow-backend @{ backend = 'zurg'; latencyMs = $LatencyMs }
        $deep = [Collections.Generic.List[object]]::new()
        $shallow = [Collections.Generic.List[object]]::new()
        $wide = [Collections.Generic.List[object]]::new()
        for ($round = 0; $round -lt $Rounds; $round++) {
            $deep.Add((Measure-Round $sandbox.KubeConfig ''))
            $shallow.Add((Measure-Round $sandbox.KubeConfig '-SkipDeepRead'))
            $wide.Add((Measure-Round $sandbox.KubeConfig '-ThrottleLimit 64'))
        }
    }
    finally { Stop-Sandbox $sandbox }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}

$f0 = { param($value) '{0:N0}' -f $value }
$f1 = { param($value) '{0:N1}' -f $value }
$median = { param($runs, $name) Get-Median ($runs | ForEach-Object $name) }
$table = @"
## Unattended check at scale

``tests/bench/Check.Bench.ps1``: ``Invoke-MediaStackCheck -AllNamespaces`` over **$total pods in
$Namespaces namespaces** ($PodsPerNamespace each; one zurg sidecar per pod, 2,000 entries, $LatencyMs ms added to
every backend request, 1 s directory cache, so every listing and every deep read reaches the
slow backend), each round in a fresh pwsh with the JSON, JUnit and Prometheus reports and the
state file written and a 60 s budget per pod, $Rounds rounds each, medians. $([Environment]::ProcessorCount) cores shared with other builds: load
average $loadBefore at the start and $(Get-LoadAverage) at the end, $(Get-Date -Format 'yyyy-MM-dd'). The sandbox took
$(& $f0 $readySeconds) s to bring the $total pods up.

| round | seconds | per pod (ms) | healthy | peak working set (MB) | managed heap holding the summary (MB) |
|---|---:|---:|---:|---:|---:|
| deep read (the default), 16 pods at once | $(& $f1 (& $median $deep 'Seconds')) | $(& $f0 (1000 * (& $median $deep 'Seconds') / $total)) | $(& $f0 (& $median $deep 'Healthy')) | $(& $f0 (& $median $deep 'PeakSetMB')) | $(& $f1 (& $median $deep 'HeapMB')) |
| ``-SkipDeepRead``, 16 at once | $(& $f1 (& $median $shallow 'Seconds')) | $(& $f0 (1000 * (& $median $shallow 'Seconds') / $total)) | $(& $f0 (& $median $shallow 'Healthy')) | $(& $f0 (& $median $shallow 'PeakSetMB')) | $(& $f1 (& $median $shallow 'HeapMB')) |
| deep read, ``-ThrottleLimit 64`` | $(& $f1 (& $median $wide 'Seconds')) | $(& $f0 (1000 * (& $median $wide 'Seconds') / $total)) | $(& $f0 (& $median $wide 'Healthy')) | $(& $f0 (& $median $wide 'PeakSetMB')) | $(& $f1 (& $median $wide 'HeapMB')) |

$(if (@($deep + $shallow + $wide | Where-Object Healthy -LT $total).Count) { "Where fewer than $total are healthy, pods ran out of their 60 s budget behind the slow backend on the loaded machine, for example: $($deep + $shallow + $wide | ForEach-Object Reasons | Where-Object { $_ } | Select-Object -First 1)`n`n" })The process starts at $(& $f0 (& $median $deep 'BaseSetMB')) MB (pwsh with the module loaded). Memory is bounded by design: pods
are listed 250 per request and each finished pod is reduced to its verdict (a few hundred
bytes and its mount statuses) as it comes in; only the pods that fail are kept whole, for
their diagnosis. The reports of one round: JSON $(& $f0 (& $median $deep 'ReportKB')) KB, metrics $(& $f0 (& $median $deep 'MetricsKB')) KB. Compare the
40-pod mount check above: the round adds the permission check, the Deployment list, the
deep read and the reports.
"@
Set-PerformanceSection -Id 'checkscale' -Markdown $table
Write-Host $table
