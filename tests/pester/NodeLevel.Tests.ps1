# Node-level mounts and StatefulSets on the sandbox's node-level scenario: a DaemonSet that
# mounts rclone into the host path /mnt/cloud on two of three nodes, readers of that path
# with HostToContainer, without it, and on the node the provider skips, and a StatefulSet
# with classic sidecars. Real FUSE mounts and real mount propagation decide every status.
BeforeAll {
    Import-Module $env:MEDIASTACK_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
    # A config file of our own, so a saved config on this machine cannot change the results.
    $script:savedConfig = $env:MEDIASTACK_CONFIG
    $env:MEDIASTACK_CONFIG = Join-Path $TestDrive 'no-config/config.json'
    $script:Sandbox = Start-Sandbox -Scenario node-level
    $script:Cluster = @{ KubeConfig = $Sandbox.KubeConfig; Namespace = 'media-stack' }

    function Get-Pod([string] $App) { Get-MediaPod -App $App @Cluster | Where-Object Phase -EQ Running | Select-Object -First 1 }

    # The provider's running pod on a node.
    function Get-ProviderPod([string] $Node) {
        (Invoke-SandboxKubectl $Sandbox -n rclone get pods -l app=rclone-node -o json).Output | ConvertFrom-Json | ForEach-Object items |
            Where-Object { $_.spec.nodeName -eq $Node -and -not $_.metadata.deletionTimestamp -and $_.status.phase -eq 'Running' } |
            ForEach-Object { $_.metadata.name }
    }

    function Get-LiveSet { (Invoke-SandboxKubectl $Sandbox -n media-stack get statefulset jellyfin -o json).Output | ConvertFrom-Json }

    if (-not $Sandbox.Unavailable) {
        $ready = Wait-SandboxCondition -TimeoutSec 180 -Condition {
            ((Get-Pod plex | Test-MediaMount @Cluster).Status -eq 'OK') -and ((Get-Pod jellyfin | Test-MediaMount @Cluster).Status -eq 'OK')
        }
        if (-not $ready) { $script:Sandbox.Unavailable = 'the node-level pods did not become ready within 180 s' }
        else {
            # sonarr (no HostToContainer) started together with the provider: whether runc's
            # recursive bind handed it a copy of the first mount depends on who came first.
            # Replace node2's provider pod, as a DaemonSet update or a drain does: a mount made
            # after sonarr started never reaches it, whatever the order was.
            $old = Get-ProviderPod wow-ocp-node2
            $null = Invoke-SandboxKubectl $Sandbox -n rclone delete pod $old
            $renewed = Wait-SandboxCondition -TimeoutSec 120 -Condition {
                (Get-ProviderPod wow-ocp-node2) -and (Get-ProviderPod wow-ocp-node2) -ne $old -and ((Get-Pod plex | Test-MediaMount @Cluster).Status -eq 'OK')
            }
            if (-not $renewed) { $script:Sandbox.Unavailable = "node2's provider did not come back within 120 s" }
        }
    }
}

AfterAll {
    Stop-Sandbox $Sandbox
    $env:MEDIASTACK_CONFIG = $script:savedConfig
}

