# The unattended check as a scheduled task runs it, against the sandbox (scenarios/check.yaml:
# plex healthy with rclone's default 5 minute directory cache, sonarr without HostToContainer):
# exit codes, the three reports read back by their consumers (JSON, JUnit, promtool), alerts
# to a listener on 127.0.0.1, the deep read behind a warm cache, the least-privilege account
# and the scheduler files. Last: a hung backend (rclone keeps such requests for minutes).
BeforeAll {
    Import-Module $env:MEDIASTACK_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Webhook.psm1') -Force

    $script:Work = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "mediastack-check-$([guid]::NewGuid().ToString('n').Substring(0, 8))")).FullName
    # Our own config, data and systemd folders: nothing of this machine's user is read or written.
    $script:SavedEnvironment = @{}
    foreach ($name in 'MEDIASTACK_CONFIG', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'CRONTAB_FILE', 'PATH') {
        $script:SavedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
    }
    $env:MEDIASTACK_CONFIG = Join-Path $Work 'no-config/config.json'
    $env:XDG_DATA_HOME = Join-Path $Work 'data'
    $env:XDG_CONFIG_HOME = Join-Path $Work 'config'

    $script:Sandbox = Start-Sandbox -Scenario (Join-Path $PSScriptRoot 'scenarios/check.yaml')
    $script:Cluster = @{ KubeConfig = $Sandbox.KubeConfig; Namespace = 'media-stack' }
    $script:Hook = Start-WebhookReceiver
    $script:HookUri = "$($Hook.Uri)/hooks/t0p-s3cret-path"

    function Invoke-Kubectl {
        $env:KUBECACHEDIR = Join-Path $Sandbox.Folder 'kubecache'
        $output = & kubectl --kubeconfig $Sandbox.KubeConfig -n media-stack @args 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    }

    function Invoke-ChildPwsh([string[]] $Arguments) {
        # A fresh pwsh, as a scheduler starts it.
        $pwsh = @([Environment]::ProcessPath)
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh[0]) -eq 'dotnet') { $pwsh += [Reflection.Assembly]::GetEntryAssembly().Location }
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive @Arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    }

    function Get-Token([string] $KubeConfig) {
        ((Get-Content -LiteralPath $KubeConfig) -match '^\s+token:' | Select-Object -First 1) -replace '^\s+token:\s*', '' -replace "[`"']", ''
    }

    if (-not $Sandbox.Unavailable) {
        $script:AdminToken = Get-Token $Sandbox.KubeConfig
        $ready = Wait-SandboxCondition -TimeoutSec 120 -Condition {
            $pods = Get-MediaPod @Cluster
            ($pods | Where-Object { $_.App -eq 'plex' -and $_.Ready -eq '3/3' }) -and
            ($pods | Where-Object { $_.App -eq 'sonarr' -and $_.Ready -eq '3/3' }) -and
            ((Get-MediaPod -App plex @Cluster | Test-MediaMount @Cluster -Deep).IsHealthy)
        }
        if (-not $ready) { $script:Sandbox.Unavailable = 'the check scenario pods did not become ready within 120 s' }
    }
}

