# Loads the cmdlet assembly into MediaStack's own AssemblyLoadContext (see
# src/MediaStack.Loader) and re-exports its cmdlets as this module's.
$loader = Join-Path $PSScriptRoot 'MediaStack.Loader.dll'
if (-not ('MediaStack.Loader.ModuleLoadContext' -as [type])) {
    Add-Type -Path $loader
}
$assembly = [MediaStack.Loader.ModuleLoadContext]::Initialize((Join-Path $PSScriptRoot 'bin'))
$inner = Import-Module -Assembly $assembly -PassThru -DisableNameChecking
Export-ModuleMember -Cmdlet $inner.ExportedCmdlets.Keys
