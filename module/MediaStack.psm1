# Loads the cmdlet assembly into MediaStack's own AssemblyLoadContext (see
# src/MediaStack.Loader) and re-exports its cmdlets as this module's; the manifest's
# explicit CmdletsToExport decides which of them users see.
$loader = Join-Path $PSScriptRoot 'MediaStack.Loader.dll'
if (-not ('MediaStack.Loader.ModuleLoadContext' -as [type])) {
    Add-Type -Path $loader
}
$assembly = [MediaStack.Loader.ModuleLoadContext]::Initialize((Join-Path $PSScriptRoot 'bin'))
Import-Module -Assembly $assembly -DisableNameChecking
Export-ModuleMember -Cmdlet *
