# Turns the cmdlet pages in docs/<culture>/ (PlatyPS markdown schema 2.0.0) into the MAML
# file that Get-Help reads. build.ps1 uses PlatyPS's New-ExternalHelp when PlatyPS is
# installed; this converter reads the same schema for machines where it is not.

Set-StrictMode -Version Latest

$MamlNamespaces = [ordered]@{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Read-MarkdownHelp {
    <#
    .SYNOPSIS
    Parses one PlatyPS-schema cmdlet page into a hashtable (name, synopsis, description,
    syntax sets, examples, parameters, inputs, outputs, notes, links).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipelineByPropertyName)][Alias('FullName')][string] $Path)

    process {
        $text = (Get-Content -LiteralPath $Path -Raw) -replace "`r`n", "`n"
        if ($text -notmatch '(?s)^---\n(.*?)\n---\n(.*)$') {
            throw "${Path}: missing the YAML front matter of the PlatyPS schema."
        }
        $frontMatter = $Matches[1]
        $body = $Matches[2]
        $title = [regex]::Match($body, '(?m)^# (\S+)\s*$')
        if (-not $title.Success) { throw "${Path}: missing the '# <Cmdlet-Name>' title." }

        $sections = Split-Heading -Text $body -Level 2
        $page = [ordered]@{
            Path        = $Path
            Name        = $title.Groups[1].Value
            Synopsis    = (Get-Section $sections 'SYNOPSIS').Trim()
            Description = (Get-Section $sections 'DESCRIPTION').Trim()
            Syntax      = @()
            Examples    = @()
            Parameters  = @()
            Inputs      = @()
            Outputs     = @()
            Notes       = (Get-Section $sections 'NOTES').Trim()
            Links       = @()
        }

        foreach ($set in Split-Heading -Text (Get-Section $sections 'SYNTAX') -Level 3) {
            $page.Syntax += [ordered]@{ Name = ($set.Title -replace '\s*\(Default\)$', ''); Default = $set.Title -match '\(Default\)$' }
        }
        foreach ($example in Split-Heading -Text (Get-Section $sections 'EXAMPLES') -Level 3) {
            $code = [regex]::Match($example.Body, '(?s)```[a-zA-Z]*\n(.*?)\n```')
            $page.Examples += [ordered]@{
                Title   = $example.Title
                Code    = $code.Groups[1].Value
                Remarks = ($example.Body.Substring($code.Index + $code.Length)).Trim()
            }
        }
        foreach ($parameter in Split-Heading -Text (Get-Section $sections 'PARAMETERS') -Level 3) {
            if ($parameter.Title -eq 'CommonParameters') { continue }
            $yaml = [regex]::Match($parameter.Body, '(?s)```yaml\n(.*?)\n```')
            $fields = @{}
            foreach ($line in $yaml.Groups[1].Value -split "`n") {
                if ($line -match '^([A-Za-z ]+):\s*(.*)$') { $fields[$Matches[1]] = $Matches[2].Trim() }
            }
            $page.Parameters += [ordered]@{
                Name        = $parameter.Title.TrimStart('-')
                Description = $parameter.Body.Substring(0, [Math]::Max(0, $yaml.Index)).Trim()
                Fields      = $fields
            }
        }
        foreach ($kind in @{ INPUTS = 'Inputs'; OUTPUTS = 'Outputs' }.GetEnumerator()) {
            foreach ($type in Split-Heading -Text (Get-Section $sections $kind.Key) -Level 3) {
                $page[$kind.Value] += [ordered]@{ Type = $type.Title; Description = $type.Body.Trim() }
            }
        }
        # As PlatyPS does: the online version is the first related link, which Get-Help -Online opens.
        $online = [regex]::Match($frontMatter, '(?m)^online version:[ \t]*(\S+)[ \t]*$')
        if ($online.Success) {
            $page.Links += [ordered]@{ Text = 'Online Version:'; Uri = $online.Groups[1].Value }
        }
        foreach ($link in [regex]::Matches((Get-Section $sections 'RELATED LINKS'), '\[([^\]]+)\]\(([^)]*)\)')) {
            $page.Links += [ordered]@{ Text = $link.Groups[1].Value; Uri = $link.Groups[2].Value }
        }
        [pscustomobject]$page
    }
}

