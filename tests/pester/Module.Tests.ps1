# The module as a package: manifest, loading, assembly isolation.
BeforeAll {
    $ModulePath = $env:MEDIASTACK_MODULE
    $ModuleRoot = Split-Path $ModulePath

    function Invoke-FreshPwsh([string] $Script) {
        # A new process, so nothing this session loaded can hide a loading problem.
        $pwsh = [Environment]::ProcessPath
        $arguments = @()
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments += [Reflection.Assembly]::GetEntryAssembly().Location }
        $arguments += '-NoProfile', '-NonInteractive', '-Command', $Script
        $output = & $pwsh @arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }
}

Describe 'Module manifest' {
    It 'passes Test-ModuleManifest' {
        $manifest = Test-ModuleManifest -Path $ModulePath -ErrorAction Stop
        $manifest.Name | Should -Be 'MediaStack'
        $manifest.PowerShellVersion | Should -Be ([version]'7.4')
        $manifest.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'declares explicit cmdlets and nothing else' {
        $data = Import-PowerShellDataFile $ModulePath
        $data.CmdletsToExport | Should -Not -Contain '*'
        $data.CmdletsToExport.Count | Should -BeGreaterThan 0
        $data.FunctionsToExport.Count | Should -Be 0
        $data.AliasesToExport.Count | Should -Be 0
        $data.VariablesToExport.Count | Should -Be 0
    }

    It 'carries the PSGallery metadata' {
        $psData = (Import-PowerShellDataFile $ModulePath).PrivateData.PSData
        $psData.Tags | Should -Contain 'Kubernetes'
        $psData.ProjectUri | Should -Match '^https://'
        $psData.LicenseUri | Should -Match '^https://'
        $psData.ReleaseNotes | Should -Not -BeNullOrEmpty
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $result = Invoke-FreshPwsh "Import-Module '$ModulePath'; (Get-Command -Module MediaStack | Sort-Object Name).Name -join ','"
        $result.ExitCode | Should -Be 0
        $expected = ((Import-PowerShellDataFile $ModulePath).CmdletsToExport | Sort-Object) -join ','
        $result.Output.Trim() | Should -Be $expected
    }

    It 'keeps every cmdlet across Import-Module -Force and Remove-Module' {
        $script = "Import-Module '$ModulePath'; Import-Module '$ModulePath' -Force; `$a = (Get-Command -Module MediaStack).Count; Remove-Module MediaStack; Import-Module '$ModulePath'; `$b = (Get-Command -Module MediaStack).Count; `"`$a,`$b`""
        $result = Invoke-FreshPwsh $script
        $count = (Import-PowerShellDataFile $ModulePath).CmdletsToExport.Count
        $result.Output.Trim() | Should -Be "$count,$count"
    }

    It 'never ships System.Management.Automation' {
        Get-ChildItem $ModuleRoot -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'keeps only the loader and the cmdlet assembly in the module root' {
        (Get-ChildItem $ModuleRoot -Filter '*.dll' | Sort-Object Name).Name | Should -Be @('MediaStack.Loader.dll', 'MediaStack.PowerShell.dll')
        $data = Import-PowerShellDataFile $ModulePath
        $data.RootModule | Should -Be 'MediaStack.PowerShell.dll'
        $data.NestedModules | Should -Be @('MediaStack.Loader.dll')
    }

    It 'runs no script at import: nothing for AllSigned or Constrained Language mode to refuse' {
        Get-ChildItem $ModuleRoot -Recurse -Include '*.ps1', '*.psm1' | Should -BeNullOrEmpty
        $data = Import-PowerShellDataFile $ModulePath
        $data.Keys | Should -Not -Contain 'ScriptsToProcess'
        $data.Keys | Should -Not -Contain 'TypesToProcess'
    }

    It 'imports and works in Constrained Language mode' {
        # What App Control for Business or AppLocker impose on a locked-down jump host.
        $script = "`$ExecutionContext.SessionState.LanguageMode = 'ConstrainedLanguage'; Import-Module '$ModulePath'; `$app = New-MediaApp clm lscr.io/linuxserver/sonarr:4.0.11 8989; `"`$(`$ExecutionContext.SessionState.LanguageMode) `$(`$app.Name) `$((Get-Command -Module MediaStack).Count)`""
        $result = Invoke-FreshPwsh $script
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $count = (Import-PowerShellDataFile $ModulePath).CmdletsToExport.Count
        $result.Output.Trim() | Should -Be "ConstrainedLanguage clm $count"
    }

    It 'points help and online links at the project' {
        $data = Import-PowerShellDataFile $ModulePath
        $project = $data.PrivateData.PSData.ProjectUri
        $data.HelpInfoURI | Should -BeLike "$project/*"
        $result = Invoke-FreshPwsh "Import-Module '$ModulePath'; (Get-Help New-MediaApp -Full).relatedLinks.navigationLink[0].uri"
        $result.Output.Trim() | Should -Be "$project/blob/main/docs/en-US/New-MediaApp.md"
    }

    It 'tags every exported command for gallery search (PSCommand_ and PSCmdlet_)' {
        $data = Import-PowerShellDataFile $ModulePath
        foreach ($cmdlet in $data.CmdletsToExport) {
            $data.PrivateData.PSData.Tags | Should -Contain "PSCommand_$cmdlet"
            $data.PrivateData.PSData.Tags | Should -Contain "PSCmdlet_$cmdlet"
        }
    }
}

Describe 'Assembly isolation' {
    It 'loads its own YamlDotNet next to a different one already in the session' {
        $foreign = $env:MEDIASTACK_FOREIGN_YAMLDOTNET
        $foreign | Should -Exist
        $manifest = Join-Path $TestDrive 'isolation.yaml'
        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$foreign'
`$before = [YamlDotNet.Serialization.SerializerBuilder].Assembly.GetName().Version.ToString()
Import-Module '$ModulePath'
New-MediaApp -Name isolation -Image 'lscr.io/linuxserver/sonarr:4.0.11' -Port 8989 | ConvertTo-MediaManifest | Set-Content '$manifest'
# Reading YAML back goes through the module's YamlDotNet parser.
`$read = Get-MediaApp -Path '$manifest'
`$copies = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' } |
    ForEach-Object { '{0}@{1}' -f `$_.GetName().Version.Major, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name } | Sort-Object
"before=`$before"
"loaded=`$(`$copies -join ',')"
"read=`$(`$read.Name)"
"@
        $result = Invoke-FreshPwsh $script
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'before=16\.'
        $result.Output | Should -Match 'loaded=16@Default,18@MediaStack'
        $result.Output | Should -Match 'read=isolation'
    }

    It 'keeps YamlDotNet out of the default context: the cmdlet assembly there never references it' {
        # The root module is loaded like any binary module; only what it references directly
        # is resolved from the default context, so it must not name YamlDotNet itself.
        $cmdlets = [Reflection.AssemblyName]::GetAssemblyName((Join-Path $ModuleRoot 'MediaStack.PowerShell.dll'))
        $stream = [IO.File]::OpenRead((Join-Path $ModuleRoot 'MediaStack.PowerShell.dll'))
        try {
            $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
            $reader = [Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            $names = foreach ($handle in $reader.AssemblyReferences) { $reader.GetString($reader.GetAssemblyReference($handle).Name) }
        }
        finally { $stream.Dispose() }
        $cmdlets.Name | Should -Be 'MediaStack.PowerShell'
        $names | Should -Contain 'MediaStack.Core'
        $names | Should -Not -Contain 'YamlDotNet'
    }
}
