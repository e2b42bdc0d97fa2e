namespace MediaStack.Core.Diagnosis.Model;

// The rule catalogue. Ids are stable (scripts and the about_MediaStack_Troubleshooting topic
// refer to them): MS1xx read the Deployment/pod spec (work offline on manifest files),
// MS2xx read the running pod (status, events, logs, exec), MS3xx read the namespace and
// cluster around it. Never renumber; retire ids instead.
public static class Rules
{
    public static readonly RuleInfo NotMediaWorkload = new("MS100", nameof(NotMediaWorkload),
        "The workload is not a media app (a gateway such as Zurg, or a workload that neither reads the media root nor runs an rclone mount): it expects no mounts.", RepairKind.None);

    public static readonly RuleInfo SidecarMissing = new("MS101", nameof(SidecarMissing),
        "A configured mount (zurg, torbox ...) has no rclone sidecar in the pod.", RepairKind.Reconcile);

    public static readonly RuleInfo SidecarPropagation = new("MS102", nameof(SidecarPropagation),
        "An rclone sidecar's mount of the shared volume is not Bidirectional, so its FUSE mount never leaves the container.", RepairKind.Reconcile);

    public static readonly RuleInfo AppPropagation = new("MS103", nameof(AppPropagation),
        "The app container does not mount the mount root with HostToContainer (missing, None, or wrongly Bidirectional).", RepairKind.Reconcile);

    public static readonly RuleInfo SidecarNotPrivileged = new("MS104", nameof(SidecarNotPrivileged),
        "An rclone sidecar is not privileged: it cannot open /dev/fuse.", RepairKind.Reconcile);

    public static readonly RuleInfo BidirectionalWithoutPrivileged = new("MS105", nameof(BidirectionalWithoutPrivileged),
        "A container asks for Bidirectional propagation without privileged: the API server rejects the pod (422).", RepairKind.Reconcile);

    public static readonly RuleInfo PrivilegedApp = new("MS106", nameof(PrivilegedApp),
        "The app container is privileged although it only receives mounts.", RepairKind.None);

    public static readonly RuleInfo PrivilegedUnrelated = new("MS107", nameof(PrivilegedUnrelated),
        "A container that is neither the app nor an rclone sidecar (nginx ...) is privileged.", RepairKind.None);

    public static readonly RuleInfo InitDirsMissing = new("MS108", nameof(InitDirsMissing),
        "No init container creates the mount points before the sidecars start.", RepairKind.Reconcile);

    public static readonly RuleInfo InitDirsIncomplete = new("MS109", nameof(InitDirsIncomplete),
        "The init container does not create every mount point, or runs after a native sidecar.", RepairKind.Reconcile);

    public static readonly RuleInfo SecretVolumeMissing = new("MS110", nameof(SecretVolumeMissing),
        "An rclone sidecar's rclone.conf secret volume is not in the pod or not mounted into the sidecar.", RepairKind.Reconcile);

    public static readonly RuleInfo RcExposed = new("MS111", nameof(RcExposed),
        "rclone's remote control runs with --rc-no-auth on a non-loopback address: any pod in the cluster can drive it.", RepairKind.Reconcile);

    public static readonly RuleInfo FusermountV2 = new("MS112", nameof(FusermountV2),
        "A hook or script calls fusermount (FUSE 2), which the rclone image does not ship; fusermount3 is needed.", RepairKind.Reconcile);

    public static readonly RuleInfo RcPortConflict = new("MS113", nameof(RcPortConflict),
        "Two containers of the pod bind the same rclone rc port: the second fails with 'address already in use'.", RepairKind.Reconcile);

    public static readonly RuleInfo SidecarLimitsMissing = new("MS114", nameof(SidecarLimitsMissing),
        "An rclone sidecar has no CPU or memory limit, and no LimitRange of the files gives it one (static check; an Error where a ResourceQuota then refuses the pod).", RepairKind.Reconcile);

    public static readonly RuleInfo HardNodeSelector = new("MS115", nameof(HardNodeSelector),
        "The pod is pinned by a nodeSelector or required node affinity instead of a preferred affinity.", RepairKind.None);

    public static readonly RuleInfo MountOnVolumeRoot = new("MS116", nameof(MountOnVolumeRoot),
        "An rclone sidecar mounts onto the volume root or outside it instead of its own subdirectory.", RepairKind.Reconcile);

    public static readonly RuleInfo DuplicateClaimVolume = new("MS117", nameof(DuplicateClaimVolume),
        "Two volumes of the pod use the same PersistentVolumeClaim: a mount made in one does not show in the other, and the pod can hang in ContainerCreating.", RepairKind.None);

    public static readonly RuleInfo SidecarVolumeMismatch = new("MS118", nameof(SidecarVolumeMismatch),
        "An rclone sidecar mounts into another volume than the one the app reads its media from, so the app never sees the mount.", RepairKind.Reconcile);