AfterAll {
    Stop-WebhookReceiver $Hook
    Stop-Sandbox $Sandbox
    foreach ($entry in $SavedEnvironment.GetEnumerator()) { [Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Invoke-MediaStackCheck on the sandbox' -Tag Sandbox {
    BeforeEach {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable }
    }

    It 'turns the unhealthy app into exit code 1, three reports their readers accept and one alert' {
        if ($Sandbox.Unavailable) { return }
        $reports = @{ ReportPath = "$Work/report.json"; JUnitPath = "$Work/junit.xml"; MetricsPath = "$Work/mediastack.prom"; StatePath = "$Work/state.json" }
        $summary = Invoke-MediaStackCheck @Cluster @reports -NotifyUri $HookUri -NotifyFormat Json

        $summary.ExitCode | Should -Be 1
        $summary.Outcome | Should -Be 'Unhealthy'
        $summary.Deep | Should -BeTrue
        ($summary.Pods | Where-Object App -EQ 'plex').Healthy | Should -BeTrue
        ($summary.Pods | Where-Object App -EQ 'plex').Mounts.ReadBytes | ForEach-Object { $_ | Should -BeGreaterThan 0 }
        $sonarr = $summary.Pods | Where-Object App -EQ 'sonarr'
        $sonarr.Healthy | Should -BeFalse
        $sonarr.Status | Should -Be 'NOTMOUNTED'
        $summary.Findings.RuleId | Should -Contain 'MS103'
        $summary.Changes.Kind | Should -Be @('Unhealthy')
        $summary.Notification | Should -Match '^problem alert sent to http://127\.0\.0\.1:\d+/\*\*\* \(Json\)'
        ($summary | Out-String) | Should -Match 'Unhealthy\s+: media-stack/sonarr NOTMOUNTED'

        $json = Get-Content "$Work/report.json" -Raw | ConvertFrom-Json
        $json.exitCode | Should -Be 1
        ($json.pods | Where-Object app -EQ 'sonarr').mounts[0].status | Should -Be 'NOTMOUNTED'

        $junit = [xml](Get-Content "$Work/junit.xml" -Raw)
        $cases = @($junit.testsuites.testsuite.testcase)
        $cases.Count | Should -Be 4
        @($cases | Where-Object { $_.failure }).name | Should -Be @("$($sonarr.Name) zurg", "$($sonarr.Name) torbox")
        $junit.testsuites.failures | Should -Be '2'

        $promtool = Get-Command promtool -ErrorAction Ignore
        if ($promtool) {
            $lint = Get-Content "$Work/mediastack.prom" -Raw | & $promtool.Source check metrics 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($lint -join "`n")
        }
        else { Set-ItResult -Inconclusive -Because 'promtool (Debian package prometheus) is not installed' }
        Get-Content "$Work/mediastack.prom" | Should -Contain 'mediastack_app_healthy{namespace="media-stack",app="sonarr"} 0'

        $posts = Get-WebhookRequest $Hook
        $posts.Count | Should -Be 1
        $posts[0].Method | Should -Be 'POST'
        $posts[0].Path | Should -Be '/hooks/t0p-s3cret-path'
        $body = $posts[0].Body | ConvertFrom-Json
        $body.event | Should -Be 'problem'
        $body.exitCode | Should -Be 1
        $body.changes[0].app | Should -Be 'sonarr'
        $body.changes[0].after | Should -Be 'NOTMOUNTED'
        foreach ($text in @($posts[0].Body) + (Get-ChildItem $Work -File | Get-Content -Raw)) {
            $text | Should -Not -Match ([regex]::Escape($AdminToken))
            $text | Should -Not -Match 't0p-s3cret'
        }
    }

    It 'sends nothing when nothing changed' {
        if ($Sandbox.Unavailable) { return }
        $before = (Get-WebhookRequest $Hook).Count
        $summary = Invoke-MediaStackCheck @Cluster -StatePath "$Work/state.json" -NotifyUri $HookUri -SkipDeepRead
        $summary.ExitCode | Should -Be 1
        $summary.Changes | Should -BeNullOrEmpty
        $summary.Notification | Should -BeNullOrEmpty
        (Get-WebhookRequest $Hook).Count | Should -Be $before
    }

    It 'warns when the alert cannot be sent and keeps the exit code' {
        if ($Sandbox.Unavailable) { return }
        $summary = Invoke-MediaStackCheck @Cluster -StatePath "$Work/nowhere-state.json" -NotifyUri 'http://127.0.0.1:1/hooks/s3cr3t-path' -SkipDeepRead -WarningVariable warnings -WarningAction SilentlyContinue
        $summary.ExitCode | Should -Be 1
        $summary.Notification | Should -Match '^not sent: The alert to http://127\.0\.0\.1:1/\*\*\* \(Json\) could not be sent'
        $warnings.Count | Should -Be 1
        "$warnings" | Should -Not -Match 's3cr3t'
    }

    It 'sees a stopped backend behind a warm directory cache only with the deep read' {
        if ($Sandbox.Unavailable) { return }
        $plex = Get-MediaPod -App plex @Cluster
        ($plex | Test-MediaMount @Cluster -Deep).IsHealthy | Should -BeTrue
        Invoke-SandboxFault $Sandbox stop-backend @{ backend = 'torbox' } | Out-Null
        try {
            $listed = $plex | Test-MediaMount @Cluster
            $listed.torbox.Status | Should -Be 'OK' -Because 'the listing comes from the 5 minute directory cache'
            $deep = $plex | Test-MediaMount @Cluster -Deep -TimeoutSec 8
            $deep.torbox.Status | Should -BeIn 'FAIL', 'TIMEOUT'
            $deep.torbox.Reason | Should -Match "directory cache"
            $deep.zurg.Status | Should -Be 'OK'
            $deep.zurg.ReadBytes | Should -BeGreaterThan 0
            $round = Invoke-MediaStackCheck @Cluster -StatePath "$Work/deep-state.json" -Exclude sonarr -TimeoutSec 8
            $round.ExitCode | Should -Be 1
            $round.Pods.App | Should -Be @('plex')
            $round.Excluded | Should -Be 1
        }
        finally {
            Invoke-SandboxFault $Sandbox restore-backend @{ backend = 'torbox' } | Out-Null
            $null = Wait-SandboxCondition -TimeoutSec 90 { ($plex | Test-MediaMount @Cluster -Deep -Mount torbox).torbox.Status -eq 'OK' }
        }
    }

    It 'passes with exactly the role New-MediaStackCheckAccount makes, and with -Repair repairs and sends the recovery' {
        if ($Sandbox.Unavailable) { return }
        $readOnly = New-MediaStackCheckAccount @Cluster -KubeConfigPath "$Work/check.kubeconfig" -Confirm:$false
        $readOnly.Role | Should -Be 'Role/mediastack-check'
        $readOnly.Rules | Should -Contain 'create pods/exec'
        $readOnly.Rules -join ';' | Should -Not -Match 'patch|delete|secrets'
        (Get-Item "$Work/check.kubeconfig").UnixMode | Should -Be '-rw-------'
        $token = Get-Token "$Work/check.kubeconfig"
        $token | Should -Not -BeNullOrEmpty
        $token | Should -Not -Be $AdminToken
        $auth = Invoke-Kubectl auth can-i patch deployments --as system:serviceaccount:media-stack:mediastack-check
        $auth.Output | Should -Be 'no'

        $account = @{ KubeConfig = "$Work/check.kubeconfig"; StatePath = "$Work/state.json"; NotifyUri = $HookUri; NotifyFormat = 'Json' }
        $summary = Invoke-MediaStackCheck @account -ErrorVariable failures
        $failures | Should -BeNullOrEmpty
        $summary.ExitCode | Should -Be 1
        $summary.Context | Should -Be 'mediastack-check@sandbox'
        $summary.Findings.RuleId | Should -Contain 'MS103'
        # Not granted on purpose (the rclone secrets hold the backend credentials): the only gap.
        $summary.Problems | Where-Object { $_.ErrorId -ne 'DiagnosisGap' -or $_.Message -notmatch 'secret .+ cannot be read' } | Should -BeNullOrEmpty

        $repairer = New-MediaStackCheckAccount @Cluster -Repair -KubeConfigPath "$Work/check.kubeconfig" -Confirm:$false
        $repairer.Changes | Should -Contain 'updated the rules of role/mediastack-check in media-stack'
        $before = (Get-WebhookRequest $Hook).Count

        # The guards: no budget, no repair; an object ArgoCD syncs is never patched live.
        $none = Invoke-MediaStackCheck @account -Repair -MaxRepairs 0 -SkipDeepRead
        $none.Repairs.Outcome | Should -Be @('Skipped')
        $none.Repairs[0].Reason | Should -Be '-MaxRepairs 0 reached'
        (Invoke-Kubectl label deploy sonarr app.kubernetes.io/instance=media).ExitCode | Should -Be 0
        $argo = Invoke-MediaStackCheck @account -Repair -SkipDeepRead
        $argo.Repairs.Outcome | Should -Be @('Refused')
        $argo.Repairs[0].Reason | Should -Match '^ManagedByArgoCD: .*ArgoCD application .media.'
        $argo.ExitCode | Should -Be 1
        (Invoke-Kubectl label deploy sonarr app.kubernetes.io/instance-).ExitCode | Should -Be 0
        (Get-WebhookRequest $Hook).Count | Should -Be $before
        $summary = Invoke-MediaStackCheck @account -Repair -MaxRepairs 1 -RepairTimeoutSec 120 -ErrorVariable failures
        $failures | Should -BeNullOrEmpty
        $summary.Repairs.Action | Should -Be @('PatchWorkload')
        $summary.Repairs[0].Outcome | Should -Be 'Applied'
        $summary.Repairs[0].RuleIds | Should -Contain 'MS103'
        $summary.ExitCode | Should -Be 0 -Because ($summary.Pods | Out-String)
        $summary.Changes.Kind | Should -Be @('Recovered')
        $posts = Get-WebhookRequest $Hook | Select-Object -Skip $before
        $posts.Count | Should -Be 1
        ($posts[0].Body | ConvertFrom-Json).event | Should -Be 'recovery'
        $posts[0].Body | Should -Not -Match ([regex]::Escape($token))
        (Invoke-Kubectl get deploy sonarr -o 'jsonpath={.spec.template.spec.containers[2].volumeMounts[0].mountPropagation}').Output | Should -Be 'HostToContainer'
    }

    It 'names verb and resource for each permission the role lacks, with exit code 2' {
        if ($Sandbox.Unavailable) { return }
        $rules = (Invoke-Kubectl get role mediastack-check -o 'jsonpath={.rules}').Output
        $count = @($rules | ConvertFrom-Json).Count
        $count | Should -BeGreaterOrEqual 7
        try {
            for ($index = 0; $index -lt $count; $index++) {
                $rule = @($rules | ConvertFrom-Json)[$index]
                (Invoke-Kubectl patch role mediastack-check --type=json -p "[{`"op`":`"remove`",`"path`":`"/rules/$index`"}]").ExitCode | Should -Be 0
                $summary = Invoke-MediaStackCheck -KubeConfig "$Work/check.kubeconfig" -StatePath "$Work/rbac-state.json" -Repair -ErrorVariable failures -ErrorAction SilentlyContinue
                $summary.ExitCode | Should -Be 2
                $summary.Outcome | Should -Be 'Unauthorized'
                foreach ($verb in $rule.verbs) {
                    $named = $failures | Where-Object { $_.FullyQualifiedErrorId -like 'CheckPermissionMissing*' -and $_.Exception.Message -like "The check may not $verb $($rule.resources[0]) *" }
                    $named | Should -Not -BeNullOrEmpty -Because "removing rule $index ($($rule.resources[0])) takes away '$verb'"
                    $named[0].ErrorDetails.RecommendedAction | Should -Match "Add verb `"$verb`" on resource `"$([regex]::Escape($rule.resources[0]))`""
                    $named[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
                }
                $restore = "[{`"op`":`"replace`",`"path`":`"/rules`",`"value`":$rules}]"
                (Invoke-Kubectl patch role mediastack-check --type=json -p $restore).ExitCode | Should -Be 0
            }
        }
        finally {
            $null = New-MediaStackCheckAccount @Cluster -Repair -KubeConfigPath "$Work/check.kubeconfig" -Confirm:$false
        }
    }

    It 'maps an unreachable cluster and refused credentials to 2 and alerts once, and bad arguments to 3' {
        if ($Sandbox.Unavailable) { return }
        $down = "$Work/down.kubeconfig"
        (Get-Content $Sandbox.KubeConfig -Raw) -replace 'https://127\.0\.0\.1:\d+', 'https://127.0.0.1:1' | Set-Content $down
        $before = (Get-WebhookRequest $Hook).Count
        $first = Invoke-MediaStackCheck -KubeConfig $down -StatePath "$Work/down-state.json" -NotifyUri $HookUri -MetricsPath "$Work/down.prom" -ErrorVariable failures -ErrorAction SilentlyContinue
        $again = Invoke-MediaStackCheck -KubeConfig $down -StatePath "$Work/down-state.json" -NotifyUri $HookUri -ErrorAction SilentlyContinue
        $first.ExitCode | Should -Be 2
        $first.Outcome | Should -Be 'Unreachable'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ClusterUnreachable,*'
        Get-Content "$Work/down.prom" | Should -Contain 'mediastack_check_up 0'
        $again.Changes | Should -BeNullOrEmpty
        $posts = Get-WebhookRequest $Hook | Select-Object -Skip $before
        $posts.Count | Should -Be 1
        ($posts[0].Body | ConvertFrom-Json).changes[0].kind | Should -Be 'ClusterUnavailable'

        $stolen = "$Work/bad-token.kubeconfig"
        (Get-Content $Sandbox.KubeConfig -Raw).Replace($AdminToken, 'not-a-valid-token') | Set-Content $stolen
        $refused = Invoke-MediaStackCheck -KubeConfig $stolen -StatePath "$Work/bad-state.json" -ErrorVariable failures -ErrorAction SilentlyContinue
        $refused.ExitCode | Should -Be 2
        $refused.Outcome | Should -Be 'Unauthorized'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ClusterUnauthorized,*'

        $unknown = Invoke-MediaStackCheck @Cluster -Mount nosuch -StatePath "$Work/bad-state.json" -ErrorVariable failures -ErrorAction SilentlyContinue
        $unknown.ExitCode | Should -Be 3
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'UnknownMount,*'
        # The help's one-liner: a parameter binding error never reaches the cmdlet, the trap makes it 3.
        $oneLiner = "trap { exit 3 }; Import-Module '$($env:MEDIASTACK_MODULE -replace "'", "''")' -ErrorAction Stop; exit (Invoke-MediaStackCheck -TimeoutSec 1).ExitCode"
        (Invoke-ChildPwsh @('-Command', $oneLiner)).ExitCode | Should -Be 3
    }
}

