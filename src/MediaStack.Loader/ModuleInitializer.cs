using System.Management.Automation;

namespace MediaStack.Loader;

// The manifest lists this assembly as the first nested module, so PowerShell runs OnImport
// before it loads the root module (the cmdlets): their dependencies then resolve into
// MediaStack's own context. No script runs at import, so AllSigned policies (for code) and
// Constrained Language mode (App Control for Business, AppLocker) have nothing to refuse.
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport() =>
        ModuleLoadContext.Register(Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "bin"));
}
