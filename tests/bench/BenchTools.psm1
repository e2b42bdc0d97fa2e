# Shared by the benchmarks: medians, fresh pwsh processes, and writing a figure table into
# its own marked section of docs/performance.md.

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$middle] }
    ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, [Reflection.Assembly]::GetEntryAssembly().Location)
    }
    @($process)
}

function Measure-FreshPwsh([string] $Command) {
    # Wall-clock milliseconds of one fresh pwsh process running $Command.
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $pwsh[0] @arguments | Out-Null
    $watch.Stop()
    if ($LASTEXITCODE -ne 0) { throw "pwsh -Command '$Command' failed with exit code $LASTEXITCODE." }
    $watch.Elapsed.TotalMilliseconds
}

function Invoke-FreshPwsh([string] $Command) {
    # The output lines of one fresh pwsh process running $Command.
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command)
    $output = & $pwsh[0] @arguments
    if ($LASTEXITCODE -ne 0) { throw "pwsh -Command '$Command' failed with exit code $LASTEXITCODE." }
    $output
}

function Set-PerformanceSection {
    # Replaces (or appends) the section between <!-- bench:$Id --> markers.
    param([Parameter(Mandatory)][string] $Id, [Parameter(Mandatory)][string] $Markdown)
    $path = Join-Path $PSScriptRoot '../../docs/performance.md'
    $text = Get-Content $path -Raw
    $block = "<!-- bench:$Id -->`n$($Markdown.Trim())`n<!-- /bench:$Id -->"
    $pattern = "(?s)<!-- bench:$([regex]::Escape($Id)) -->.*?<!-- /bench:$([regex]::Escape($Id)) -->"
    $text = if ($text -match $pattern) { [regex]::Replace($text, $pattern, { $block }) } else { $text.TrimEnd() + "`n`n$block`n" }
    $temporary = "$path.tmp"
    Set-Content -Path $temporary -Value $text -NoNewline
    Move-Item $temporary $path -Force
}

Export-ModuleMember -Function Get-Median, Measure-FreshPwsh, Invoke-FreshPwsh, Set-PerformanceSection