Describe 'Register-MediaStackCheck' -Tag Sandbox {
    BeforeEach {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable }
    }

    It 'writes systemd units that systemd-analyze verify accepts, and nothing with -WhatIf' {
        if ($Sandbox.Unavailable) { return }
        $null = Register-MediaStackCheck -Name whatif -Scheduler Systemd @Cluster -WhatIf
        Test-Path "$($env:XDG_DATA_HOME)/MediaStack/checks/whatif.ps1" | Should -BeFalse
        Test-Path "$($env:XDG_CONFIG_HOME)/systemd/user/mediastack-check-whatif.timer" | Should -BeFalse

        $registration = Register-MediaStackCheck -Name lab -Interval 00:15:00 -Scheduler Systemd @Cluster -MetricsPath "$Work/node exporter/media%stack.prom" -NotifyUri $HookUri -WarningAction SilentlyContinue
        $registration.Scheduler | Should -Be 'Systemd'
        $units = Join-Path $env:XDG_CONFIG_HOME 'systemd/user'
        $service = Get-Content "$units/mediastack-check-lab.service" -Raw
        $timer = Get-Content "$units/mediastack-check-lab.timer" -Raw
        $timer | Should -Match 'OnUnitActiveSec=15min'
        $service | Should -Match ([regex]::Escape("-File $($registration.ScriptPath)"))
        $verify = & systemd-analyze verify "$units/mediastack-check-lab.service" "$units/mediastack-check-lab.timer" 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($verify -join "`n")
        foreach ($file in $registration.Files) {
            Get-Content -LiteralPath $file -Raw | Should -Not -Match ([regex]::Escape($AdminToken))
            if ($file -notlike '*.notify') { Get-Content -LiteralPath $file -Raw | Should -Not -Match 't0p-s3cret' }
        }
        (Get-Item "$($env:XDG_DATA_HOME)/MediaStack/checks/lab.notify").UnixMode | Should -Be '-rw-------'
        if (-not (Test-Path /run/systemd/system)) { (Get-MediaStackCheck lab).Status | Should -Be 'units written; systemd is not running here' }
        Unregister-MediaStackCheck lab -Confirm:$false
        Test-Path "$units/mediastack-check-lab.timer" | Should -BeFalse
    }

    It 'puts one line into the crontab whose command, run by hand, performs the check with its exit code' {
        if ($Sandbox.Unavailable) { return }
        # crontab itself is not installed here: a stand-in keeps the table in a file, as crontab -l / - do.
        $bin = (New-Item -ItemType Directory -Force -Path "$Work/bin").FullName
        Set-Content "$bin/crontab" "#!/bin/sh`ncase `"`$1`" in`n-l) [ -f `"`$CRONTAB_FILE`" ] || { echo `"no crontab for `$(id -un)`" >&2; exit 1; }; cat `"`$CRONTAB_FILE`" ;;`n-) cat >`"`$CRONTAB_FILE`" ;;`nesac`n"
        chmod +x "$bin/crontab"
        $env:PATH = "$bin$([IO.Path]::PathSeparator)$($env:PATH)"
        $env:CRONTAB_FILE = "$Work/crontab"
        Set-Content $env:CRONTAB_FILE '0 4 * * * /usr/bin/backup --all # not ours'

        $direct = Invoke-MediaStackCheck @Cluster -StatePath "$Work/cron-direct.json" -SkipDeepRead
        $null = Register-MediaStackCheck -Name lab -Interval 00:10:00 -Scheduler Cron @Cluster -SkipDeepRead -ReportPath "$Work/cron report.json"
        $table = Get-Content $env:CRONTAB_FILE
        $table[0] | Should -Be '0 4 * * * /usr/bin/backup --all # not ours'
        $line = $table | Where-Object { $_ -like '*# mediastack-check:lab' }
        @($line).Count | Should -Be 1
        $line | Should -Match '^\*/10 \* \* \* \* '
        # What cron hands to /bin/sh: the command field, with cron's \% turned back into %.
        $command = ($line -replace '^(\S+\s+){5}', '' -replace '\s+# mediastack-check:lab$', '').Replace('\%', '%')
        $run = & sh -c $command 2>&1
        $LASTEXITCODE | Should -Be $direct.ExitCode -Because ($run -join "`n")
        (Get-Content "$Work/cron report.json" -Raw | ConvertFrom-Json).exitCode | Should -Be $direct.ExitCode

        # A check that cannot reach its cluster: the same chain carries exit code 2.
        (Get-Content $Sandbox.KubeConfig -Raw) -replace 'https://127\.0\.0\.1:\d+', 'https://127.0.0.1:1' | Set-Content "$Work/cron-down.kubeconfig"
        $null = Register-MediaStackCheck -Name down -Interval 01:00:00 -Scheduler Cron -KubeConfig "$Work/cron-down.kubeconfig" -Namespace media-stack
        $line = Get-Content $env:CRONTAB_FILE | Where-Object { $_ -like '*# mediastack-check:down' }
        $line | Should -Match '^0 \* \* \* \* '
        $run = & sh -c ($line -replace '^(\S+\s+){5}', '' -replace '\s+# mediastack-check:down$', '').Replace('\%', '%') 2>&1
        $LASTEXITCODE | Should -Be 2 -Because ($run -join "`n")
        Unregister-MediaStackCheck down -Confirm:$false

        $listed = Get-MediaStackCheck lab
        $listed.Status | Should -Be 'in the user crontab'
        $listed.LastExitCode | Should -Be $direct.ExitCode
        $listed.LastResult.schema | Should -Be 'mediastack.check/v1'
        Unregister-MediaStackCheck lab -Confirm:$false
        Get-Content $env:CRONTAB_FILE | Should -Be @('0 4 * * * /usr/bin/backup --all # not ours')
        Get-MediaStackCheck lab -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'CheckNotRegistered,*'
    }
}

Describe 'The deep read behind a hung backend' -Tag Sandbox {
    It 'gives TIMEOUT within the budget while the cached listing still looks fine' {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable; return }
        $plex = Get-MediaPod -App plex @Cluster
        ($plex | Test-MediaMount @Cluster -Deep).IsHealthy | Should -BeTrue
        Invoke-SandboxFault $Sandbox hang-backend @{ backend = 'zurg' } | Out-Null
        try {
            ($plex | Test-MediaMount @Cluster -Mount zurg).zurg.Status | Should -Be 'OK'
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $deep = $plex | Test-MediaMount @Cluster -Deep -TimeoutSec 8
            $watch.Stop()
            $deep.zurg.Status | Should -Be 'TIMEOUT'
            $deep.zurg.Reason | Should -Match 'the backend hangs'
            $deep.torbox.Status | Should -Be 'OK'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        }
        finally {
            Invoke-SandboxFault $Sandbox restore-backend @{ backend = 'zurg' } | Out-Null
        }
    }
}
