#Requires -Version 7.4
<#
.SYNOPSIS
The one entry point for building, testing, documenting, packaging and demonstrating MediaStack.

.DESCRIPTION
Tasks (run in the order given):
  Build    stage the module in output/MediaStack/<version>/ (assemblies, manifest, formats, help)
  Docs     turn docs/en-US/*.md into MAML help in the staged module (part of Build)
  Test     Build, then xunit (Core and sandbox), the Core tests again in a clone made with
           core.autocrlf=true (as Git for Windows checks out), Pester against the staged module
           in a child pwsh, and the package check. -SkipSandbox (automatic off Linux) leaves
           out everything that needs the sandbox cluster; -Suite runs one part only
  Package  Build, publish a .nupkg to a temporary local repository, install it into a temporary
           path and import it from there
  Demo     the tour of the README on the sandbox cluster: find the broken mounts, diagnose,
           repair, test again, generate and export a new app, stop
  Sandbox  start the sandbox cluster in the foreground (Ctrl+C stops it)
  Bench    run the benchmarks under tests/bench and print their figures

Runs on a machine with only the .NET SDK: `dotnet tool restore`, then `dotnet pwsh ./build.ps1`.
It installs what it needs itself (NuGet packages; on Linux as root, the Debian packages the
sandbox needs) and says exactly what is missing when it cannot.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Docs', 'Test', 'Package', 'Demo', 'Sandbox', 'Bench')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Sandbox: the scenario to load (a built-in name or a file).
    [string] $Scenario = 'media-stack',

    # Test: only the Pester files whose name matches (e.g. 'Generation').
    [string] $Filter = '*',

    # Test: leave out the sandbox cluster (its build, its xunit tests and the Pester tests
    # that need it). Automatic where the sandbox cannot run (anything but Linux).
    [switch] $SkipSandbox,

    # Test: only one part (e.g. -Suite Pester -Filter Module while working on the module).
    [ValidateSet('All', 'Core', 'Sandbox', 'Autocrlf', 'Pester', 'Package')]
    [string[]] $Suite = 'All'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$ModuleName = 'MediaStack'
$Version = (Import-PowerShellDataFile (Join-Path $Root "module/$ModuleName.psd1")).ModuleVersion
$Output = Join-Path $Root 'output'
$Staging = Join-Path $Output "$ModuleName/$Version"
$SandboxProject = Join-Path $Root 'tests/MediaStack.Sandbox/MediaStack.Sandbox.csproj'
$SandboxDll = Join-Path $Root "tests/MediaStack.Sandbox/bin/$Configuration/net10.0/MediaStack.Sandbox.dll"
# Command the sandbox node runtime runs -> the Debian package that brings it.
$SystemPackages = [ordered]@{
    rclone = 'rclone'; fusermount3 = 'fuse3'; busybox = 'busybox-static'
    unshare = 'util-linux'; setpriv = 'util-linux'; ip = 'iproute2'; chattr = 'e2fsprogs'
}
# Commands only the tests need: promtool checks the Prometheus textfile the check writes.
$TestPackages = [ordered]@{ promtool = 'prometheus' }

function Write-Step([string] $Message) { Write-Host "==> $Message" -ForegroundColor Cyan }

function Invoke-Native {
    # Runs a program and stops the build when it fails.
    param([Parameter(Mandatory)][string] $FilePath, [string[]] $ArgumentList = @())
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-PwshCommand {
    # The pwsh running this script, as a command line for child processes (`dotnet pwsh`
    # runs pwsh.dll through the dotnet host, so both parts are needed then).
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, [Reflection.Assembly]::GetEntryAssembly().Location)
    }
    @($process)
}

function Invoke-ChildPwsh {
    # Runs a script file in a fresh pwsh (no profile), so tests and demos see the staged
    # module exactly as a user would; returns the child's exit code.
    param([Parameter(Mandatory)][string] $File, [string[]] $ArgumentList = @())
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File) + $ArgumentList
    # Out-Host: the child's output is for the reader, the function returns only the code.
    & $pwsh[0] @arguments | Out-Host
    $LASTEXITCODE
}

function Get-NuGetPackageFolder {
    $line = dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) { throw 'dotnet nuget locals failed: is the .NET SDK installed?' }
    ($line -replace '^global-packages:\s*', '').Trim()
}

function Restore-TestTools {
    # Pester (and the foreign YamlDotNet of the isolation test) come from NuGet.
    Write-Step 'Restoring test tools (Pester) from NuGet'
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/pester/TestTools.proj'), '--verbosity', 'quiet')
    $packages = Get-NuGetPackageFolder
    $pester = Get-ChildItem (Join-Path $packages 'pester') -Directory | Sort-Object { [version]($_.Name -replace '-.*$', '') } | Select-Object -Last 1
    if (-not $pester) { throw "Pester was not restored into $packages; check that NuGet is reachable." }
    $env:MEDIASTACK_PESTER = Join-Path $pester.FullName 'tools/Pester.psd1'
    $env:MEDIASTACK_FOREIGN_YAMLDOTNET = Join-Path $packages 'yamldotnet/16.3.0/lib/net8.0/YamlDotNet.dll'
}

function Install-SystemPackage {
    # Commands the tests need -> their Debian packages: the sandbox node runtime's (rclone,
    # fusermount3, busybox, system tools) and promtool for the metrics tests. Installs them
    # where we can (Linux, root, apt); otherwise says what is missing and lets those tests skip.
    param([System.Collections.IDictionary] $Packages)
    if (-not $IsLinux) { Write-Warning 'The sandbox cluster runs only on Linux; its tests will be skipped.'; return }
    $missing = @($Packages.GetEnumerator() | Where-Object { -not (Get-Command $_.Key -ErrorAction Ignore) } | ForEach-Object Value | Sort-Object -Unique)
    if ($missing.Count -eq 0) { return }
    if ((id -u) -ne '0' -or -not (Get-Command apt-get -ErrorAction Ignore)) {
        Write-Warning "Missing Debian packages for the tests: $($missing -join ', '). Install them with: sudo apt-get install -y $($missing -join ' '). The tests that need them will be skipped."
        return
    }
    Write-Step "Installing $($missing -join ', ') with apt-get"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    # Only the commands are wanted: a package's service (prometheus has one) must not start.
    $policy = '/usr/sbin/policy-rc.d'
    $ownPolicy = -not (Test-Path $policy)
    if ($ownPolicy) { Set-Content $policy "#!/bin/sh`nexit 101"; chmod +x $policy }
    try {
        Invoke-Native apt-get @('update', '-qq')
        Invoke-Native apt-get (@('install', '-y', '-qq', '--no-install-recommends') + $missing)
    }
    finally {
        if ($ownPolicy) { Remove-Item $policy -Force }
    }
}

function Build-Sandbox {
    # The sandbox cluster and what its node runtime needs on the machine.
    Install-SystemPackage $SystemPackages
    Write-Step 'Building the sandbox cluster'
    Invoke-Native dotnet @('build', $SandboxProject, '-c', $Configuration, '--nologo', '--verbosity', 'quiet')
}

function Invoke-Build {
    Write-Step "Building $ModuleName $Version ($Configuration)"
    $publish = Join-Path $Output "publish"
    if (Test-Path $publish) { Remove-Item $publish -Recurse -Force }
    $common = @('-c', $Configuration, "-p:Version=$Version", '--nologo', '--verbosity', 'quiet')
    Invoke-Native dotnet (@('publish', (Join-Path $Root 'src/MediaStack.PowerShell'), '-o', (Join-Path $publish 'bin')) + $common)
    Invoke-Native dotnet (@('publish', (Join-Path $Root 'src/MediaStack.Loader'), '-o', (Join-Path $publish 'loader')) + $common)

    if (Test-Path $Staging) { Remove-Item $Staging -Recurse -Force }
    $null = New-Item -ItemType Directory -Force -Path (Join-Path $Staging 'bin')
    # The loader and the cmdlet assembly (the root module) are the only assemblies in the
    # default load context; their dependencies live in bin/ for the module's own context.
    # PowerShell itself is never shipped.
    Copy-Item (Join-Path $publish 'loader/MediaStack.Loader.dll'), (Join-Path $publish 'bin/MediaStack.PowerShell.dll') $Staging
    Get-ChildItem (Join-Path $publish 'bin') -File |
        Where-Object { $_.Extension -eq '.dll' -and $_.Name -notmatch '^(System\.Management\.Automation|MediaStack\.Loader|MediaStack\.PowerShell)\.dll$' } |
        Copy-Item -Destination (Join-Path $Staging 'bin')
    Copy-Item (Join-Path $Root "module/$ModuleName.psd1") $Staging
    foreach ($folder in 'Formats', 'en-US') {
        $source = Join-Path $Root "module/$folder"
        if (Test-Path $source) { Copy-Item $source -Destination $Staging -Recurse }
    }
    Copy-Item (Join-Path $Root 'LICENSE') $Staging
    Invoke-Docs
    Write-Host "Staged $Staging"
}

function Invoke-Docs {
    Write-Step 'Building MAML help from docs/en-US'
    $source = Join-Path $Root 'docs/en-US'
    $target = Join-Path $Staging 'en-US'
    $null = New-Item -ItemType Directory -Force -Path $target
    if (Get-Module -ListAvailable platyPS) {
        Import-Module platyPS
        $null = New-ExternalHelp -Path $source -OutputPath $target -Force
    }
    else {
        Import-Module (Join-Path $Root 'docs/MarkdownHelp.psm1') -Force
        $null = ConvertTo-MamlHelp -Path $source -OutputPath (Join-Path $target 'MediaStack.PowerShell.dll-Help.xml')
    }
    Get-ChildItem $source -Filter 'about_*.md' | ForEach-Object {
        # about topics: the markdown body is the help text.
        Copy-Item $_.FullName (Join-Path $target ($_.BaseName + '.help.txt'))
    }
}

function Invoke-DotnetTest([string] $Project, [ref] $Totals) {
    Write-Step "xunit: $(Split-Path $Project -Leaf)"
    $lines = & dotnet test $Project -c $Configuration --nologo --verbosity quiet --logger 'console;verbosity=minimal' 2>&1 | ForEach-Object { "$_" } | Tee-Object -Variable captured
    $lines | Write-Host
    $exit = $LASTEXITCODE
    foreach ($line in $captured) {
        if ($line -match 'Failed:\s*(\d+),\s*Passed:\s*(\d+),\s*Skipped:\s*(\d+)') {
            $Totals.Value.Failed += [int]$Matches[1]; $Totals.Value.Passed += [int]$Matches[2]; $Totals.Value.Skipped += [int]$Matches[3]
        }
    }
    if ($exit -ne 0 -and $Totals.Value.Failed -eq 0) { $Totals.Value.Failed += 1 }
    $exit
}

function Invoke-Test {
    if (-not $IsLinux -and -not $SkipSandbox) {
        Write-Warning 'The sandbox cluster runs only on Linux: running every test that does not need it (as with -SkipSandbox). Sandbox xunit tests and the Pester tests on the cluster are SKIPPED on this machine.'
        $script:SkipSandbox = $true
    }
    $run = { param([string] $Part) $Suite -contains 'All' -or $Suite -contains $Part }
    Invoke-Build
    Restore-TestTools
    if (-not $SkipSandbox) { Build-Sandbox }
    Install-SystemPackage $TestPackages

    $totals = @{ Passed = 0; Failed = 0; Skipped = 0 }
    $failures = 0
    if (& $run 'Core') {
        if ((Invoke-DotnetTest (Join-Path $Root 'tests/MediaStack.Core.Tests') ([ref]$totals)) -ne 0) { $failures++ }
    }
    if ((& $run 'Sandbox') -and -not $SkipSandbox) {
        if ((Invoke-DotnetTest (Join-Path $Root 'tests/MediaStack.Sandbox.Tests') ([ref]$totals)) -ne 0) { $failures++ }
    }
    if (& $run 'Autocrlf') {
        if ((Test-AutocrlfClone ([ref]$totals)) -ne 0) { $failures++ }
    }

    if (& $run 'Pester') {
        Write-Step 'Pester against the staged module (child pwsh)'
        $env:MEDIASTACK_MODULE = Join-Path $Staging "$ModuleName.psd1"
        # Without it the Pester tests on the cluster skip, saying why.
        $env:MEDIASTACK_SANDBOX = if ($SkipSandbox) { $null } else { $SandboxDll }
        $resultFile = Join-Path $Output 'TestResults/pester.xml'
        # A bare '*' would be globbed by the shell layer of native calls on Unix: pass it only when set.
        $pesterArguments = @('-ResultFile', $resultFile)
        if ($Filter -ne '*') { $pesterArguments += '-Filter', $Filter }
        $exit = Invoke-ChildPwsh (Join-Path $Root 'tests/pester/Invoke-Pester.ps1') $pesterArguments
        if ($exit -ne 0) { $failures++ }
        if (Test-Path $resultFile) {
            $xml = [xml](Get-Content $resultFile -Raw)
            $result = $xml.'test-results'
            $totals.Passed += [int]$result.total - [int]$result.failures - [int]$result.errors - [int]$result.skipped - [int]$result.'not-run' - [int]$result.inconclusive - [int]$result.ignored
            $totals.Failed += [int]$result.failures + [int]$result.errors
            $totals.Skipped += [int]$result.skipped + [int]$result.'not-run' + [int]$result.ignored
        }
        elseif ($exit -ne 0) { $totals.Failed++ }
    }

    if (& $run 'Package') {
        # The package is tested like everything else: built, installed, imported, used.
        try { New-Package; $totals.Passed++ }
        catch { Write-Host "Package check failed: $_" -ForegroundColor Red; $totals.Failed++ }
    }

    # One closing line that CI and people read the same way.
    $note = if ($SkipSandbox) { ' (sandbox tests left out)' } else { '' }
    Write-Host "$($totals.Passed) passed, $($totals.Failed) failed, $($totals.Skipped) skipped$note"
    if ($failures -gt 0 -or $totals.Failed -gt 0) { throw "Tests failed." }
}

function Test-AutocrlfClone([ref] $Totals) {
    # Git for Windows checks files out with core.autocrlf=true. Clone the committed HEAD that
    # way and run the Core tests there: a CR in a pod script or a fixture fails here, not on a
    # Windows jump host.
    if (-not (Get-Command git -ErrorAction Ignore) -or -not (Test-Path (Join-Path $Root '.git'))) {
        Write-Warning 'git or the repository is missing: the autocrlf clone test is SKIPPED.'
        $Totals.Value.Skipped++
        return 0
    }
    $commit = (git -C $Root rev-parse HEAD).Trim()
    if (git -C $Root status --porcelain --untracked-files=no) {
        Write-Warning "Uncommitted changes are not in the autocrlf clone: it tests the committed HEAD ($($commit.Substring(0, 12)))."
    }
    Write-Step "Core tests in a clone made with core.autocrlf=true ($($commit.Substring(0, 12)))"
    $clone = Join-Path ([IO.Path]::GetTempPath()) "mediastack-autocrlf-$([guid]::NewGuid().ToString('n'))"
    try {
        Invoke-Native git @('-c', 'core.autocrlf=true', 'clone', '--quiet', '--no-checkout', '--config', 'core.autocrlf=true', $Root, $clone) | Out-Host
        Invoke-Native git @('-C', $clone, 'checkout', '--quiet', '--detach', $commit) | Out-Host
        # .gitattributes must win over autocrlf: not one checked-out text file may hold a CR,
        # except the fixtures marked -text, whose CRLF is the point.
        $crlf = @(git -C $clone ls-files --eol | Where-Object { $_ -match '^\S+\s+w/(crlf|mixed)' -and $_ -notmatch 'attr/-text\s' })
        if ($crlf.Count -gt 0) {
            Write-Host "Checked out with CRLF in the autocrlf clone:`n$($crlf -join "`n")" -ForegroundColor Red
            $Totals.Value.Failed++
            return 1
        }
        Invoke-DotnetTest (Join-Path $clone 'tests/MediaStack.Core.Tests') $Totals
    }
    finally {
        Remove-Item $clone -Recurse -Force -ErrorAction Ignore
    }
}

function Invoke-Package {
    Invoke-Build
    New-Package
}

function New-Package {
    Write-Step 'Packaging with PSResourceGet into a temporary local repository'
    $work = Join-Path ([IO.Path]::GetTempPath()) "mediastack-package-$([guid]::NewGuid().ToString('n'))"
    $repository = "MediaStackBuild$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $null = New-Item -ItemType Directory -Path (Join-Path $work 'repo'), (Join-Path $work 'installed')
    try {
        Register-PSResourceRepository -Name $repository -Uri (Join-Path $work 'repo') -Trusted
        Publish-PSResource -Path $Staging -Repository $repository
        $package = Get-ChildItem (Join-Path $work 'repo') -Filter '*.nupkg' | Select-Object -First 1
        Copy-Item $package.FullName $Output
        Save-PSResource -Name $ModuleName -Version $Version -Repository $repository -Path (Join-Path $work 'installed') -TrustRepository
        $installed = Join-Path $work "installed/$ModuleName/$Version/$ModuleName.psd1"
        $help = New-UpdatableHelp
        # The package must work, not only exist: import it in a fresh pwsh and generate an app.
        $check = Join-Path $work 'check.ps1'
        Set-Content $check @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($installed -replace "'", "''")'
`$app = New-MediaApp -Name packagecheck -Image 'lscr.io/linuxserver/prowlarr:latest' -Port 9696
if (`$app.Name -ne 'packagecheck') { throw 'New-MediaApp from the installed package returned the wrong object.' }
if (-not (Get-Help New-MediaApp).Synopsis) { throw 'Help is missing from the installed package.' }
# Updatable help as the release will serve it (zip: Linux and macOS; Windows asks for a .cab).
if (-not `$IsWindows) { Update-Help -Module MediaStack -SourcePath '$($help -replace "'", "''")' -UICulture en-US -Scope CurrentUser -Force -ErrorAction Stop }
'Installed package imported from ' + (Get-Module MediaStack).ModuleBase
"@
        # Update-Help writes into the user's help folder: a scratch one.
        $savedData = $env:XDG_DATA_HOME
        $env:XDG_DATA_HOME = Join-Path $work 'data'
        try { $exit = Invoke-ChildPwsh $check }
        finally { $env:XDG_DATA_HOME = $savedData }
        if ($exit -ne 0) { throw 'The installed package does not work.' }
        Write-Host "Package: $(Join-Path $Output $package.Name)"
    }
    finally {
        Unregister-PSResourceRepository -Name $repository -ErrorAction Ignore
        Remove-Item $work -Recurse -Force -ErrorAction Ignore
    }
}

function New-UpdatableHelp {
    # What Update-Help downloads from the manifest's HelpInfoURI (attach these files to the
    # GitHub release): the HelpInfo naming the help version per culture, and the en-US help
    # as a zip. Returns the folder.
    $manifest = Import-PowerShellDataFile (Join-Path $Staging "$ModuleName.psd1")
    $folder = Join-Path $Output 'help'
    if (Test-Path $folder) { Remove-Item $folder -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $folder
    $prefix = "${ModuleName}_$($manifest.GUID)"
    $helpVersion = ([version]$Version).ToString(3) + '.0'
    @"
<?xml version="1.0" encoding="utf-8"?>
<HelpInfo xmlns="http://schemas.microsoft.com/powershell/help/2010/05">
  <HelpContentURI>$($manifest.HelpInfoURI)</HelpContentURI>
  <SupportedUICultures>
    <UICulture>
      <UICultureName>en-US</UICultureName>
      <UICultureVersion>$helpVersion</UICultureVersion>
    </UICulture>
  </SupportedUICultures>
</HelpInfo>
"@ | Set-Content -LiteralPath (Join-Path $folder "${prefix}_HelpInfo.xml") -Encoding utf8NoBOM
    Compress-Archive -Path (Join-Path $Staging 'en-US/*') -DestinationPath (Join-Path $folder "${prefix}_en-US_HelpContent.zip")
    Write-Host "Updatable help: $folder"
    $folder
}

function Invoke-Demo {
    Invoke-Build
    Build-Sandbox
    $env:MEDIASTACK_MODULE = Join-Path $Staging "$ModuleName.psd1"
    $env:MEDIASTACK_SANDBOX = $SandboxDll
    if ((Invoke-ChildPwsh (Join-Path $Root 'tests/tour/Tour.ps1')) -ne 0) { throw 'The demo failed.' }
}

function Invoke-Sandbox {
    Build-Sandbox
    $kubeconfig = Join-Path $Output 'sandbox/kubeconfig'
    $null = New-Item -ItemType Directory -Force -Path (Split-Path $kubeconfig)
    Write-Step "Starting the sandbox cluster (scenario $Scenario); Ctrl+C stops it"
    Write-Host "Use it with: `$env:KUBECONFIG = '$kubeconfig'"
    & dotnet $SandboxDll up --scenario $Scenario --kubeconfig $kubeconfig
}

function Invoke-Bench {
    Invoke-Build
    Build-Sandbox
    $env:MEDIASTACK_MODULE = Join-Path $Staging "$ModuleName.psd1"
    $env:MEDIASTACK_SANDBOX = $SandboxDll
    foreach ($bench in Get-ChildItem (Join-Path $Root 'tests/bench') -Filter '*.Bench.ps1' | Sort-Object Name) {
        Write-Step "Benchmark: $($bench.Name)"
        if ((Invoke-ChildPwsh $bench.FullName) -ne 0) { throw "Benchmark $($bench.Name) failed." }
    }
}

Push-Location $Root
try {
    foreach ($name in $Task) {
        switch ($name) {
            'Build' { Invoke-Build }
            'Docs' { Invoke-Docs }
            'Test' { Invoke-Test }
            'Package' { Invoke-Package }
            'Demo' { Invoke-Demo }
            'Sandbox' { Invoke-Sandbox }
            'Bench' { Invoke-Bench }
        }
    }
}
finally {
    Pop-Location
}
