# How much Import-Module MediaStack adds to a bare pwsh start (target: at most 150 ms,
# median of fresh processes). With -Baseline (or $env:MEDIASTACK_BASELINE_MODULE), another
# build's manifest is measured side by side in the same run, e.g. main's before a change
# to loading.
param([int] $Runs = 15, [string] $Baseline = $env:MEDIASTACK_BASELINE_MODULE)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
$module = $env:MEDIASTACK_MODULE
$budgetMs = 150

# pwsh records the methods JIT-compiled during start-up and pre-compiles them in the next
# process (multicore JIT profile): a run right after the other kind pays for the profile of
# the other kind (~60 ms here). So runs come in blocks of one kind, each block opened by a
# warm-up that is not counted, and the blocks alternate, so machine noise hits both.
$bare = [Collections.Generic.List[double]]::new()
$import = [Collections.Generic.List[double]]::new()
$baselineRuns = [Collections.Generic.List[double]]::new()
$kinds = @(@{ Runs = $bare; Command = 'exit 0' }, @{ Runs = $import; Command = "Import-Module '$module'; exit 0" })
if ($Baseline) { $kinds += @{ Runs = $baselineRuns; Command = "Import-Module '$Baseline'; exit 0" } }
$blocks = 3
$perBlock = [Math]::Max(1, [int][Math]::Ceiling($Runs / $blocks))
for ($block = 0; $block -lt $blocks; $block++) {
    foreach ($kind in $kinds) {
        $null = Measure-FreshPwsh $kind.Command
        for ($i = 0; $i -lt $perBlock; $i++) { $kind.Runs.Add((Measure-FreshPwsh $kind.Command)) }
    }
}
$bareMedian = Get-Median $bare
$importMedian = Get-Median $import
$added = $importMedian - $bareMedian
$verdict = if ($added -le $budgetMs) { 'within' } else { 'OVER' }

$table = @"
## Module import

``tests/bench/Import.Bench.ps1``: $($bare.Count) fresh ``pwsh -NoProfile`` processes each, in
$blocks alternating blocks of one kind (pwsh's start-up JIT profile is per previous process,
so mixing kinds run by run would charge the module for it), on $([Environment]::ProcessorCount) cores ($(Get-Date -Format 'yyyy-MM-dd')).

| run | median (ms) | min (ms) | max (ms) |
|---|---:|---:|---:|
| bare ``pwsh -c exit`` | $('{0:N0}' -f $bareMedian) | $('{0:N0}' -f ($bare | Measure-Object -Minimum).Minimum) | $('{0:N0}' -f ($bare | Measure-Object -Maximum).Maximum) |
| ``Import-Module MediaStack`` | $('{0:N0}' -f $importMedian) | $('{0:N0}' -f ($import | Measure-Object -Minimum).Minimum) | $('{0:N0}' -f ($import | Measure-Object -Maximum).Maximum) |
| **added by the module** | **$('{0:N0}' -f $added)** | | |
$(if ($Baseline) { "| ``Import-Module`` of the baseline build | $('{0:N0}' -f (Get-Median $baselineRuns)) | $('{0:N0}' -f ($baselineRuns | Measure-Object -Minimum).Minimum) | $('{0:N0}' -f ($baselineRuns | Measure-Object -Maximum).Maximum) |`n| added by the baseline build | $('{0:N0}' -f ((Get-Median $baselineRuns) - $bareMedian)) | | |`n" })

Budget: at most $budgetMs ms added: $verdict budget. Load average while measuring:
$(if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ', ' } else { 'not known' }) (the machine is shared: compare the rows of one run, not runs of different days).
"@
Set-PerformanceSection -Id 'import' -Markdown $table
Write-Host $table
if ($added -gt $budgetMs) { Write-Warning "Import-Module adds $([int]$added) ms, over the $budgetMs ms budget." }
