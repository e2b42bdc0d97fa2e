# Help is part of the product: every cmdlet and parameter documented, no placeholder text,
# and Get-Help shows what the docs say.
BeforeDiscovery {
    $manifest = Import-PowerShellDataFile $env:MEDIASTACK_MODULE
    $Cmdlets = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module $env:MEDIASTACK_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../../docs/MarkdownHelp.psm1') -Force
    $DocsRoot = Join-Path $PSScriptRoot '../../docs/en-US'
    $CommonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Help for <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $page = Join-Path $DocsRoot "$Name.md"
        $doc = if (Test-Path $page) { Read-MarkdownHelp -Path $page }
        $parameters = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $CommonParameters }
    }

    It 'has a docs page' {
        $page | Should -Exist
    }

    It 'has no placeholder text' {
        Get-Content $page -Raw | Should -Not -Match '\{\{|TODO|Fill in|Add example'
    }

    It 'has a synopsis, a description and at least two examples with code' {
        $doc.Synopsis | Should -Not -BeNullOrEmpty
        $doc.Description | Should -Not -BeNullOrEmpty
        $doc.Examples.Count | Should -BeGreaterOrEqual 2
        $doc.Examples | ForEach-Object { $_.Code | Should -Match $Name }
    }

    It 'documents every parameter, and only real ones' {
        $documented = @($doc.Parameters.Name)
        foreach ($parameter in $parameters) {
            $documented | Should -Contain $parameter -Because "-$parameter of $Name needs a '### -$parameter' entry"
            ($doc.Parameters | Where-Object Name -EQ $parameter).Description | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
        foreach ($name in $documented) {
            $parameters | Should -Contain $name -Because "the docs describe -$name, which $Name does not have"
        }
    }

    It 'has an online version at the project, which Get-Help -Online opens' {
        $project = (Import-PowerShellDataFile $env:MEDIASTACK_MODULE).PrivateData.PSData.ProjectUri
        $doc.Links[0].Uri | Should -Be "$project/blob/main/docs/en-US/$Name.md"
        (Get-Help $Name -Full).relatedLinks.navigationLink[0].uri | Should -Be $doc.Links[0].Uri
    }

    It 'shows synopsis, every parameter and the examples in Get-Help -Full' {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Be $doc.Synopsis
        $shown = @($help.parameters.parameter.name)
        foreach ($parameter in $parameters) { $shown | Should -Contain $parameter }
        @($help.examples.example).Count | Should -Be $doc.Examples.Count
        ($help | Out-String) | Should -Match ([regex]::Escape($doc.Examples[0].Code.Split("`n")[0].Trim()))
    }
}
