# Starts and stops the sandbox cluster for Pester suites. The sandbox is the dll named by
# $env:MEDIASTACK_SANDBOX (build.ps1 -Task Test sets it); each start gets its own temporary
# folder and kubeconfig. When the sandbox cannot run here, Start-Sandbox returns an object
# whose Unavailable says why in one sentence, and tests skip with it:
#
#   BeforeAll { Import-Module "$PSScriptRoot/Sandbox.psm1"; $script:Sandbox = Start-Sandbox -Scenario media-stack }
#   AfterAll  { Stop-Sandbox $script:Sandbox }
#   It '...' { if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return } ... }

Set-StrictMode -Version Latest

function Start-Sandbox {
    [CmdletBinding()]
    param(
        # A built-in scenario name (media-stack, empty) or a scenario file.
        [string] $Scenario = 'media-stack',
        # linux (real processes and FUSE mounts) or host; default: the sandbox's own choice.
        [string] $Runtime,
        [int] $StartTimeoutSec = 90
    )
    $result = [pscustomobject]@{
        PSTypeName  = 'MediaStack.Tests.Sandbox'
        KubeConfig  = $null
        Folder      = $null
        Url         = $null
        Process     = $null
        Unavailable = $null
        Log         = $null
    }
    $dll = $env:MEDIASTACK_SANDBOX
    if (-not $IsLinux) { $result.Unavailable = 'the sandbox cluster runs only on Linux'; return $result }
    if (-not $dll -or -not (Test-Path -LiteralPath $dll)) {
        $result.Unavailable = 'MEDIASTACK_SANDBOX does not name the built sandbox dll (run the tests through build.ps1 -Task Test)'
        return $result
    }
    $result.Folder = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "mediastack-sandbox-$([guid]::NewGuid().ToString('n').Substring(0, 8))")).FullName
    $result.KubeConfig = Join-Path $result.Folder 'kubeconfig'
    $result.Log = Join-Path $result.Folder 'up.log'
    $arguments = @($dll, 'up', '--scenario', $Scenario, '--kubeconfig', $result.KubeConfig)
    if ($Runtime) { $arguments += '--runtime', $Runtime }
    $result.Process = Start-Process -FilePath dotnet -ArgumentList ($arguments | ForEach-Object { "`"$_`"" }) -PassThru `
        -RedirectStandardOutput $result.Log -RedirectStandardError "$($result.Log).err"
    $deadline = [DateTime]::UtcNow.AddSeconds($StartTimeoutSec)
    while ([DateTime]::UtcNow -lt $deadline -and -not $result.Process.HasExited) {
        $line = Get-Content -LiteralPath $result.Log -ErrorAction Ignore | Where-Object { $_ -match '^sandbox: up at (\S+)' } | Select-Object -First 1
        if ($line) {
            $result.Url = $Matches[1]
            return $result
        }
        Start-Sleep -Milliseconds 200
    }
    $why = ((Get-Content -LiteralPath "$($result.Log).err" -Raw -ErrorAction Ignore) -replace '\s+', ' ').Trim()
    if (-not $why) { $why = "it did not report 'up' within $StartTimeoutSec s" }
    $result.Unavailable = "the sandbox did not start: $why"
    Stop-Sandbox $result
    $result
}

function Stop-Sandbox {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)][AllowNull()] $Sandbox)
    process {
        if (-not $Sandbox) { return }
        if ($Sandbox.Process -and -not $Sandbox.Process.HasExited) {
            $null = & dotnet $env:MEDIASTACK_SANDBOX down --kubeconfig $Sandbox.KubeConfig 2>&1
            if (-not $Sandbox.Process.WaitForExit(30000)) {
                Stop-Process -Id $Sandbox.Process.Id -Force -ErrorAction Ignore
            }
        }
        if ($Sandbox.Folder -and (Test-Path -LiteralPath $Sandbox.Folder)) {
            Remove-Item -LiteralPath $Sandbox.Folder -Recurse -Force -ErrorAction Ignore
        }
    }
}

function Invoke-SandboxFault {
    # Applies a fault: kill-container (namespace, pod, container [, signal]), slow-backend
    # (backend [, latencyMs]), stop-backend, hang-backend, restore-backend (backend), and the
    # API faults (api-error, throttle, latency, exec-drop, exec-hang). Returns the sandbox's answer.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Sandbox,
        [Parameter(Mandatory)][string] $Name,
        [hashtable] $Arguments = @{}
    )
    $pairs = @($Arguments.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" })
    $output = & dotnet $env:MEDIASTACK_SANDBOX fault $Name @pairs --kubeconfig $Sandbox.KubeConfig 2>&1
    if ($LASTEXITCODE -ne 0) { throw "sandbox fault $Name failed: $($output -join ' ')" }
    $output -join "`n"
}

function Clear-SandboxFault {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Sandbox)
    $output = & dotnet $env:MEDIASTACK_SANDBOX fault clear --kubeconfig $Sandbox.KubeConfig 2>&1
    if ($LASTEXITCODE -ne 0) { throw "sandbox fault clear failed: $($output -join ' ')" }
}

function Wait-MediaStackReady {
    # After Start-Sandbox -Scenario media-stack: waits until the pods are ready and their
    # sidecars mounted (plex 4/4 sees both mounts, sonarr's sidecars run); when they are not
    # within TimeoutSec, the sandbox is marked Unavailable with why, and tests skip.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Sandbox, [int] $TimeoutSec = 120)
    if ($Sandbox.Unavailable) { return }
    $cluster = @{ KubeConfig = $Sandbox.KubeConfig; Namespace = 'media-stack' }
    $ready = Wait-SandboxCondition -TimeoutSec $TimeoutSec -Condition {
        $pods = Get-MediaPod @cluster
        ($pods | Where-Object { $_.App -eq 'plex' -and $_.Ready -eq '4/4' }) -and
        ($pods | Where-Object { $_.App -eq 'sonarr' -and $_.Ready -eq '3/3' }) -and
        (($pods | Where-Object { $_.App -eq 'plex' -and $_.Phase -eq 'Running' } | Select-Object -First 1 | Test-MediaMount @cluster).Status -eq 'OK')
    }
    if (-not $ready) { $Sandbox.Unavailable = "the media-stack pods did not become ready within $TimeoutSec s" }
}

function Wait-SandboxCondition {
    # Re-evaluates $Condition until it returns something truthy or TimeoutSec passes; returns
    # the last value (falsy on timeout), so the test asserts on it.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][scriptblock] $Condition,
        [int] $TimeoutSec = 60,
        [int] $IntervalMs = 500
    )
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    do {
        $value = try { & $Condition } catch { $null }
        if ($value) { return $value }
        Start-Sleep -Milliseconds $IntervalMs
    } while ([DateTime]::UtcNow -lt $deadline)
    $value
}

function Invoke-SandboxKubectl {
    # The real kubectl against the sandbox, with a discovery cache of its own so no other run's
    # leaks in: Invoke-SandboxKubectl $Sandbox -n media-stack get pods. A bare -- must be
    # quoted ('--'), or PowerShell swallows it. Returns the exit code and the output.
    param($Sandbox)
    $env:KUBECACHEDIR = Join-Path $Sandbox.Folder 'kubecache'
    $output = & kubectl --kubeconfig $Sandbox.KubeConfig @args 2>&1
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
}

Export-ModuleMember -Function Start-Sandbox, Stop-Sandbox, Invoke-SandboxFault, Clear-SandboxFault, Wait-SandboxCondition, Invoke-SandboxKubectl, Wait-MediaStackReady
