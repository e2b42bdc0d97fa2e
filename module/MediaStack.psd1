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
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @(
        'Formats/MediaApp.Format.ps1xml'
        'Formats/MediaStackConfig.Format.ps1xml'
        'Formats/MountFinding.Format.ps1xml'
        'Formats/MediaPod.Format.ps1xml'
        'Formats/MountStatus.Format.ps1xml'
        'Formats/SidecarChange.Format.ps1xml'
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
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Kubernetes', 'OpenShift', 'rclone', 'FUSE', 'Plex', 'Sonarr', 'Radarr', 'RealDebrid', 'TorBox', 'GitOps', 'ArgoCD', 'Linux', 'Windows', 'PSEdition_Core')
            LicenseUri   = 'https://github.com/mediastack/MediaStack.PowerShell/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/mediastack/MediaStack.PowerShell'
            ReleaseNotes = 'See CHANGELOG.md: https://github.com/mediastack/MediaStack.PowerShell/blob/main/CHANGELOG.md'
        }
    }
}
