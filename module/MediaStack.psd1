@{
    # A binary module with no script: the first nested module (the loader) runs before the
    # root module and resolves its dependencies into MediaStack's own load context.
    RootModule           = 'MediaStack.PowerShell.dll'
    NestedModules        = @('MediaStack.Loader.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '6f3c2b8e-4d1a-4e7b-9a55-2f0c8d9e1b47'
    Author               = 'MediaStack contributors'
    CompanyName          = 'MediaStack'
    Copyright            = '(c) MediaStack contributors. MIT License.'
    Description          = 'Generate, check, diagnose and repair rclone FUSE sidecar media apps (Plex, Sonarr, Radarr ...) on OpenShift and Kubernetes, with Real-Debrid (Zurg) and TorBox cloud mounts.'
    # Update-Help reads MediaStack_<GUID>_HelpInfo.xml and the help content from the assets
    # of the latest release (build.ps1 -Task Package writes them to output/help).
    HelpInfoURI          = 'https://github.com/mediastack/MediaStack.PowerShell/releases/latest/download/'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @(
        'Formats/MediaApp.Format.ps1xml'
        'Formats/MediaStackConfig.Format.ps1xml'
        'Formats/MountFinding.Format.ps1xml'
        'Formats/MediaPod.Format.ps1xml'
        'Formats/MountStatus.Format.ps1xml'
        'Formats/ReconcileResult.Format.ps1xml'
        'Formats/MediaStackCheck.Format.ps1xml'
    )
    CmdletsToExport      = @(
        'New-MediaApp'
        'Export-MediaApp'
        'ConvertTo-MediaManifest'
        'Get-MediaStackConfig'
        'Set-MediaStackConfig'
        'Invoke-MountDiagnosis'
        'Repair-MediaMount'
        'Get-MediaPod'
        'Get-MediaApp'
        'Test-MediaMount'
        'Add-RcloneSidecar'
        'Remove-RcloneSidecar'
        'Invoke-MediaStackCheck'
        'Register-MediaStackCheck'
        'Get-MediaStackCheck'
        'Unregister-MediaStackCheck'
        'New-MediaStackCheckAccount'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            # PSCommand_/PSCmdlet_ per exported cmdlet: the gallery's search by command name
            # finds the module through them (a test keeps them in step with CmdletsToExport).
            Tags         = @(
                'Kubernetes', 'OpenShift', 'rclone', 'FUSE', 'Plex', 'Sonarr', 'Radarr', 'RealDebrid', 'TorBox', 'GitOps', 'ArgoCD', 'Linux', 'Windows', 'PSEdition_Core'
                'PSIncludes_Cmdlet'
                'PSCommand_New-MediaApp', 'PSCmdlet_New-MediaApp'
                'PSCommand_Export-MediaApp', 'PSCmdlet_Export-MediaApp'
                'PSCommand_ConvertTo-MediaManifest', 'PSCmdlet_ConvertTo-MediaManifest'
                'PSCommand_Get-MediaStackConfig', 'PSCmdlet_Get-MediaStackConfig'
                'PSCommand_Set-MediaStackConfig', 'PSCmdlet_Set-MediaStackConfig'
                'PSCommand_Invoke-MountDiagnosis', 'PSCmdlet_Invoke-MountDiagnosis'
                'PSCommand_Repair-MediaMount', 'PSCmdlet_Repair-MediaMount'
                'PSCommand_Get-MediaPod', 'PSCmdlet_Get-MediaPod'
                'PSCommand_Get-MediaApp', 'PSCmdlet_Get-MediaApp'
                'PSCommand_Test-MediaMount', 'PSCmdlet_Test-MediaMount'
                'PSCommand_Add-RcloneSidecar', 'PSCmdlet_Add-RcloneSidecar'
                'PSCommand_Remove-RcloneSidecar', 'PSCmdlet_Remove-RcloneSidecar'
                'PSCommand_Invoke-MediaStackCheck', 'PSCmdlet_Invoke-MediaStackCheck'
                'PSCommand_Register-MediaStackCheck', 'PSCmdlet_Register-MediaStackCheck'
                'PSCommand_Get-MediaStackCheck', 'PSCmdlet_Get-MediaStackCheck'
                'PSCommand_Unregister-MediaStackCheck', 'PSCmdlet_Unregister-MediaStackCheck'
                'PSCommand_New-MediaStackCheckAccount', 'PSCmdlet_New-MediaStackCheckAccount'
            )
            LicenseUri   = 'https://github.com/mediastack/MediaStack.PowerShell/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/mediastack/MediaStack.PowerShell'
            ReleaseNotes = 'See CHANGELOG.md: https://github.com/mediastack/MediaStack.PowerShell/blob/main/CHANGELOG.md'
        }
    }
}
