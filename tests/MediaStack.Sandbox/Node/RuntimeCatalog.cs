using System.Reflection;

namespace MediaStack.Sandbox.Node;

// Chooses the node runtime for `up --runtime linux|host`. The Linux runtime is any
// INodeRuntime in the MediaStack.Sandbox.Node.Linux namespace with a public parameterless
// constructor; without one, or when it reports itself unavailable, the host runtime is used
// (with a warning, unless linux was asked for explicitly, which is then an error).
public static class RuntimeCatalog
{
    public sealed record Choice(INodeRuntime Runtime, string Name, string? Warning);

    public static Choice Choose(string? requested)
    {
        if (requested is "host") return new(new HostProcessRuntime(), "host", null);
        if (requested is not (null or "linux"))
            throw new ArgumentException($"unknown runtime \"{requested}\": use linux or host");

        var type = typeof(RuntimeCatalog).Assembly.GetTypes().FirstOrDefault(t =>
            t.Namespace == "MediaStack.Sandbox.Node.Linux" && !t.IsAbstract && typeof(INodeRuntime).IsAssignableFrom(t)
            && t.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null);
        string why;
        if (type is null) why = "the Linux node runtime is not part of this build";
        else
        {
            var linux = (INodeRuntime)Activator.CreateInstance(type)!;
            if (linux.Unavailable is null) return new(linux, "linux", null);
            why = linux.Unavailable;
            _ = linux.DisposeAsync().AsTask();
        }
        if (requested == "linux") throw new InvalidOperationException($"the linux runtime cannot run here: {why}");
        return new(new HostProcessRuntime(), "host",
            $"warning: using the host runtime (no isolation, no FUSE mounts): {why}");
    }
}
