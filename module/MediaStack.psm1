# Loads the cmdlet assembly into MediaStack's own AssemblyLoadContext (see
# src/MediaStack.Loader) and makes its cmdlets this module's exports; the manifest's
# explicit CmdletsToExport decides which of them users see.

# LoadFrom, not Add-Type: same result, without loading the compiler's machinery (~80 ms).
# It returns the already loaded assembly when the module is imported again.
$loader = [System.Reflection.Assembly]::LoadFrom((Join-Path $PSScriptRoot 'MediaStack.Loader.dll'))
$assembly = $loader.GetType('MediaStack.Loader.ModuleLoadContext')::Initialize((Join-Path $PSScriptRoot 'bin'))
$inner = Import-Module -Assembly $assembly -DisableNameChecking -PassThru

# Export-ModuleMember only sees cmdlets imported into this session state, which happens the
# first time the assembly is imported but not on `Import-Module -Force` or after
# Remove-Module. Registering the inner module's cmdlets on this module works every time.
$addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod(
    'AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
foreach ($cmdlet in $inner.ExportedCmdlets.Values) {
    $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
}