Describe 'The module on node-level mounts and a StatefulSet' -Tag Sandbox {
    BeforeEach {
        if ($Sandbox.Unavailable) { Set-ItResult -Skipped -Because $Sandbox.Unavailable }
    }

    It 'Get-MediaApp shows the DaemonSet as the node mount provider and the StatefulSet as a media app' {
        if ($Sandbox.Unavailable) { return }
        $apps = Get-MediaApp -AllNamespaces -KubeConfig $Sandbox.KubeConfig

        $provider = $apps | Where-Object Name -EQ 'rclone-node'
        $provider.Namespace | Should -Be 'rclone'
        $provider.ResourceKind | Should -Be 'DaemonSet'
        "$($provider.Kind)" | Should -Be 'NodeMountProvider'
        $provider.Ready | Should -Be '2/2'
        $provider.SidecarSetup | Should -Match '^node-level mount provider \(DaemonSet mounting zurg: at /mnt/media/zurg'
        $jellyfin = $apps | Where-Object Name -EQ 'jellyfin'
        $jellyfin.ResourceKind | Should -Be 'StatefulSet'
        "$($jellyfin.Kind)" | Should -Be 'MediaApp'
        $jellyfin.Ready | Should -Be '1/1'
        $jellyfin.AppContainer | Should -Be 'jellyfin'
        $jellyfin.SidecarSetup | Should -Be 'classic: zurg, torbox; app HostToContainer'
        ($apps | Where-Object Name -EQ 'sonarr').SidecarSetup | Should -Be 'node-level mounts through cloud (hostPath /mnt/cloud); app None'

        $table = $apps | Format-Table | Out-String -Width 250
        $table | Should -Match 'rclone-node\s+2/2\s+NodeMountProvider\s'
        $table | Should -Match 'jellyfin\s+1/1\s+MediaApp\s'
        @(Get-MediaApp -Kind StatefulSet @Cluster).Name | Should -Be @('jellyfin')
    }

    It 'Test-MediaMount grades the HostToContainer reader OK from what its app container sees of the node mount' {
        if ($Sandbox.Unavailable) { return }
        $plex = Get-Pod plex
        $plex.Node | Should -Be 'wow-ocp-node2'
        $plex.OwnerKind | Should -Be 'Deployment'
        $report = $plex | Test-MediaMount @Cluster

        $report.Container | Should -Be 'plex'
        $report.zurg.Status | Should -Be 'OK'
        $report.zurg.ServedBy | Should -Be 'node'
        $report.zurg.Entries | Should -Be 2000
        $report.zurg.FsType | Should -Be 'fuse.rclone'
        $report.zurg.Path | Should -Be '/mnt/media/zurg/__all__'
        $report.zurg.LatencyMs | Should -BeGreaterOrEqual 0
        $report.torbox.Status | Should -Be 'OK'
        $report.torbox.Entries | Should -Be 60
        $report.IsHealthy | Should -BeTrue

        $set = Get-Pod jellyfin
        $set.Name | Should -Be 'jellyfin-0'
        $set.OwnerKind | Should -Be 'StatefulSet'
        $set.RcloneSidecars.Container | Should -Be @('rclone-zurg', 'rclone-torbox')
        ($set | Test-MediaMount @Cluster).Mounts.ServedBy | Should -Be @('rclone-zurg', 'rclone-torbox')
    }

    It 'fails the reader without HostToContainer and the reader on the node the provider skips' {
        if ($Sandbox.Unavailable) { return }
        $sonarr = Get-Pod sonarr | Test-MediaMount @Cluster
        $sonarr.Node | Should -Be 'wow-ocp-node2'
        # An empty folder if it started before the first mount, the dead copy of it if after.
        $sonarr.Mounts.Status | ForEach-Object { $_ | Should -BeIn 'NOTMOUNTED', 'STALE' }
        $sonarr.zurg.Reason | Should -Match 'HostToContainer|Transport endpoint is not connected'
        $sonarr.IsHealthy | Should -BeFalse

        $tdarr = Get-Pod tdarr | Test-MediaMount @Cluster
        $tdarr.Node | Should -Be 'wow-ocp-node4'
        $tdarr.Mounts.Status | Should -Be @('FAIL', 'FAIL')
        $tdarr.zurg.Reason | Should -Match 'no node-level provider has made it on this node'
        $tdarr.IsHealthy | Should -BeFalse
    }

    It '-Quiet is $false for the namespace and $true for the healthy reader alone' {
        if ($Sandbox.Unavailable) { return }
        Test-MediaMount @Cluster -Quiet | Should -BeFalse
        Get-Pod plex | Test-MediaMount @Cluster -Quiet | Should -BeTrue
        Get-Pod sonarr | Test-MediaMount @Cluster -Quiet | Should -BeFalse
        Get-Pod tdarr | Test-MediaMount @Cluster -Quiet | Should -BeFalse
    }

    It 'Invoke-MountDiagnosis blames the missing HostToContainer and the node placement on the right workloads' {
        if ($Sandbox.Unavailable) { return }
        $findings = Invoke-MountDiagnosis @Cluster -IncludePass

        $propagation = @($findings | Where-Object { $_.RuleId -eq 'MS103' -and $_.Severity -eq 'Error' })
        $propagation.Deployment | Should -Be @('sonarr')
        $propagation[0].Message | Should -Match "the node's FUSE mounts made after it starts never reach it"
        $placement = @($findings | Where-Object { $_.RuleId -eq 'MS119' -and $_.Severity -eq 'Error' })
        $placement.Deployment | Should -Be @('tdarr')
        $placement[0].Message | Should -Match 'No node-level rclone provider runs on wow-ocp-node4 for host path /mnt/cloud'
        $placement[0].Evidence | Should -Match '^rclone/rclone-node runs on '
        $placement[0].Evidence | Should -Match 'wow-ocp-node2'
        $placement[0].Evidence | Should -Match 'wow-ocp-node3'
        ($findings | Where-Object { $_.RuleId -eq 'MS119' -and $_.Deployment -eq 'plex' }).Message | Should -Be 'rclone/rclone-node serves /mnt/cloud on wow-ocp-node2.'
        $findings | Where-Object { $_.Deployment -in 'plex', 'jellyfin' -and $_.Severity -eq 'Error' } | Should -BeNullOrEmpty
    }

    It 'Remove-RcloneSidecar and Add-RcloneSidecar roll the StatefulSet out for real and undo each other' {
        if ($Sandbox.Unavailable) { return }
        (Add-RcloneSidecar -Name jellyfin -Kind StatefulSet @Cluster).Status | Should -Be 'UpToDate'
        $first = (Get-Pod jellyfin).Pod.Metadata.Uid

        $removed = Remove-RcloneSidecar -Name jellyfin -Kind StatefulSet @Cluster -Wait -TimeoutSec 180
        $removed.Status | Should -Be 'Changed'
        $removed.Pods | Should -Be @('jellyfin-0')
        $removed.Changes | Should -Contain 'rclone-zurg: removed from containers'
        $set = Get-LiveSet
        $set.spec.template.spec.containers.name | Should -Be @('jellyfin')
        $set.spec.template.spec.initContainers | Should -BeNullOrEmpty
        $set.spec.template.spec.volumes.name | Should -Be @('media')
        $set.status.updateRevision | Should -Be $set.status.currentRevision
        $pod = Get-Pod jellyfin
        $pod.Pod.Metadata.Uid | Should -Not -Be $first
        $pod.Pod.Metadata.Labels['controller-revision-hash'] | Should -Be $set.status.updateRevision
        ($pod | Test-MediaMount @Cluster).Mounts.Status | Should -Be @('NOSIDECAR', 'NOSIDECAR')
        $stripped = $set.spec | ConvertTo-Json -Depth 30

        $added = Get-MediaApp -Name jellyfin -Kind StatefulSet @Cluster | Add-RcloneSidecar -KubeConfig $Sandbox.KubeConfig -Wait -TimeoutSec 180
        $added.Status | Should -Be 'Changed'
        $added.Pods | Should -Be @('jellyfin-0')
        $set = Get-LiveSet
        $set.spec.template.spec.containers.name | Should -Be @('rclone-zurg', 'rclone-torbox', 'jellyfin')
        $set.status.updateRevision | Should -Be $set.status.currentRevision
        $set.status.readyReplicas | Should -Be 1
        $again = Get-Pod jellyfin
        $again.Pod.Metadata.Uid | Should -Not -Be $pod.Pod.Metadata.Uid
        $status = $again | Test-MediaMount @Cluster
        $status.zurg.Status | Should -Be 'OK'
        $status.torbox.Status | Should -Be 'OK'
        $status.zurg.ServedBy | Should -Be 'rclone-zurg'

        # Remove undoes Add: the spec is the one Add started from.
        $null = Remove-RcloneSidecar -Name jellyfin -Kind StatefulSet @Cluster -Wait -TimeoutSec 180
        (Get-LiveSet).spec | ConvertTo-Json -Depth 30 | Should -Be $stripped
    }
}
