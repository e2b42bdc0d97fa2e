# How much Import-Module MediaStack adds to a bare pwsh start (target: at most 150 ms,
# median of fresh processes). Bare and importing runs alternate, so machine noise hits both.
param([int] $Runs = 15)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
$module = $env:MEDIASTACK_MODULE
$budgetMs = 150

# One warm-up of each, so the first run does not pay for cold disk caches.
$null = Measure-FreshPwsh 'exit 0'
$null = Measure-FreshPwsh "Import-Module '$module'; exit 0"

$bare = [Collections.Generic.List[double]]::new()
$import = [Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $Runs; $i++) {
    $bare.Add((Measure-FreshPwsh 'exit 0'))
    $import.Add((Measure-FreshPwsh "Import-Module '$module'; exit 0"))
}
$bareMedian = Get-Median $bare
$importMedian = Get-Median $import
$added = $importMedian - $bareMedian
$verdict = if ($added -le $budgetMs) { 'within' } else { 'OVER' }

$table = @"
## Module import

``tests/bench/Import.Bench.ps1``: $Runs fresh ``pwsh -NoProfile`` processes each, bare and
importing alternately, on $([Environment]::ProcessorCount) cores ($(Get-Date -Format 'yyyy-MM-dd')).

| run | median (ms) | min (ms) | max (ms) |
|---|---:|---:|---:|
| bare ``pwsh -c exit`` | $('{0:N0}' -f $bareMedian) | $('{0:N0}' -f ($bare | Measure-Object -Minimum).Minimum) | $('{0:N0}' -f ($bare | Measure-Object -Maximum).Maximum) |
| ``Import-Module MediaStack`` | $('{0:N0}' -f $importMedian) | $('{0:N0}' -f ($import | Measure-Object -Minimum).Minimum) | $('{0:N0}' -f ($import | Measure-Object -Maximum).Maximum) |
| **added by the module** | **$('{0:N0}' -f $added)** | | |

Budget: at most $budgetMs ms added: $verdict budget.
"@
Set-PerformanceSection -Id 'import' -Markdown $table
Write-Host $table
if ($added -gt $budgetMs) { Write-Warning "Import-Module adds $([int]$added) ms, over the $budgetMs ms budget." }
