# One app inside a 50 MB multi-document file (helm template output of a chart that ships
# dashboards as ConfigMaps, say: a few dozen Deployments between megabytes of data):
# Get-MediaApp -Path, Add-RcloneSidecar -Path -WhatIf, Add-RcloneSidecar -Path and
# Remove-RcloneSidecar -Path, each in a fresh pwsh after a first call on a small file (JIT);
# medians of the calls' own time and of the process's peak working set. With -Baseline (or
# $env:MEDIASTACK_BASELINE_MODULE), the same calls of another build run in the same session,
# so the two columns compare like with like on a machine whose load changes.
param([int] $Runs = 3, [int] $Megabytes = 50, [string] $Baseline = $env:MEDIASTACK_BASELINE_MODULE)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
$folder = Join-Path ([IO.Path]::GetTempPath()) "mediastack-bench-large-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
$null = New-Item -ItemType Directory $folder

function Get-Document([string] $Name) {
    # A chart-rendered Deployment with comments, the way helm template writes them.
    @"
---
# Source: media/templates/$Name.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $Name
  namespace: media-stack
  labels: {app: $Name, helm.sh/chart: media-1.0.0}
spec:
  replicas: 1
  selector:
    matchLabels: {app: $Name}
  template:
    metadata:
      labels: {app: $Name}
    spec:
      containers:
      - name: $Name
        image: lscr.io/linuxserver/${Name}:4.0.0
        env:
        - {name: PUID, value: "1000"}
        - {name: TZ, value: Etc/UTC}
        volumeMounts:
        - {name: media-storage, mountPath: /mnt/media, mountPropagation: HostToContainer}
        - {name: config, mountPath: /config}
      volumes:
      - name: media-storage
        persistentVolumeClaim: {claimName: media-library-pvc}
      - name: config
        persistentVolumeClaim: {claimName: $Name-config}

"@
}

# About 1 MB of dashboard JSON, as a literal block.
$panels = (1..2600 | ForEach-Object { "      {`"id`": $_, `"type`": `"timeseries`", `"title`": `"Panel $_`", `"targets`": [{`"expr`": `"rate(rclone_bytes_transferred_total[5m])`"}]}," }) -join "`n"
function Get-Dashboard([string] $Name) {
    "---`n# Source: media/templates/dashboards.yaml`napiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: $Name-dashboard`n  labels: {grafana_dashboard: `"1`"}`ndata:`n  $Name.json: |`n    {`"panels`": [`n$panels`n    ]}`n"
}

$large = Join-Path $folder 'rendered.yaml'
$writer = [IO.StreamWriter]::new($large)
$count = 0
$middle = $false
try {
    while ($writer.BaseStream.Length -lt $Megabytes * 1MB) {
        $writer.Write((Get-Document "app$count"))
        $writer.Write((Get-Dashboard "app$count"))
        $count++
        # The app to change sits in the middle, as in a rendered chart.
        if (-not $middle -and $writer.BaseStream.Length -ge $Megabytes * 1MB / 2) { $writer.Write((Get-Document 'sonarr')); $middle = $true }
        $writer.Flush()
    }
}
finally { $writer.Dispose() }
$small = Join-Path $folder 'small.yaml'
Set-Content -LiteralPath $small -Value (Get-Document 'warmup') -NoNewline
$pristine = [IO.File]::ReadAllBytes($large)

$calls = [ordered]@{
    'Get-MediaApp -Path (every workload)'  = "`$null = Get-MediaApp -Path '{0}'"
    'Add-RcloneSidecar -Path -WhatIf'      = "`$null = Add-RcloneSidecar -Path '{0}' -Name sonarr -WhatIf"
    'Add-RcloneSidecar -Path'              = "`$null = Add-RcloneSidecar -Path '{0}' -Name sonarr -Confirm:`$false"
    'Remove-RcloneSidecar -Path'           = "`$null = Remove-RcloneSidecar -Path '{0}' -Name sonarr -Confirm:`$false"
}
$builds = [ordered]@{ 'this build' = $env:MEDIASTACK_MODULE }
if ($Baseline) { $builds['baseline'] = $Baseline }

function Measure-Call([string] $Module, [string] $Call, [string] $File) {
    $warm = ($Call -f $small) -replace '-Name sonarr', '-Name warmup'
    $command = "`$ProgressPreference = 'SilentlyContinue'; Import-Module '$Module'; $warm; " +
        "`$w = [Diagnostics.Stopwatch]::StartNew(); $($Call -f $File); `$w.Stop(); " +
        "'{0} {1}' -f `$w.Elapsed.TotalMilliseconds, [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64"
    $parts = (Invoke-FreshPwsh $command | Select-Object -Last 1) -split ' '
    [pscustomobject]@{ Ms = [double]$parts[0]; PeakMiB = [double]$parts[1] / 1MB }
}

$results = @{}
$roundTrip = @{}
foreach ($run in 1..$Runs) {
    # Builds alternate within each round: a change of load hits both alike.
    foreach ($build in $builds.Keys) {
        foreach ($call in $calls.Keys) {
            $results["$build|$call"] += @(Measure-Call $builds[$build] $calls[$call] $large)
        }
        # Whether Remove undid Add byte for byte is part of the result; the next calls start
        # from the original file either way.
        $exact = [Convert]::ToBase64String([IO.File]::ReadAllBytes($large)) -eq [Convert]::ToBase64String($pristine)
        $roundTrip[$build] = $roundTrip[$build] -ne $false -and $exact
        if (-not $exact) { [IO.File]::WriteAllBytes($large, $pristine) }
    }
}
$load = Get-LoadAverage
Remove-Item -LiteralPath $folder -Recurse -Force

$header = '| call |' + (($builds.Keys | ForEach-Object { " $_ (s) | $_ peak (MiB) |" }) -join '')
$rule = '|---|' + (($builds.Keys | ForEach-Object { '---:|---:|' }) -join '')
$rows = foreach ($call in $calls.Keys) {
    "| ``$call`` |" + (($builds.Keys | ForEach-Object {
        $measured = $results["$_|$call"]
        " $('{0:N1}' -f ((Get-Median ($measured | ForEach-Object Ms)) / 1000)) | $('{0:N0}' -f (Get-Median ($measured | ForEach-Object PeakMiB))) |"
    }) -join '')
}
$table = @"
## One app in a 50 MB file

``tests/bench/LargeFile.Bench.ps1``: a $Megabytes MB file of $('{0:N0}' -f ($count + 1)) rendered Deployments, each followed by a 1 MB dashboard
ConfigMap, with ``sonarr`` in the middle; each call in a fresh ``pwsh`` after a first call on a small file,
medians of $Runs rounds ($(if ($Baseline) { 'the builds alternating within each round' } else { 'this build only' })), on $([Environment]::ProcessorCount) cores,
$(Get-Date -Format 'yyyy-MM-dd'), load average $load. The audit measured 16 s for ``Add-RcloneSidecar -Path``
on such a file; the baseline is the build it audited.

$header
$rule
$($rows -join "`n")
| Add then Remove gives the file back byte for byte |$(($builds.Keys | ForEach-Object { " $(if ($roundTrip[$_]) { 'yes' } else { 'no' }) | |" }) -join '')
"@
Set-PerformanceSection -Id largefile -Markdown $table
$table
