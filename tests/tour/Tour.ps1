# The tour behind `build.ps1 -Task Demo`: the README's main job, end to end on the sandbox
# cluster: start it, find the red pods (Get-MediaPod | Test-MediaMount), diagnose them, repair
# them, test again, then generate a new app into a fresh GitOps folder and check it
# statically. Runs against the staged module (MEDIASTACK_MODULE) and the sandbox dll
# (MEDIASTACK_SANDBOX, built here when missing). Leaves nothing running or on disk, even
# when a step fails.
$ErrorActionPreference = 'Stop'
Import-Module $env:MEDIASTACK_MODULE -Force
Import-Module (Join-Path $PSScriptRoot '../pester/Sandbox.psm1') -Force

function Write-Title([string] $Text) { Write-Host "`n### $Text" -ForegroundColor Green }
# Tables as wide as they need to be, also when the host is not a terminal (CI logs).
function Show { $input | Out-String -Width 200 | Write-Host }

$clock = [Diagnostics.Stopwatch]::StartNew()
$repo = Join-Path ([IO.Path]::GetTempPath()) "mediastack-tour-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
$null = New-Item -ItemType Directory -Path $repo
$savedKubeConfig = $env:KUBECONFIG
$sandbox = $null
try {
    if ($env:MEDIASTACK_SANDBOX -and -not (Test-Path -LiteralPath $env:MEDIASTACK_SANDBOX)) {
        Write-Title 'Building the sandbox cluster'
        $project = Join-Path $PSScriptRoot '../MediaStack.Sandbox/MediaStack.Sandbox.csproj'
        $configuration = Split-Path (Split-Path (Split-Path $env:MEDIASTACK_SANDBOX)) -Leaf
        & dotnet build $project -c $configuration --nologo --verbosity quiet | Show
        if ($LASTEXITCODE -ne 0) { throw 'The sandbox did not build.' }
    }

    Write-Title 'Start the sandbox cluster (media-stack scenario: one healthy app, one of each mount failure)'
    $sandbox = Start-Sandbox -Scenario media-stack
    if ($sandbox.Unavailable) {
        Write-Warning "No cluster part of the tour: $($sandbox.Unavailable)."
    }
    else {
        $env:KUBECONFIG = $sandbox.KubeConfig
        Write-Host "API server $($sandbox.Url); KUBECONFIG=$($sandbox.KubeConfig)"
        # The healthy pod's sidecars need a few seconds to mount; radarr's must crash once;
        # overseerr waits for its missing secret past the startup grace period (STARTING,
        # then NOTREADY: a pod that is only slow to start is not called broken at once).
        $null = Wait-SandboxCondition -TimeoutSec 120 -Condition {
            (Get-MediaPod -App plex | Test-MediaMount).IsHealthy -and
                (Get-MediaPod -App radarr).Restarts -ge 1 -and
                (Get-MediaPod -App overseerr | Test-MediaMount).Status -eq 'NOTREADY'
        }

        Write-Title 'Which pods are red? (Get-MediaPod | Test-MediaMount)'
        Get-MediaPod | Show
        $reports = Get-MediaPod | Test-MediaMount
        $reports | Show
        Write-Host 'Why, pod by pod (NOSIDECAR: nothing serves a mount the app expects; NOTREADY: the pod cannot start):'
        $reports | Where-Object { -not $_.IsHealthy } | ForEach-Object {
            foreach ($mount in $_.Mounts | Where-Object Status -NotIn 'OK', 'SKIP') { "  $($_.Name) $($mount.Mount) $($mount.Status): $($mount.Reason)" }
        } | Show
        Write-Host "Test-MediaMount -Quiet says: $(Test-MediaMount -Quiet)"

        Write-Title 'Why? (the red pods, then every Deployment: prowlarr has no pod at all)'
        $reports | Where-Object { -not $_.IsHealthy } | Invoke-MountDiagnosis | Where-Object Severity -EQ Error | Show
        $findings = Invoke-MountDiagnosis
        $findings | Where-Object { $_.Severity -eq 'Error' -and -not $_.Pod } | Show
        Write-Host 'Findings per rule over the namespace:'
        $findings | Group-Object RuleId -NoElement | Sort-Object Name | Format-Table -AutoSize | Show
        Write-Host 'One of them in full:'
        $findings | Where-Object RuleId -In 'MS221', 'MS222' | Select-Object -First 1 | Format-List | Show

        Write-Title 'Repair what can be repaired (Repair-MediaMount -GrantPrivilege -Wait)'
        $findings | Repair-MediaMount -GrantPrivilege -Confirm:$false -Wait -TimeoutSec 120 -WarningAction Continue |
            Format-Table Action, Name, Status, @{ Label = 'Rules'; Expression = { $_.RuleIds -join ',' } } -AutoSize | Show

        Write-Title 'Test again'
        $null = Wait-SandboxCondition -TimeoutSec 90 -Condition {
            @(Get-MediaPod | Where-Object Phase -EQ Running | Test-MediaMount | Where-Object { $_.Status -notin 'OK', 'SKIP' }).Count -eq 0
        }
        Get-MediaPod | Test-MediaMount | Show
        Write-Host 'What is left needs a person:'
        Invoke-MountDiagnosis | Where-Object Severity -EQ Error | Format-Table Object, RuleId, Message -Wrap | Show
        Write-Host 'Troubleshooting guide: Get-Help about_MediaStack_Troubleshooting'
    }

    Write-Title 'Generate an app (New-MediaApp) and write it into a GitOps repo (Export-MediaApp)'
    $app = New-MediaApp -Name lidarr -Image lscr.io/linuxserver/lidarr:2.8.2 -Port 8686 -Zone zone2
    $app | Format-Table | Show
    $app | Export-MediaApp -Path $repo -ArgoApplication -RepoUrl 'https://git.example.com/media/gitops.git' |
        ForEach-Object { $_.FullName.Substring($repo.Length + 1) } | Show

    Write-Title 'What was written: apps/lidarr/base/deployment.yaml'
    Get-Content (Join-Path $repo 'apps/lidarr/base/deployment.yaml') | Show

    Write-Title 'The generated app passes the static diagnosis (Invoke-MountDiagnosis -Path)'
    $static = Invoke-MountDiagnosis -Path (Join-Path $repo 'apps') -IncludePass
    $static | Group-Object Severity -NoElement | Format-Table -AutoSize | Show

    Write-Title 'Bad input is refused with a stable error id, and nothing is written'
    try { New-MediaApp -Name '../escape' -Image 'lscr.io/linuxserver/lidarr:2.8.2' -Port 8686 }
    catch { Write-Host "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }

    # ---- The unattended round (Invoke-MediaStackCheck), as a scheduled task on a jump host runs
    # it: on a sandbox of its own, so it starts from the broken apps. Exit code 1, a metrics
    # file promtool accepts and one alert; then the safe repairs with the app that needs a
    # person excluded, exit code 0 and one recovery alert. The tour fails if any of that is not so.
    Import-Module (Join-Path $PSScriptRoot '../pester/Webhook.psm1') -Force
    $receiver = Start-WebhookReceiver
    $unattended = Start-Sandbox -Scenario media-stack
    try {
        if ($unattended.Unavailable) { throw "The unattended round needs the sandbox: $($unattended.Unavailable)." }
        $null = Wait-SandboxCondition -TimeoutSec 60 -Condition {
            (Get-MediaPod -KubeConfig $unattended.KubeConfig -App plex | Test-MediaMount -KubeConfig $unattended.KubeConfig -Deep).IsHealthy -and
                (Get-MediaPod -KubeConfig $unattended.KubeConfig -App radarr).Restarts -ge 1
        }
        $checks = Join-Path $repo 'checks'
        $null = New-Item -ItemType Directory -Path $checks
        $round = @{ KubeConfig = $unattended.KubeConfig; StatePath = "$checks/state.json"; MetricsPath = "$checks/mediastack.prom"; ReportPath = "$checks/report.json"; NotifyUri = "$($receiver.Uri)/hooks/media-stack"; NotifyFormat = 'Json' }
        $words = foreach ($entry in $round.GetEnumerator()) { "-$($entry.Key) '$($entry.Value -replace "'", "''")'" }
        $oneLiner = "trap { exit 3 }; Import-Module '$($env:MEDIASTACK_MODULE -replace "'", "''")' -ErrorAction Stop; exit (Invoke-MediaStackCheck $($words -join ' ')).ExitCode"
        $pwsh = @([Environment]::ProcessPath)
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh[0]) -eq 'dotnet') { $pwsh += [Reflection.Assembly]::GetEntryAssembly().Location }

        Write-Title 'Unattended: a scheduled round on the broken stack (pwsh -NoProfile -Command ... exit (Invoke-MediaStackCheck).ExitCode)'
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $oneLiner 2>&1 | Show
        $firstExit = $LASTEXITCODE
        Write-Host "pwsh exited with $firstExit (0 healthy, 1 unhealthy, 2 cluster unreachable or unauthorised, 3 bad arguments or config)"
        $report = Get-Content "$checks/report.json" -Raw | ConvertFrom-Json
        Write-Host $report.headline
        $report.pods | Where-Object { -not $_.healthy } | Format-Table namespace, kind, name, status, reason | Show
        $lint = Get-Content "$checks/mediastack.prom" -Raw | promtool check metrics 2>&1
        $promtoolExit = $LASTEXITCODE
        Write-Host "promtool check metrics: exit $promtoolExit $($lint -join ' ')"
        Get-Content "$checks/mediastack.prom" | Where-Object { $_ -like 'mediastack_app_healthy*' -or $_ -like 'mediastack_check_*' -and $_ -notlike '#*' } | Show
        $alerts = @(Get-WebhookRequest $receiver)
        Write-Host "Alerts received: $($alerts.Count)"
        $alerts | ForEach-Object { $_.Body | ConvertFrom-Json | Select-Object event, title, headline } | Format-List | Show

        Write-Title 'Unattended: the safe repairs (-Repair -GrantPrivilege), overseerr excluded: its secret is missing, a person must create it'
        $second = Invoke-MediaStackCheck @round -Repair -GrantPrivilege -MaxRepairs 6 -RepairTimeoutSec 150 -Exclude overseerr
        $second | Show
        $second.Repairs | Show
        $alerts = @(Get-WebhookRequest $receiver)
        Write-Host "Alerts received: $($alerts.Count); the last one:"
        $alerts[-1].Body | ConvertFrom-Json | Select-Object event, title, headline, @{ Name = 'changes'; Expression = { $_.changes | ForEach-Object { "$($_.kind) $($_.namespace)/$($_.app)" } } } | Format-List | Show

        $expected = @{
            'the first round exits 1' = $firstExit -eq 1
            'promtool accepts the metrics file' = $promtoolExit -eq 0
            'the first round sends one alert' = ($alerts.Count -ge 1 -and ($alerts[0].Body | ConvertFrom-Json).event -eq 'problem')
            'the repaired round exits 0' = $second.ExitCode -eq 0
            'the repaired round sends one recovery alert' = ($alerts.Count -eq 2 -and ($alerts[1].Body | ConvertFrom-Json).event -eq 'recovery')
        }
        $failed = @($expected.GetEnumerator() | Where-Object { -not $_.Value } | ForEach-Object Key)
        if ($failed.Count -gt 0) { throw "The unattended round did not end as it should: $($failed -join '; ')." }
        Write-Host 'Unattended round: exit 1, metrics accepted, one alert; after the repairs exit 0 and one recovery alert.'
    }
    finally {
        Stop-Sandbox $unattended
        Stop-WebhookReceiver $receiver
    }
    # ---- end of the unattended round
}
finally {
    $env:KUBECONFIG = $savedKubeConfig
    if ($sandbox) { Stop-Sandbox $sandbox }
    Remove-Item $repo -Recurse -Force
    Write-Host "`nTour finished in $([int]$clock.Elapsed.TotalSeconds) s; the sandbox is stopped." -ForegroundColor Green
}
