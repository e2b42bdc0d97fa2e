# Shared by the benchmarks: medians, fresh pwsh processes, and writing a figure table into
# its own marked section of docs/performance.md.

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$middle] }
    ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, [Reflection.Assembly]::GetEntryAssembly().Location)
    }
    @($process)
}

function Measure-FreshPwsh([string] $Command) {
    # Wall-clock milliseconds of one fresh pwsh process running $Command.
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $pwsh[0] @arguments | Out-Null
    $watch.Stop()
    if ($LASTEXITCODE -ne 0) { throw "pwsh -Command '$Command' failed with exit code $LASTEXITCODE." }
    $watch.Elapsed.TotalMilliseconds
}

function Invoke-FreshPwsh([string] $Command) {
    # The output lines of one fresh pwsh process running $Command.
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command)
    $output = & $pwsh[0] @arguments
    if ($LASTEXITCODE -ne 0) { throw "pwsh -Command '$Command' failed with exit code $LASTEXITCODE." }
    $output
}

function Set-PerformanceSection {
    # Replaces (or appends) the section between <!-- bench:$Id --> markers.
    param([Parameter(Mandatory)][string] $Id, [Parameter(Mandatory)][string] $Markdown)
    $path = Join-Path $PSScriptRoot '../../docs/performance.md'
    $text = Get-Content $path -Raw
    $block = "<!-- bench:$Id -->`n$($Markdown.Trim())`n<!-- /bench:$Id -->"
    $pattern = "(?s)<!-- bench:$([regex]::Escape($Id)) -->.*?<!-- /bench:$([regex]::Escape($Id)) -->"
    $text = if ($text -match $pattern) { [regex]::Replace($text, $pattern, { $block }) } else { $text.TrimEnd() + "`n`n$block`n" }
    $temporary = "$path.tmp"
    Set-Content -Path $temporary -Value $text -NoNewline
    Move-Item $temporary $path -Force
}

function New-BenchScenario {
    # A sandbox scenario for benchmarks: the Zurg and TorBox backends and, in each namespace, a
    # service account allowed the privileged SCC, the rclone secrets, the media PVC and one
    # Deployment "bench" of $Replicas pods with an rclone sidecar per mount (1 s directory
    # cache, so every check reaches the backends) and an app container with HostToContainer.
    param(
        [Parameter(Mandatory)][string] $Path,
        [string[]] $Namespaces = @('media-stack'),
        [Parameter(Mandatory)][int] $Replicas,
        [int] $ZurgEntries = 2000,
        [string[]] $Mounts = @('zurg', 'torbox'),
        [switch] $Unschedulable
    )
    $claims = ($Namespaces | ForEach-Object { "    - {namespace: $_, name: media-library-pvc, directories: [archive, stream], streamLinks: 0}" }) -join "`n"
    $documents = @(@"
apiVersion: sandbox.mediastack.dev/v1
kind: SandboxScenario
metadata: {name: bench}
spec:
  mode: openshift
  backends:
    servers:
    - {name: zurg, layout: zurg, entries: $ZurgEntries, podPort: 9999, mountPath: /mnt/media/zurg}
    - {name: torbox, layout: torbox, entries: 60, podPort: 9998, mountPath: /mnt/media/torbox}
    claims:
$claims
"@)
    $sidecars = @{
        zurg   = @{ Remote = 'zurg'; Secret = 'rclone-zurg-config'; Port = 5572; Conf = "[zurg]`n    type = webdav`n    url = http://127.0.0.1:9999/`n    vendor = other" }
        torbox = @{ Remote = 'torbox'; Secret = 'rclone-config'; Port = 5573; Conf = "[torbox]`n    type = webdav`n    url = http://127.0.0.1:9998/`n    vendor = other" }
    }
    $placement = if ($Unschedulable) { "      nodeSelector: {kubernetes.io/hostname: no-such-node}`n" } else { '' }
    foreach ($namespace in $Namespaces) {
        $documents += "apiVersion: v1`nkind: Namespace`nmetadata: {name: $namespace}"
        $documents += "apiVersion: v1`nkind: ServiceAccount`nmetadata: {name: plex, namespace: $namespace}"
        $documents += "apiVersion: rbac.authorization.k8s.io/v1`nkind: RoleBinding`nmetadata: {name: 'system:openshift:scc:privileged', namespace: $namespace}`nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: 'system:openshift:scc:privileged'}`nsubjects: [{kind: ServiceAccount, name: plex, namespace: $namespace}]"
        $documents += "apiVersion: v1`nkind: PersistentVolumeClaim`nmetadata: {name: media-library-pvc, namespace: $namespace}`nspec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Ti}}}"
        foreach ($mount in $Mounts) {
            $documents += "apiVersion: v1`nkind: Secret`nmetadata: {name: $($sidecars[$mount].Secret), namespace: $namespace}`ntype: Opaque`nstringData:`n  rclone.conf: |`n    $($sidecars[$mount].Conf)"
        }
        $containers = foreach ($mount in $Mounts) {
            $sidecar = $sidecars[$mount]
            @"
      - name: rclone-$mount
        image: docker.io/rclone/rclone:latest
        securityContext: {privileged: true}
        args: [mount, "$($sidecar.Remote):", /mnt/media/$mount, --config=/config/rclone/rclone.conf, --allow-other, --dir-cache-time=1s, --attr-timeout=1s, --rc, --rc-no-auth, --rc-addr=127.0.0.1:$($sidecar.Port)]
        volumeMounts:
        - {name: media-storage, mountPath: /mnt/media, mountPropagation: Bidirectional}
        - {name: $($sidecar.Secret), mountPath: /config/rclone, readOnly: true}
"@
        }
        $volumes = ($Mounts | ForEach-Object { "      - name: $($sidecars[$_].Secret)`n        secret: {secretName: $($sidecars[$_].Secret), defaultMode: 0400}" }) -join "`n"
        $documents += @"
apiVersion: apps/v1
kind: Deployment
metadata: {name: bench, namespace: $namespace, labels: {app: bench}}
spec:
  replicas: $Replicas
  selector: {matchLabels: {app: bench}}
  template:
    metadata: {labels: {app: bench}}
    spec:
      serviceAccountName: plex
$placement      initContainers:
      - name: init-dirs
        image: docker.io/alpine:latest
        command: [/bin/sh, -c, "mkdir -p $(($Mounts | ForEach-Object { "/mnt/media/$_" }) -join ' ')"]
        volumeMounts: [{name: media-storage, mountPath: /mnt/media}]
      containers:
$($containers -join "`n")
      - name: bench
        image: lscr.io/linuxserver/sonarr:latest
        volumeMounts:
        - {name: media-storage, mountPath: /mnt/media, mountPropagation: HostToContainer}
      volumes:
      - name: media-storage
        persistentVolumeClaim: {claimName: media-library-pvc}
$volumes
"@
    }
    $documents -join "`n---`n" | Set-Content -LiteralPath $Path
    $Path
}

function Get-LoadAverage {
    if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0] } else { 'n/a' }
}

Export-ModuleMember -Function Get-Median, Measure-FreshPwsh, Invoke-FreshPwsh, Set-PerformanceSection, New-BenchScenario, Get-LoadAverage
