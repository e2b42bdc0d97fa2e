# Every exported cmdlet, every parameter of every parameter set, hostile values: each error
# record must carry MediaStack's own exception (a stable id) or PowerShell's parameter
# binding one, never a raw .NET exception. Cluster cmdlets get a kubeconfig whose server is
# a closed port on 127.0.0.1. Everything written stays under $TestDrive (paths are relative
# to a folder there, the config file is redirected there; no device or system path is used).
BeforeDiscovery {
    Import-Module $env:MEDIASTACK_MODULE -Force
    $script:Commands = Get-Command -Module MediaStack | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    Import-Module $env:MEDIASTACK_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'HostileInputs.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'
    # Nothing may prompt: a prompt in a non-interactive host is an error of its own.
    $ConfirmPreference = 'None'
    # Where Set-MediaStackConfig writes without -Path (as MediaStackConfigStore.DefaultPath).
    function Get-MediaStackConfigPath {
        if ($env:MEDIASTACK_CONFIG) { return [IO.Path]::GetFullPath($env:MEDIASTACK_CONFIG) }
        $folder = if ($IsWindows) { [Environment]::GetFolderPath('ApplicationData') } elseif ($env:XDG_CONFIG_HOME) { $env:XDG_CONFIG_HOME } else { Join-Path $HOME '.config' }
        Join-Path $folder 'MediaStack/config.json'
    }

    $script:SavedConfigPath = $env:MEDIASTACK_CONFIG
    $script:UserConfig = Get-Item -LiteralPath (Get-MediaStackConfigPath) -ErrorAction Ignore | Select-Object FullName, LastWriteTimeUtc, Length
    $env:MEDIASTACK_CONFIG = Join-Path $TestDrive 'config/config.json'

    $script:Work = (New-Item -ItemType Directory (Join-Path $TestDrive 'work/a/b')).FullName
    $manifests = (New-Item -ItemType Directory (Join-Path $TestDrive 'manifests')).FullName
    $script:Repo = (New-Item -ItemType Directory (Join-Path $TestDrive 'repo')).FullName
    Push-Location $Work

    $deploymentText = Get-ProbeDeploymentYaml
   $script:Deployment = Join-Path $manifests 'deployment.yaml'
    Set-Content -LiteralPath $Deployment $deploymentText
    Set-Content -LiteralPath (Join-Path $manifests 'bomb.yaml') (Get-AliasBomb 7)
    Set-Content -LiteralPath (Join-Path $manifests 'shape.yaml') "apiVersion: apps/v1`nkind: Deployment`nmetadata: [a, b]`nspec:`n  template:`n    spec:`n      containers: {a: 1}`n"
    Set-Content -LiteralPath (Join-Path $manifests 'noname.yaml') ($deploymentText -replace '(?m)^  name: probe\r?\n', '')
    Set-Content -LiteralPath (Join-Path $manifests 'spec42.yaml') "apiVersion: apps/v1`nkind: Deployment`nmetadata: {name: x}`nspec: 42`n"
    Set-Content -LiteralPath (Join-Path $manifests 'empty.yaml') ''
    [IO.File]::WriteAllBytes((Join-Path $manifests 'binary.yaml'), [byte[]](0..255))
    Set-Content -LiteralPath (Join-Path $manifests 'deep.yaml') ("x: " + ('[' * 5000) + (']' * 5000))
    $script:Manifests = $manifests
    $script:ConfigFile = Join-Path $TestDrive 'valid-config.json'
    Set-Content -LiteralPath $ConfigFile '{ "namespace": "media-stack" }'
    $script:EmptyFile = Join-Path $manifests 'empty.yaml'

    $script:KubeConfig = New-UnreachableKubeConfig (Join-Path $TestDrive 'kubeconfig')

    $script:App = New-MediaApp probe nginx:1.27 8080
    $script:Findings = @(Invoke-MountDiagnosis -Path $Deployment | Where-Object Fixable)
    $script:DefaultConfig = Get-MediaStackConfig -Default

    function Get-HostileValues([System.Management.Automation.ParameterMetadata] $Parameter) {
        # name -> value; $null is a value too.
        $type = $Parameter.ParameterType
        $strings = [ordered]@{
            'empty' = ''; 'whitespace' = '   '; 'NUL' = "a`0b"; 'long' = ('x' * 100000); 'traversal' = '../../escape/x'
            'wildcard' = '*'; 'bracket' = '[a'; 'newline' = "a`nb"; 'unicode' = "ünï$([char]::ConvertFromUtf32(0x1F600))"
            'other provider' = 'Env:\PATH'; 'unknown drive' = 'Q:\nowhere'; 'null' = $null
            'shell' = '$(touch pwned)'; 'colon' = 'a:b:c'
        }
        if ($Parameter.Name -in 'Path', 'KubeConfig') {
            $strings['missing file'] = Join-Path $TestDrive 'missing.yaml'
            $strings['missing folder'] = Join-Path $TestDrive 'no/such/folder'
            $strings['folder'] = $Manifests
            $strings['empty file'] = $EmptyFile
            foreach ($name in 'binary', 'bomb', 'shape', 'noname', 'spec42', 'deep') { $strings["$name file"] = Join-Path $Manifests "$name.yaml" }
            $strings['kubeconfig as manifest'] = $KubeConfig
        }
        switch ($type) {
            ([string]) { return $strings }
            ([string[]]) {
                $list = [ordered]@{ 'empty list' = @(); 'list of null' = @($null); 'list with empty' = @('a', '') }
                foreach ($key in $strings.Keys) { $list["[$key]"] = @($strings[$key]) }
                return $list
            }
            { $_ -in [int], [Nullable[int]] } {
                return [ordered]@{ '-1' = -1; '0' = 0; 'max' = [int]::MaxValue; 'min' = [int]::MinValue; 'text' = 'abc'; 'overflow' = 1e20; 'fraction' = 2.5; 'null' = $null }
            }
            ([hashtable]) {
                return [ordered]@{
                    'empty' = @{}; 'nested' = @{ a = @{ b = 1 } }; 'empty key' = @{ '' = 1 }; 'same key twice' = [hashtable]::new(@{ 1 = 'x' }) | ForEach-Object { $_['1'] = 'y'; $_ }
                    'null value' = @{ a = $null }; 'list value' = @{ a = @(1, 2) }; 'script' = @{ a = { 'x' } }; 'text' = 'text'; 'null' = $null
                }
            }
            ([switch]) { return [ordered]@{ 'on' = $true; 'off' = $false } }
        }
        if ($type.IsEnum) { return [ordered]@{ 'bogus' = 'Bogus'; 'number' = 99; 'empty' = ''; 'null' = $null } }
        $objects = [ordered]@{
            'null' = $null; 'text' = 'text'; 'number' = 42; 'empty list' = @()
            'lookalike' = [pscustomobject]@{ Name = 'x'; Namespace = 'y' }; 'empty table' = @{}
            'bad fields' = @{ Name = '../x'; Remote = ''; MountPath = '/'; ProbePath = '..'; Secret = 'A'; SecretVolume = ''; RcPort = -1; OkAbove = -1; WarnAbove = 5
                CpuRequest = 'x'; MemoryRequest = 'y'; CpuLimit = 'z'; MemoryLimit = 'w'; MaxFileBytes = -1; MaxDepth = 'deep'; MaxNodes = 0; MaxAliasNodes = -5 }
            'list of bad' = @(@{ Name = 'a' }, $null)
        }
        return $objects
    }

    # Values that let a parameter set run, for every mandatory parameter but the one tested.
    function Get-BenignValue([string] $Command, [System.Management.Automation.ParameterMetadata] $Parameter) {
        switch ($Parameter.Name) {
            'Name' { return 'probe' }
            'Image' { return 'nginx:1.27' }
            'Port' { return 8080 }
            'AllNamespaces' { return $true }
            'Default' { return $true }
            'Path' {
                switch ($Command) {
                    'Export-MediaApp' { return $Repo }
                    'Get-MediaStackConfig' { return $ConfigFile }
                    default { return $Deployment }
                }
            }
            'InputObject' {
                $type = $Parameter.ParameterType
                if ($type.Name -like 'MediaApp*') { return $App }
                if ($type.Name -like 'MountFinding*') { return $Findings }
                if ($type.Name -eq 'MediaStackConfig') { return $DefaultConfig }
                return $null
            }
        }
        $null
    }

    # MediaStack's own exception, or PowerShell's parameter binding: anything else is a leak.
    function Test-Allowed($Record) {
        # -ErrorVariable holds a terminating error as the exception that carried it.
        $exception = if ($Record -is [System.Management.Automation.ErrorRecord]) { $Record.Exception } else { $Record }
        while ($exception -is [System.Management.Automation.CmdletInvocationException] -or $exception -is [System.Management.Automation.ActionPreferenceStopException]) {
            $exception = $exception.ErrorRecord.Exception ?? $exception.InnerException
        }
        if ($exception -is [System.Management.Automation.ParameterBindingException]) { return $true }
        for ($type = $exception.GetType(); $type; $type = $type.BaseType) {
            if ($type.FullName -eq 'MediaStack.Core.Errors.MediaStackException') { return $true }
        }
        $false
    }

    function Invoke-Hostile([string] $Command) {
        $info = Get-Command $Command
        $cluster = $info.Parameters.ContainsKey('KubeConfig')
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $leaks = [System.Collections.Generic.List[string]]::new()
        $runs = 0
        foreach ($set in $info.ParameterSets) {
            $parameters = $set.Parameters | Where-Object Name -NotIn $common
            foreach ($tested in $parameters) {
                $metadata = $info.Parameters[$tested.Name]
                $base = @{}
                $runnable = $true
                foreach ($mandatory in $parameters | Where-Object { $_.IsMandatory -and $_.Name -ne $tested.Name }) {
                    $value = Get-BenignValue $Command $info.Parameters[$mandatory.Name]
                    if ($null -eq $value) { $runnable = $false; break }
                    $base[$mandatory.Name] = $value
                }
                if (-not $runnable) { continue }
                # Parameters that only one set has pick that set.
                if ($set.Name -eq 'AllNamespaces' -and -not $base.ContainsKey('AllNamespaces') -and $tested.Name -ne 'AllNamespaces') { $base.AllNamespaces = $true }
                $values = Get-HostileValues $metadata
                foreach ($label in $values.Keys) {
                    $splat = $base.Clone()
                    $splat[$tested.Name] = $values[$label]
                    if ($cluster -and $tested.Name -ne 'KubeConfig') { $splat.KubeConfig = $KubeConfig }
                    $records = @()
                    try {
                        $null = & $Command @splat -ErrorAction SilentlyContinue -ErrorVariable +records -WarningAction SilentlyContinue -InformationAction SilentlyContinue
                    }
                    catch {
                        $records += $_
                    }
                    $runs++
                    foreach ($record in $records) {
                        if (-not (Test-Allowed $record)) {
                            $exception = if ($record -is [System.Management.Automation.ErrorRecord]) { $record.Exception } else { $record }
                            if ($exception -is [System.Management.Automation.CmdletInvocationException]) { $exception = $exception.InnerException }
                            $leaks.Add("[$($set.Name)] -$($tested.Name) <$label>: $($exception.GetType().FullName): $(($exception.Message -split "`n")[0])")
                        }
                    }
                }
            }
        }
        [pscustomobject]@{ Runs = $runs; Leaks = @($leaks | Select-Object -Unique) }
    }
}

AfterAll {
    Pop-Location
    $env:MEDIASTACK_CONFIG = $SavedConfigPath
}

Describe 'Hostile values for every parameter' {
    AfterAll {
        # Files named like wildcards ('[a', '*') trip Pester's own clean-up of the TestDrive.
        Get-ChildItem -LiteralPath $TestDrive -Recurse -Force | Where-Object Name -Match '[][*?]' |
            Sort-Object { $_.FullName.Length } -Descending | ForEach-Object { Remove-Item -LiteralPath $_.FullName -Recurse -Force -ErrorAction Ignore }
    }

    It '<Name> reports every bad value with a MediaStack error id or a binding error' -ForEach $Commands {
        $result = Invoke-Hostile $Name

        # MEDIASTACK_HOSTILE_LOG=<file> keeps the number of calls and every leak, for a closer look.
        if ($env:MEDIASTACK_HOSTILE_LOG) { @("$Name calls=$($result.Runs)") + @($result.Leaks | ForEach-Object { "$Name $_" }) | Add-Content -LiteralPath $env:MEDIASTACK_HOSTILE_LOG }
        $result.Runs | Should -BeGreaterThan 0
        $result.Leaks | Should -BeNullOrEmpty -Because "$($result.Runs) calls were made"
    }

    It 'left no half-written file and never touched the user''s config' {
        Get-ChildItem $TestDrive -Recurse -Force -Filter '*.tmp' | Should -BeNullOrEmpty
        $env:MEDIASTACK_CONFIG = $SavedConfigPath
        try {
            Get-Item -LiteralPath (Get-MediaStackConfigPath) -ErrorAction Ignore | Select-Object FullName, LastWriteTimeUtc, Length |
                ConvertTo-Json | Should -Be ($UserConfig | ConvertTo-Json)
        }
        finally {
            $env:MEDIASTACK_CONFIG = Join-Path $TestDrive 'config/config.json'
        }
    }
}
