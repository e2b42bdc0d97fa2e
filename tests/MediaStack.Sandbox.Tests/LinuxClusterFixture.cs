using MediaStack.Sandbox.Hosting;
using MediaStack.Sandbox.Node.Linux;
using MediaStack.Sandbox.Scenarios;

namespace MediaStack.Sandbox.Tests;

// An in-process sandbox on the Linux node runtime for a test class: the scenario a subclass
// gives, its kubeconfig in a temp folder, and the real kubectl. Nothing starts where the
// runtime cannot run (the tests skip with Availability.Reason).
public abstract class LinuxClusterFixture : IAsyncLifetime
{
    public SandboxServer? Server { get; private set; }
    public string Folder { get; } = Directory.CreateTempSubdirectory("sandbox-node-test-").FullName;
    public Kubectl Kubectl { get; private set; } = null!;
    public LinuxNodeRuntime Runtime { get; } = new(new LinuxNodeOptions());
    public string KubeconfigPath => Path.Combine(Folder, "kubeconfig");

    protected abstract Task<Scenario> ScenarioAsync();

    // What to do once the server runs (wait for pods, create more objects ...).
    protected virtual Task StartedAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        if (Availability.Reason is not null) return;
        Server = await SandboxServer.StartAsync(new SandboxOptions(await ScenarioAsync(), KubeconfigPath, Runtime, "linux"));
        Kubectl = new Kubectl(KubeconfigPath, Path.Combine(Folder, "kubecache"));
        await StartedAsync();
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        else await Runtime.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