    public static readonly RuleInfo NodeProviderMissing = new("MS119", nameof(NodeProviderMissing),
        "The app reads its mounts from a host path, but no node-level rclone provider (a DaemonSet mounting into that path) serves it, or none runs on the app's node.", RepairKind.None);

    public static readonly RuleInfo NeedlessBidirectional = new("MS120", nameof(NeedlessBidirectional),
        "A container that creates no FUSE mount asks for Bidirectional propagation: it needs at most HostToContainer, and no privilege for it.", RepairKind.None);

    public static readonly RuleInfo UnrenderedTemplate = new("MS121", nameof(UnrenderedTemplate),
        "A manifest file is a Go template (Helm chart source): it cannot be checked until it is rendered.", RepairKind.None);

    public static readonly RuleInfo StandaloneRcExposed = new("MS122", nameof(StandaloneRcExposed),
        "A standalone rclone Deployment serves its remote control on a non-loopback address without auth (--rc-no-auth, or no --rc-user/--rc-htpasswd): any pod in the cluster can drive it.", RepairKind.None);

    public static readonly RuleInfo UnboundedVfsCache = new("MS123", nameof(UnboundedVfsCache),
        "An rclone mount caches files (--vfs-cache-mode full or writes) without --vfs-cache-max-size, on the container's own disk or an emptyDir without sizeLimit: the cache grows until the node's disk is full.", RepairKind.None);

    public static readonly RuleInfo UnpinnedImage = new("MS124", nameof(UnpinnedImage),
        "A container image is on :latest or has no tag (and no digest): every pull may bring another version.", RepairKind.None);

    public static readonly RuleInfo RollingUpdateSharedConfig = new("MS125", nameof(RollingUpdateSharedConfig),
        "A single-replica Deployment updates with RollingUpdate while its config (the app's SQLite database) sits on a persistent volume: during a rollout two pods write one database, or the new pod waits forever for the volume.", RepairKind.None);

    public static readonly RuleInfo RunAsRoot = new("MS126", nameof(RunAsRoot),
        "The pod's securityContext sets runAsUser: 0: every container without its own runAsUser runs as root, the app included.", RepairKind.None);

    public static readonly RuleInfo PreStopUnmountMissing = new("MS127", nameof(PreStopUnmountMissing),
        "An rclone mount container has no preStop hook that unmounts (fusermount3 -uz / umount): a stopped pod can leave a stale mount behind.", RepairKind.None);

    public static readonly RuleInfo MountNotAwaited = new("MS128", nameof(MountNotAwaited),
        "Classic sidecars and no probe of the app that checks a mount: the app starts, and is ready, before its mounts exist.", RepairKind.None);

    public static readonly RuleInfo MediaNotRead = new("MS129", nameof(MediaNotRead),
        "The pod runs privileged rclone sidecars, but its app container never mounts the volume they serve: the privilege buys nothing.", RepairKind.None);

    public static readonly RuleInfo PodNotRunning = new("MS201", nameof(PodNotRunning),
        "The pod is not Running (Pending, ContainerCreating, Failed ...).", RepairKind.None);

    public static readonly RuleInfo CrashLoop = new("MS202", nameof(CrashLoop),
        "A container is in CrashLoopBackOff.", RepairKind.None);

    public static readonly RuleInfo FrequentRestarts = new("MS203", nameof(FrequentRestarts),
        "A container has restarted several times.", RepairKind.None);

    public static readonly RuleInfo OomKilled = new("MS204", nameof(OomKilled),
        "A container was last terminated by the OOM killer (a dead FUSE daemon leaves a stale mount).", RepairKind.None);

    public static readonly RuleInfo ContainerNotReady = new("MS205", nameof(ContainerNotReady),
        "A running container is not ready.", RepairKind.None);

    public static readonly RuleInfo FailedMountEvent = new("MS211", nameof(FailedMountEvent),
        "The kubelet cannot set up a volume of the pod (FailedMount).", RepairKind.None);

    public static readonly RuleInfo FailedCreateEvent = new("MS212", nameof(FailedCreateEvent),
        "The ReplicaSet cannot create pods (FailedCreate), e.g. refused by SCC or Pod Security admission.", RepairKind.None);

    public static readonly RuleInfo FailedSchedulingEvent = new("MS213", nameof(FailedSchedulingEvent),
        "The scheduler cannot place the pod (FailedScheduling).", RepairKind.None);

    public static readonly RuleInfo ProbeFailedEvent = new("MS214", nameof(ProbeFailedEvent),
        "A startup, liveness or readiness probe failed (Unhealthy).", RepairKind.None);

    public static readonly RuleInfo BackOffEvent = new("MS215", nameof(BackOffEvent),
        "The kubelet is backing off restarting a failed container (BackOff).", RepairKind.None);

    public static readonly RuleInfo LogFuseNotPermitted = new("MS221", nameof(LogFuseNotPermitted),
        "Sidecar log: 'failed to open /dev/fuse: Operation not permitted' (container not privileged).", RepairKind.Reconcile);

