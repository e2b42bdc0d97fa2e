# Inputs shared by the hostile-input tests (Hostile.Tests.ps1, BadInputs.Tests.ps1) and the
# benchmark of hostile manifests.

function Get-ProbeDeploymentYaml {
    # A well-formed Deployment named probe, without sidecars, mounting the media volume.
    @'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: probe
  namespace: media-stack
spec:
  selector:
    matchLabels: {app: probe}
  template:
    metadata:
      labels: {app: probe}
    spec:
      containers:
      - name: probe
        image: nginx:1.27
        volumeMounts:
        - {name: media-storage, mountPath: /mnt/media}
      volumes:
      - name: media-storage
        persistentVolumeClaim: {claimName: media-library-pvc}

'@
}

function Get-AliasBomb([int] $Levels) {
    # The audit's alias bomb: a0 holds ten scalars, each next level ten aliases of the one before.
    (@("a0: &a0 [$(@('x') * 10 -join ', ')]") + @(1..($Levels - 1) | ForEach-Object { "a${_}: &a$_ [$(@("*a$($_ - 1)") * 10 -join ', ')]" })) -join "`n"
}

function New-UnreachableKubeConfig([string] $Path) {
    # A kubeconfig whose server is a port on 127.0.0.1 that nothing listens on (bound, read,
    # released).
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    Set-Content -LiteralPath $Path @"
apiVersion: v1
kind: Config
current-context: dev
contexts:
- name: dev
  context: {cluster: dev, user: dev, namespace: media-stack}
clusters:
- name: dev
  cluster: {server: "https://127.0.0.1:$port", insecure-skip-tls-verify: true}
users:
- name: dev
  user: {token: not-a-token}
"@
    $Path
}

Export-ModuleMember -Function Get-ProbeDeploymentYaml, Get-AliasBomb, New-UnreachableKubeConfig
