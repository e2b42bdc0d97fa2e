using System.Reflection;
using System.Runtime.Loader;

namespace MediaStack.Loader;

// MediaStack ships KubernetesClient and YamlDotNet, which other modules load in other
// versions. The cmdlet assembly (MediaStack.PowerShell.dll, the root module) lives in the
// default context like any binary module; everything it depends on lives in bin/ and is
// loaded here, in a private context, so our copies and another module's never meet.
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly object Gate = new();
    private static ModuleLoadContext? _instance;

    private readonly string _directory;

    private ModuleLoadContext(string directory) : base("MediaStack", isCollectible: false)
    {
        _directory = directory;
    }

    // Once per process (a re-import finds it in place): the default context asks us for
    // the assemblies it cannot find, and gets ours when bin/ holds them.
    public static void Register(string directory)
    {
        lock (Gate)
        {
            if (_instance is not null)
            {
                return;
            }
            _instance = new ModuleLoadContext(Path.GetFullPath(directory));
            Default.Resolving += (_, name) => _instance.Holds(name) ? _instance.LoadFromAssemblyName(name) : null;
        }
    }

    private bool Holds(AssemblyName name) => File.Exists(Candidate(name));

    private string Candidate(AssemblyName name) => Path.Combine(_directory, name.Name + ".dll");

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Our own copies win; anything we do not ship (System.Management.Automation, the
        // framework) falls through to the default context, which already has it.
        var candidate = Candidate(assemblyName);
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var candidate = Path.Combine(_directory, unmanagedDllName);
        return File.Exists(candidate) ? LoadUnmanagedDllFromPath(candidate) : IntPtr.Zero;
    }
}
