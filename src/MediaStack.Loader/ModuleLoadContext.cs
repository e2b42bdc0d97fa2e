using System.Reflection;
using System.Runtime.Loader;

namespace MediaStack.Loader;

// MediaStack ships KubernetesClient and YamlDotNet, which other modules load in other
// versions. Everything of ours except this tiny assembly lives in bin/ and is loaded here,
// in a private context, so the two copies never meet in the default context.
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly object Gate = new();
    private static ModuleLoadContext? _instance;

    private readonly string _directory;

    private ModuleLoadContext(string directory) : base("MediaStack", isCollectible: false)
    {
        _directory = directory;
    }

    // Called once by MediaStack.psm1; returns the cmdlet assembly for Import-Module -Assembly.
    public static Assembly Initialize(string directory)
    {
        lock (Gate)
        {
            _instance ??= new ModuleLoadContext(Path.GetFullPath(directory));
            return _instance.LoadFromAssemblyName(new AssemblyName("MediaStack.PowerShell"));
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Our own copies win; anything we do not ship (System.Management.Automation, the
        // framework) falls through to the default context, which already has it.
        var candidate = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var candidate = Path.Combine(_directory, unmanagedDllName);
        return File.Exists(candidate) ? LoadUnmanagedDllFromPath(candidate) : IntPtr.Zero;
    }
}
