# Hostile manifests against the read limits: Get-MediaApp -Path on the audit's alias bombs
# and a deep nesting, next to a normal manifest of the same size, each in a fresh pwsh
# (time of the call itself, median of the runs; peak working set of the whole process).
# Without the limits, the 7-level bomb took 72 s and 17 GB, the 6-level one 6.6 s and 1.8 GB.
param([int] $Runs = 5)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../pester/HostileInputs.psm1') -Force
$module = $env:MEDIASTACK_MODULE
$folder = Join-Path ([IO.Path]::GetTempPath()) "mediastack-bench-yaml-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
$null = New-Item -ItemType Directory $folder

$normal = "apiVersion: apps/v1`nkind: Deployment`nmetadata: {name: probe, namespace: media-stack}`nspec:`n  template:`n    spec:`n      containers:`n" +
    ((1..6 | ForEach-Object { "      - {name: c$_, image: 'nginx:1.27', args: [--port=$_, --verbose, --log=/var/log/c$_.log]}" }) -join "`n") + "`n"
$inputs = [ordered]@{
    'normal Deployment'                  = $normal
    'alias bomb, 6 levels'               = Get-AliasBomb 6
    'alias bomb, 7 levels'               = Get-AliasBomb 7
    'alias bomb, 9 levels'               = Get-AliasBomb 9
    '10,000 nested flow sequences'       = 'x: ' + ('[' * 10000) + (']' * 10000)
}
$warmUp = Join-Path $folder 'warm-up.yaml'
Set-Content -LiteralPath $warmUp -Value $normal -NoNewline
$rows = foreach ($name in $inputs.Keys) {
    $file = Join-Path $folder (($name -replace '[^a-z0-9]+', '-') + '.yaml')
    Set-Content -LiteralPath $file -Value $inputs[$name] -NoNewline
    # A first call on the normal file compiles the code paths; the second call is measured.
    $command = "Import-Module '$module'; `$null = Get-MediaApp -Path '$warmUp'; `$a = [GC]::GetTotalAllocatedBytes(`$true); `$w = [Diagnostics.Stopwatch]::StartNew(); " +
        "`$null = Get-MediaApp -Path '$file' -ErrorAction SilentlyContinue -ErrorVariable e; `$w.Stop(); `$a = [GC]::GetTotalAllocatedBytes(`$true) - `$a; " +
        "'{0} {1} {2} {3}' -f `$w.Elapsed.TotalMilliseconds, [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64, `$a, ((`$e | ForEach-Object { `$_.FullyQualifiedErrorId.Split(',')[0] }) -join ';')"
    $lines = 1..$Runs | ForEach-Object { Invoke-FreshPwsh $command }
    $parts = $lines | ForEach-Object { , ($_ -split ' ') }
    $ms = Get-Median ($parts | ForEach-Object { [double]$_[0] })
    $peak = Get-Median ($parts | ForEach-Object { [double]$_[1] / 1MB })
    $allocated = Get-Median ($parts | ForEach-Object { [double]$_[2] / 1MB })
    $outcome = ($parts | ForEach-Object { $_[3] } | Select-Object -Unique) -join ', '
    [pscustomobject]@{ Input = $name; Bytes = (Get-Item -LiteralPath $file).Length; Ms = $ms; AllocatedMiB = $allocated; PeakMiB = $peak; Outcome = if ($outcome) { "``$outcome``" } else { 'read' } }
}
Remove-Item -LiteralPath $folder -Recurse -Force

$table = @"
## Hostile manifests

``tests/bench/YamlLimits.Bench.ps1``: ``Get-MediaApp -Path <file>`` in $Runs fresh ``pwsh`` processes per input,
default read limits, on $([Environment]::ProcessorCount) cores ($(Get-Date -Format 'yyyy-MM-dd')), after a first call on the normal file (JIT).
Medians of the call's own time, of what it allocated, and of the whole process's peak working
set (module and runtime included). Before the limits, the 7-level bomb took 72 s and 17 GB,
the 6-level one 6.6 s and 1.8 GB.

| input | bytes | Get-MediaApp (ms) | allocated by the call (MiB) | process peak (MiB) | outcome |
|---|---:|---:|---:|---:|---|
$(($rows | ForEach-Object { "| $($_.Input) | $($_.Bytes) | $('{0:N0}' -f $_.Ms) | $('{0:N1}' -f $_.AllocatedMiB) | $('{0:N0}' -f $_.PeakMiB) | $($_.Outcome) |" }) -join "`n")
"@
Set-PerformanceSection -Id yaml-limits -Markdown $table
$table
