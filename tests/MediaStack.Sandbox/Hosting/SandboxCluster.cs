using MediaStack.Sandbox.Admission;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Controllers;
using MediaStack.Sandbox.Faults;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Node;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Resources;
using MediaStack.Sandbox.Scenarios;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Hosting;

// Everything one sandbox cluster is made of, wired together: store, write path,
// RBAC, controllers, node runtime, faults, tokens.
public sealed class SandboxCluster : IAsyncDisposable
{
    readonly CancellationTokenSource _stopping = new();
    readonly ControllerManager _controllers;

    public SandboxCluster(ClusterMode mode, INodeRuntime runtime, string runtimeName)
    {
        Mode = mode;
        Runtime = runtime;
        RuntimeName = runtimeName;
        Catalog = new ResourceCatalog(mode == ClusterMode.OpenShift);
        Store = new ObjectStore();
        Rbac = new RbacAuthorizer(Store);
        Objects = new ObjectService(Store, mode, new PodSecurity(Store, Rbac));
        Events = new EventRecorder(Store);
        Reviews = new AccessReviews(Rbac);
        Faults = new FaultRegistry();
        Auth = new Authentication(Authentication.NewToken(), new Identity("sandbox-admin", ["system:masters", "system:authenticated"]));
        runtime.Attach(new NodeHost(Store, Catalog, Events));
        _controllers = new ControllerManager(Store,
        [
            new Scheduler(Store, Events),
            new PodLifecycleController(Store, runtime, _stopping.Token),
            new DeploymentController(Objects, Events),
            new ReplicaSetController(Objects, Events),
            new StatefulSetController(Objects, Events),
            new DaemonSetController(Objects, Events),
            new GarbageCollector(Objects, Catalog),
        ]);
    }

    public ClusterMode Mode { get; }
    public INodeRuntime Runtime { get; }
    public string RuntimeName { get; }
    public ResourceCatalog Catalog { get; }
    public ObjectStore Store { get; }
    public RbacAuthorizer Rbac { get; }
    public ObjectService Objects { get; }
    public EventRecorder Events { get; }
    public AccessReviews Reviews { get; }
    public FaultRegistry Faults { get; }
    public Authentication Auth { get; }
    public CancellationToken Stopping => _stopping.Token;

    public void StartControllers() => _controllers.Start();

    // Pods get this long to stop as on a drained node; whatever is still running then dies
    // with the node (the runtime's dispose), so Ctrl+C takes seconds even on a busy machine.
    public static readonly TimeSpan PodStopBudget = TimeSpan.FromSeconds(1);

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        await _controllers.DisposeAsync();
        var abandoned = false;
        var stops = Task.WhenAll(Store.List(ResourceCatalog.Pods, null).Items.Select(async pod =>
        {
            try { await Runtime.StopPodAsync(pod.Namespace(), pod.Name(), pod.Uid(), 0, CancellationToken.None); }
            catch (Exception e) when (!Volatile.Read(ref abandoned)) { Console.Error.WriteLine($"sandbox: stopping pod {pod.Namespace()}/{pod.Name()}: {e.Message}"); }
            catch (Exception) { }
        }));
        await Task.WhenAny(stops, Task.Delay(PodStopBudget));
        Volatile.Write(ref abandoned, true);
        await Runtime.DisposeAsync();
    }
}