function Split-Heading([string] $Text, [int] $Level) {
    # Splits on headings of exactly this level, outside fenced code blocks.
    $marker = '#' * $Level + ' '
    $result = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $inFence = $false
    foreach ($line in $Text -split "`n") {
        if ($line.StartsWith('```')) { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($marker)) {
            $current = [ordered]@{ Title = $line.Substring($marker.Length).Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
            $result.Add($current)
        }
        elseif ($current) { $current.Lines.Add($line) }
    }
    foreach ($item in $result) { [pscustomobject]@{ Title = $item.Title; Body = ($item.Lines -join "`n") } }
}

function Get-Section($Sections, [string] $Title) {
    $match = @($Sections | Where-Object Title -EQ $Title)
    if ($match.Count -eq 0) { return '' }
    $match[0].Body
}

function ConvertTo-MamlHelp {
    <#
    .SYNOPSIS
    Writes the MAML help file for every cmdlet page in a folder.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][string] $OutputPath
    )

    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $null = New-Item -ItemType Directory -Force -Path (Split-Path $OutputPath)
    $temporary = "$OutputPath.tmp"
    $writer = [System.Xml.XmlWriter]::Create($temporary, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        Get-ChildItem -LiteralPath $Path -Filter '*-*.md' | Sort-Object Name | Read-MarkdownHelp | ForEach-Object {
            Write-MamlCommand -Writer $writer -Page $_
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
    Move-Item -LiteralPath $temporary -Destination $OutputPath -Force
    Get-Item -LiteralPath $OutputPath
}

function Write-Paragraphs($Writer, [string] $Text) {
    foreach ($paragraph in ($Text -split "\n\s*\n")) {
        if ($paragraph.Trim()) { $Writer.WriteElementString('para', $MamlNamespaces.maml, $paragraph.Trim()) }
    }
}

function Write-Description($Writer, [string] $Text) {
    $Writer.WriteStartElement('description', $MamlNamespaces.maml)
    Write-Paragraphs $Writer $Text
    $Writer.WriteEndElement()
}

function Write-MamlParameter($Writer, $Parameter, [string] $Position) {
    $fields = $Parameter.Fields
    $type = if ($fields['Type']) { $fields['Type'] } else { 'Object' }
    $w = $Writer
    $w.WriteStartElement('parameter', $MamlNamespaces.command)
    $w.WriteAttributeString('required', ("$($fields['Required'])" -eq 'True').ToString().ToLowerInvariant())
    $w.WriteAttributeString('variableLength', ($type -match '\[\]$').ToString().ToLowerInvariant())
    $w.WriteAttributeString('globbing', ("$($fields['Accept wildcard characters'])" -eq 'True').ToString().ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $(if ($fields['Accept pipeline input']) { $fields['Accept pipeline input'] } else { 'False' }))
    $w.WriteAttributeString('position', $Position)
    $w.WriteAttributeString('aliases', $(if ($fields['Aliases']) { $fields['Aliases'] } else { 'none' }))
    $w.WriteElementString('name', $MamlNamespaces.maml, $Parameter.Name)
    Write-Description $w $Parameter.Description
    if ($type -ne 'SwitchParameter') {
        $w.WriteStartElement('parameterValue', $MamlNamespaces.command)
        $w.WriteAttributeString('required', 'true')
        $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($type)
        $w.WriteEndElement()
    }
    $w.WriteStartElement('type', $MamlNamespaces.dev)
    $w.WriteElementString('name', $MamlNamespaces.maml, $type)
    $w.WriteEndElement()
    $w.WriteElementString('defaultValue', $MamlNamespaces.dev, $(if ($fields['Default value']) { $fields['Default value'] } else { 'None' }))
    $w.WriteEndElement()
}

function Get-ParameterPosition($Parameter) {
    $position = $Parameter.Fields['Position']
    if (-not $position -or $position -eq 'Named') { return 'named' }
    $position
}

function Write-MamlCommand($Writer, $Page) {
    $w = $Writer
    $verb, $noun = $Page.Name -split '-', 2
    $w.WriteStartElement('command', 'command', $MamlNamespaces.command)
    foreach ($prefix in 'maml', 'dev') { $w.WriteAttributeString('xmlns', $prefix, $null, $MamlNamespaces[$prefix]) }

    $w.WriteStartElement('details', $MamlNamespaces.command)
    $w.WriteElementString('name', $MamlNamespaces.command, $Page.Name)
    $w.WriteElementString('verb', $MamlNamespaces.command, $verb)
    $w.WriteElementString('noun', $MamlNamespaces.command, $noun)
    Write-Description $w $Page.Synopsis
    $w.WriteEndElement()
    Write-Description $w $Page.Description

    $w.WriteStartElement('syntax', $MamlNamespaces.command)
    foreach ($set in $Page.Syntax) {
        $w.WriteStartElement('syntaxItem', $MamlNamespaces.command)
        $w.WriteElementString('name', $MamlNamespaces.maml, $Page.Name)
        foreach ($parameter in $Page.Parameters) {
            $sets = "$($parameter.Fields['Parameter Sets'])" -split ',\s*'
            if ($sets -contains '(All)' -or $sets -contains $set.Name) {
                Write-MamlParameter $w $parameter (Get-ParameterPosition $parameter)
            }
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('parameters', $MamlNamespaces.command)
    foreach ($parameter in $Page.Parameters) { Write-MamlParameter $w $parameter (Get-ParameterPosition $parameter) }
    $w.WriteEndElement()

    foreach ($kind in @(@('inputTypes', 'inputType', $Page.Inputs), @('returnValues', 'returnValue', $Page.Outputs))) {
        $w.WriteStartElement($kind[0], $MamlNamespaces.command)
        foreach ($item in $kind[2]) {
            $w.WriteStartElement($kind[1], $MamlNamespaces.command)
            $w.WriteStartElement('type', $MamlNamespaces.dev)
            $w.WriteElementString('name', $MamlNamespaces.maml, $item.Type)
            $w.WriteEndElement()
            Write-Description $w $item.Description
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    $w.WriteStartElement('alertSet', $MamlNamespaces.maml)
    $w.WriteStartElement('alert', $MamlNamespaces.maml)
    Write-Paragraphs $w $Page.Notes
    $w.WriteEndElement()
    $w.WriteEndElement()

    $w.WriteStartElement('examples', $MamlNamespaces.command)
    foreach ($example in $Page.Examples) {
        $w.WriteStartElement('example', $MamlNamespaces.command)
        $w.WriteElementString('title', $MamlNamespaces.maml, "-------------------------- $($example.Title) --------------------------")
        $w.WriteElementString('code', $MamlNamespaces.dev, $example.Code)
        $w.WriteStartElement('remarks', $MamlNamespaces.dev)
        Write-Paragraphs $w $example.Remarks
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('relatedLinks', $MamlNamespaces.command)
    foreach ($link in $Page.Links) {
        $w.WriteStartElement('navigationLink', $MamlNamespaces.maml)
        $w.WriteElementString('linkText', $MamlNamespaces.maml, $link.Text)
        $w.WriteElementString('uri', $MamlNamespaces.maml, $link.Uri)
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteEndElement()
}

Export-ModuleMember -Function Read-MarkdownHelp, ConvertTo-MamlHelp
