using System.Reflection;

namespace MediaStack.Sandbox.Node;

// Chooses the node runtime for `up --runtime linux|host`. The Linux runtime is any
// INodeRuntime in the MediaStack.Sandbox.Node.Linux namespace with a public parameterless
// constructor. When it cannot run here, the sandbox never quietly becomes less real: a
// scenario that needs FUSE (backends, rclone pods) is refused with the reason, and only
// `--runtime host` runs it without mounts; a scenario without FUSE falls back to the host
// runtime with a warning; `--runtime linux` is an error.
public static class RuntimeCatalog
{
    public sealed record Choice(INodeRuntime Runtime, string Name, string? Warning);

    public static Choice Choose(string? requested, bool scenarioNeedsFuse = false) =>
        Choose(requested, scenarioNeedsFuse, CreateLinux);

    // createLinux: the Linux runtime, or why it cannot run here.
    internal static Choice Choose(string? requested, bool scenarioNeedsFuse, Func<(INodeRuntime? Runtime, string? Unavailable)> createLinux)
    {
        if (requested is "host") return new(new HostProcessRuntime(), "host", null);
        if (requested is not (null or "linux"))
            throw new ArgumentException($"unknown runtime \"{requested}\": use linux or host");

        var (linux, why) = createLinux();
        if (linux is not null) return new(linux, "linux", null);
        if (requested == "linux") throw new InvalidOperationException($"the linux runtime cannot run here: {why}");
        if (scenarioNeedsFuse)
            throw new InvalidOperationException(
                $"this scenario needs real FUSE mounts and the linux runtime cannot run here: {why} Install what is missing, or pass --runtime host to run it without mounts.");
        return new(new HostProcessRuntime(), "host",
            $"warning: using the host runtime (no isolation, no FUSE mounts): {why}");
    }

    static (INodeRuntime?, string?) CreateLinux()
    {
        var type = typeof(RuntimeCatalog).Assembly.GetTypes().FirstOrDefault(t =>
            t.Namespace == "MediaStack.Sandbox.Node.Linux" && !t.IsAbstract && typeof(INodeRuntime).IsAssignableFrom(t)
            && t.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null);
        if (type is null) return (null, "the Linux node runtime is not part of this build.");
        var linux = (INodeRuntime)Activator.CreateInstance(type)!;
        if (linux.Unavailable is null) return (linux, null);
        _ = linux.DisposeAsync().AsTask();
        return (null, linux.Unavailable);
    }
}
