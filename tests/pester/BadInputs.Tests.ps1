# The table of bad inputs (BadInputs.Cases.ps1): every case gives its stable error id, and
# nothing on disk changes. docs/reliability.md lists the same cases.
BeforeDiscovery {
    $script:Cases = & (Join-Path $PSScriptRoot 'BadInputs.Cases.ps1')
}

BeforeAll {
    Import-Module $env:MEDIASTACK_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'HostileInputs.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'
    $ConfirmPreference = 'None'
    $script:SavedConfigPath = $env:MEDIASTACK_CONFIG
    $script:NoConfig = Join-Path $TestDrive 'config/config.json'
    $env:MEDIASTACK_CONFIG = $NoConfig

    $script:In = (New-Item -ItemType Directory (Join-Path $TestDrive 'in')).FullName
    function Write-Input([string] $Name, [string] $Text) { Set-Content -LiteralPath (Join-Path $In $Name) -Value $Text -NoNewline }

    $good = Get-ProbeDeploymentYaml
   Write-Input 'good.yaml' $good
    Write-Input 'bomb7.yaml' (Get-AliasBomb 7)
    Write-Input 'bomb6.yaml' (Get-AliasBomb 6)
    Write-Input 'deep-flow.yaml' ('x: ' + ('[' * 10000) + (']' * 10000))
    Write-Input 'deep-block.yaml' ((0..79 | ForEach-Object { (' ' * (2 * $_)) + "k${_}:" }) -join "`n")
    Write-Input 'unclosed.yaml' "kind: Deployment`nmetadata: {name: x`nspec: [1, 2`n"
    Write-Input 'duplicate.yaml' ($good + "kind: Service`n")
    Write-Input 'tabs.yaml' ($good -replace '(?m)^  name: probe', "`tname: probe")
    Write-Input 'unknown-alias.yaml' ($good -replace 'image: nginx:1.27', 'image: *nowhere')
    Write-Input 'sequence.yaml' "- kind: Deployment`n- kind: Service`n"
    Write-Input 'scalar.yaml' "just text`n"
    Write-Input 'complex-key.yaml' "? [a, b]`n: x`n"
    Write-Input 'quote.yaml' "kind: ""Deployment`nmetadata: {name: x}`n"
    [IO.File]::WriteAllBytes((Join-Path $In 'binary.yaml'), [byte[]](0..255))
    Write-Input 'noname.yaml' ($good -replace '(?m)^  name: probe\r?\n', '')
    Write-Input 'emptyname.yaml' ($good -replace '(?m)^  name: probe', '  name: ""')
    Write-Input 'metadata-list.yaml' "apiVersion: apps/v1`nkind: Deployment`nmetadata: [a, b]`nspec: {template: {spec: {containers: []}}}`n"
    Write-Input 'spec42.yaml' "apiVersion: apps/v1`nkind: Deployment`nmetadata: {name: x}`nspec: 42`n"
    Write-Input 'template-list.yaml' "apiVersion: apps/v1`nkind: Deployment`nmetadata: {name: x}`nspec: {template: [a]}`n"
    Write-Input 'containers-map.yaml' "apiVersion: apps/v1`nkind: Deployment`nmetadata: {name: x}`nspec:`n  template:`n    spec:`n      containers: {a: 1}`n"
    Write-Input 'service.yaml' "apiVersion: v1`nkind: Service`nmetadata: {name: probe}`nspec: {ports: [{port: 80}]}`n"
    Write-Input 'big.yaml' ($good + '# ' + ('x' * 3000) + "`n")
    Write-Input 'many.yaml' ($good -replace '(?m)^kind: Deployment', ("kind: Deployment`nitems:`n" + ((1..2000 | ForEach-Object { "- $_" }) -join "`n")))
    $null = New-Item -ItemType Directory (Join-Path $In 'mixed')
    Copy-Item (Join-Path $In 'good.yaml'), (Join-Path $In 'unclosed.yaml') (Join-Path $In 'mixed')
    Write-Input 'not-json.json' '{ nope'
    Write-Input 'unknown-field.json' '{ "nope": 1 }'
    Write-Input 'wrong-type.json' '{ "puid": "x" }'
    Write-Input 'array.json' '[]'
    Write-Input 'bad-timezone.json' '{ "timeZone": "Mars/Olympus" }'
    Write-Input 'bad-limits.json' '{ "readLimits": { "maxDepth": 1 } }'
    Write-Input 'empty.json' ''
    $script:Limits = Join-Path $In 'limits.json'
    Set-Content -LiteralPath $Limits '{ "readLimits": { "maxFileBytes": 2048, "maxNodes": 1000 } }'

    $script:KubeConfig = New-UnreachableKubeConfig (Join-Path $In 'kubeconfig')
    $script:App = New-MediaApp probe nginx:1.27 8080

    # Every file and folder under the TestDrive with its size and content hash.
    function Get-Snapshot {
        Get-ChildItem -LiteralPath $TestDrive -Recurse -Force | Sort-Object FullName | ForEach-Object {
            if ($_.PSIsContainer) { "$($_.FullName)/" }
            else { "$($_.FullName) $($_.Length) $((Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash)" }
        }
    }
}

AfterAll {
    $env:MEDIASTACK_CONFIG = $SavedConfigPath
}

Describe 'Bad inputs' {
    AfterEach {
        $env:MEDIASTACK_CONFIG = $NoConfig
    }

    It '<Cmdlet> <Bad>: <Id>, nothing written' -ForEach $Cases {
        $Repo = (New-Item -ItemType Directory (Join-Path $TestDrive "repo-$([guid]::NewGuid().ToString('n'))")).FullName
        if ($Setup) { . ([scriptblock]::Create($Setup)) }
        $before = Get-Snapshot

        $records = @(try { & ([scriptblock]::Create($Run)) 2>&1 3>$null 6>$null | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } } catch { $_ })

        @($records | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) | Should -Contain $Id -Because (($records | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }) -join '; ')
        $reported = $records | Where-Object { $_.FullyQualifiedErrorId -like "$Id,*" } | Select-Object -First 1
        $reported.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty -Because 'every stable error says what to do'
        Get-Snapshot | Should -Be $before
    }

    It 'lists every case in docs/reliability.md' {
        $doc = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../../docs/reliability.md')
        $missing = & (Join-Path $PSScriptRoot 'BadInputs.Cases.ps1') | Where-Object { -not $doc.Contains("| $($_.Cmdlet) | $($_.Bad) | ``$($_.Id)`` |") } |
            ForEach-Object { "| $($_.Cmdlet) | $($_.Bad) | ``$($_.Id)`` |" }
        $missing | Should -BeNullOrEmpty
    }
}
