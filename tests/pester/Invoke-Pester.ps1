# Runs the Pester suite against the staged module; build.ps1 -Task Test calls it in a child
# pwsh with MEDIASTACK_MODULE (the staged psd1) and MEDIASTACK_PESTER set.
param(
    [Parameter(Mandatory)][string] $ResultFile,
    [string] $Filter = '*'
)
$ErrorActionPreference = 'Stop'
foreach ($variable in 'MEDIASTACK_MODULE', 'MEDIASTACK_PESTER') {
    if (-not [Environment]::GetEnvironmentVariable($variable)) {
        throw "$variable is not set: run the tests through build.ps1 -Task Test."
    }
}
Import-Module $env:MEDIASTACK_PESTER -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = @(Get-ChildItem $PSScriptRoot -Filter "$Filter.Tests.ps1" | ForEach-Object FullName)
$configuration.Run.Exit = $false
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $ResultFile
$null = New-Item -ItemType Directory -Force -Path (Split-Path $ResultFile)

$result = Invoke-Pester -Configuration $configuration
exit ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount)