    public static readonly RuleInfo LogFuseDeviceNotFound = new("MS222", nameof(LogFuseDeviceNotFound),
        "Sidecar log: 'fuse device not found' (no /dev/fuse in the container or on the node).", RepairKind.Reconcile);

    public static readonly RuleInfo LogMountPermissionDenied = new("MS223", nameof(LogMountPermissionDenied),
        "Sidecar log: mount failed with Permission denied / Operation not permitted (no CAP_SYS_ADMIN, LSM denial).", RepairKind.Reconcile);

    public static readonly RuleInfo LogAlreadyMounted = new("MS224", nameof(LogAlreadyMounted),
        "Sidecar log: 'directory already mounted' (stale mount from a previous run, or mounting onto the volume root).", RepairKind.RestartPod);

    public static readonly RuleInfo LogMountPointNotEmpty = new("MS225", nameof(LogMountPointNotEmpty),
        "Sidecar log: the mount point 'is not empty' (files left in it).", RepairKind.None);

    public static readonly RuleInfo LogMountPointMissing = new("MS226", nameof(LogMountPointMissing),
        "Sidecar log: the mount point does not exist (no such file or directory).", RepairKind.Reconcile);

    public static readonly RuleInfo LogConfigMissing = new("MS227", nameof(LogConfigMissing),
        "Sidecar log: rclone.conf not found or the remote's section is missing.", RepairKind.None);

    public static readonly RuleInfo LogBackendAuth = new("MS228", nameof(LogBackendAuth),
        "Sidecar log: the backend answers 401/403 (bad credentials in the secret).", RepairKind.None);

    public static readonly RuleInfo LogBackendUnreachable = new("MS229", nameof(LogBackendUnreachable),
        "Sidecar log: connection refused / no such host (backend down or wrong URL).", RepairKind.None);

    public static readonly RuleInfo LogRcPortInUse = new("MS230", nameof(LogRcPortInUse),
        "Sidecar log: 'address already in use' on the rc port.", RepairKind.Reconcile);

    public static readonly RuleInfo FuseDeviceMissing = new("MS241", nameof(FuseDeviceMissing),
        "/dev/fuse is not present in an rclone sidecar.", RepairKind.Reconcile);

    public static readonly RuleInfo AppMountMissing = new("MS242", nameof(AppMountMissing),
        "The app container's mount table has no FUSE mount at a configured mount path.", RepairKind.None);

    public static readonly RuleInfo StaleMount = new("MS243", nameof(StaleMount),
        "The mount answers 'Transport endpoint is not connected' (its rclone died without unmounting).", RepairKind.RestartPod);

    public static readonly RuleInfo MountHang = new("MS244", nameof(MountHang),
        "Accessing the mount did not finish within the timeout (hung FUSE daemon or backend).", RepairKind.None);

    public static readonly RuleInfo MountEmpty = new("MS245", nameof(MountEmpty),
        "The mount is there but its probe folder has too few entries (grading of Test-MediaMount).", RepairKind.None);

    public static readonly RuleInfo BrokenSymlinks = new("MS246", nameof(BrokenSymlinks),
        "Symlinks in the stream folder point to files that do not exist in the app container (sampled).", RepairKind.None);

    public static readonly RuleInfo SccNotGranted = new("MS301", nameof(SccNotGranted),
        "The service account may not use the privileged SCC (SubjectAccessReview on a cluster; the RoleBindings, ClusterRoleBindings and SCCs of the files in a static check), so privileged pods are refused.", RepairKind.GrantPrivilege);

    public static readonly RuleInfo PodSecurityNotPrivileged = new("MS302", nameof(PodSecurityNotPrivileged),
        "Plain Kubernetes: the namespace's Pod Security label does not allow privileged pods.", RepairKind.GrantPrivilege);

    public static readonly RuleInfo SecretNotFound = new("MS303", nameof(SecretNotFound),
        "A secret the pod mounts does not exist in the namespace.", RepairKind.None);

    public static readonly RuleInfo LegacyStandaloneRclone = new("MS304", nameof(LegacyStandaloneRclone),
        "A standalone rclone Deployment (the legacy pattern): its mounts never reach other pods.", RepairKind.None);

    public static readonly RuleInfo ArgoCdManaged = new("MS305", nameof(ArgoCdManaged),
        "ArgoCD manages the Deployment: live repairs are reverted by self-heal; change the file in git.", RepairKind.None);

    public static readonly RuleInfo PrivilegeNotInFiles = new("MS306", nameof(PrivilegeNotInFiles),
        "Static check: the files hold no RoleBinding, ClusterRoleBinding or SCC, so whether privileged workloads may run is known only on the cluster (said once).", RepairKind.None);

    public static IReadOnlyList<RuleInfo> All { get; } = typeof(Rules)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(field => field.FieldType == typeof(RuleInfo))
        .Select(field => (RuleInfo)field.GetValue(null)!)
        .OrderBy(rule => rule.Id, StringComparer.Ordinal)
        .ToArray();
}
