# The table of bad inputs: each case is one cmdlet given one bad input, the stable error id
# it must report, and (checked by BadInputs.Tests.ps1) that nothing was written. The same
# list is printed in docs/reliability.md; a test fails when the two drift apart.
#
#   Cmdlet  the cmdlet under test           Bad    the bad input, as the docs show it
#   Id      the error id expected           Run    the call, run in the case's folder
#   Setup   (optional) runs before the snapshot of what is on disk
#
# Run and Setup see: $In (a folder of prepared inputs: see BadInputs.Tests.ps1), $Repo (an
# empty GitOps repository folder), $App (a MediaApp from New-MediaApp), $KubeConfig (a
# kubeconfig whose server is a closed port on 127.0.0.1), $Limits (a config file with
# MaxFileBytes 2048 and MaxNodes 1000).

$cases = [System.Collections.Generic.List[hashtable]]::new()
function Add-Case([string] $Cmdlet, [string] $Bad, [string] $Id, [string] $Run, [string] $Setup) {
    $cases.Add(@{ Cmdlet = $Cmdlet; Bad = $Bad; Id = $Id; Run = $Run; Setup = $Setup })
}

# Manifest files: the same hostile file given to every cmdlet that reads manifests.
$files = [ordered]@{
    'bomb7.yaml'          = @('alias bomb, 7 levels (533 bytes, ten million values)', 'YamlLimitExceeded')
    'bomb6.yaml'          = @('alias bomb, 6 levels', 'YamlLimitExceeded')
    'deep-flow.yaml'      = @('10000 nested flow sequences', 'YamlLimitExceeded')
    'deep-block.yaml'     = @('80 nested block mappings', 'YamlLimitExceeded')
    'unclosed.yaml'       = @('unclosed flow sequence', 'YamlSyntaxError')
    'duplicate.yaml'      = @('duplicate key', 'YamlSyntaxError')
    'tabs.yaml'           = @('tab indentation', 'YamlSyntaxError')
    'unknown-alias.yaml'  = @('alias to an unknown anchor', 'YamlSyntaxError')
    'sequence.yaml'       = @('a document that is a sequence', 'YamlSyntaxError')
    'scalar.yaml'         = @('a document that is a scalar', 'YamlSyntaxError')
    'complex-key.yaml'    = @('a mapping key that is a sequence', 'YamlSyntaxError')
    'quote.yaml'          = @('unterminated quoted scalar', 'YamlSyntaxError')
    'binary.yaml'         = @('binary bytes 0-255', 'FileEncodingInvalid')
    'noname.yaml'         = @('Deployment without metadata.name', 'ManifestNameMissing')
    'emptyname.yaml'      = @('Deployment with metadata.name ""', 'ManifestNameMissing')
    'metadata-list.yaml'  = @('Deployment whose metadata is a list', 'InvalidWorkloadShape')
    'spec42.yaml'         = @('Deployment whose spec is 42', 'InvalidWorkloadShape')
    'template-list.yaml'  = @('Deployment whose spec.template is a list', 'InvalidWorkloadShape')
}
foreach ($cmdlet in 'Get-MediaApp', 'Invoke-MountDiagnosis', 'Add-RcloneSidecar', 'Remove-RcloneSidecar') {
    foreach ($file in $files.Keys) {
        $description, $id = $files[$file]
        # The static diagnosis reads what it can of a template without list-shaped parts.
        Add-Case $cmdlet "-Path: $description" $id "$cmdlet -Path (Join-Path `$In '$file')"
    }
    Add-Case $cmdlet '-Path: a path that does not exist' 'ManifestPathNotFound' "$cmdlet -Path (Join-Path `$In 'missing.yaml')"
    Add-Case $cmdlet '-Path: a path with a NUL character' 'InvalidPath' "$cmdlet -Path ""a``0b.yaml"""
    Add-Case $cmdlet '-Path: a path of another provider (Env:)' 'InvalidPath' "$cmdlet -Path 'Env:\PATH'"
    Add-Case $cmdlet '-Path: a drive that does not exist' 'InvalidPath' "$cmdlet -Path 'Q:\nowhere.yaml'"
}
foreach ($cmdlet in 'Get-MediaApp', 'Invoke-MountDiagnosis') {
    Add-Case $cmdlet '-Path: a file over ReadLimits.MaxFileBytes' 'YamlLimitExceeded' "$cmdlet -Path (Join-Path `$In 'big.yaml')" '$env:MEDIASTACK_CONFIG = $Limits'
    Add-Case $cmdlet '-Path: a file over ReadLimits.MaxNodes' 'YamlLimitExceeded' "$cmdlet -Path (Join-Path `$In 'many.yaml')" '$env:MEDIASTACK_CONFIG = $Limits'
    Add-Case $cmdlet '-Path: a folder with one bad file among good ones' 'YamlSyntaxError' "$cmdlet -Path (Join-Path `$In 'mixed')"
}
Add-Case 'Get-MediaApp' '-Path: a Deployment whose containers are a mapping' 'InvalidWorkloadShape' "Get-MediaApp -Path (Join-Path `$In 'containers-map.yaml')"
foreach ($cmdlet in 'Add-RcloneSidecar', 'Remove-RcloneSidecar') {
    Add-Case $cmdlet '-Path: a file without a Deployment' 'NoDeploymentInFile' "$cmdlet -Path (Join-Path `$In 'service.yaml')"
    Add-Case $cmdlet '-Name: a Deployment the file does not hold' 'DeploymentNotFound' "$cmdlet -Path (Join-Path `$In 'good.yaml') -Name other"
    Add-Case $cmdlet '-Mount: a mount the config does not have' 'UnknownMount' "$cmdlet -Path (Join-Path `$In 'good.yaml') -Mount pcloud"
    Add-Case $cmdlet '-AppContainer: a container the Deployment does not have' 'AppContainerNotFound' "$cmdlet -Path (Join-Path `$In 'good.yaml') -AppContainer nope"
    Add-Case $cmdlet '-InputObject: a hashtable made into a MediaApp' 'InvalidInputObject' "$cmdlet -InputObject @{ Name = 'x'; Namespace = 'y' }"
}

# Cluster cmdlets: no cluster, no kubeconfig, a bad context or kubeconfig.
$clusterCalls = [ordered]@{
    'Get-MediaPod'          = 'Get-MediaPod'
    'Get-MediaApp'          = 'Get-MediaApp'
    'Test-MediaMount'       = 'Test-MediaMount'
    'Invoke-MountDiagnosis' = 'Invoke-MountDiagnosis'
    'Add-RcloneSidecar'     = 'Add-RcloneSidecar -Name probe'
    'Remove-RcloneSidecar'  = 'Remove-RcloneSidecar -Name probe'
}
foreach ($cmdlet in $clusterCalls.Keys) {
    $call = $clusterCalls[$cmdlet]
    Add-Case $cmdlet 'a kubeconfig whose server does not answer' 'ClusterUnreachable' "$call -KubeConfig `$KubeConfig"
    Add-Case $cmdlet '-KubeConfig: a file that does not exist' 'KubeConfigNotFound' "$call -KubeConfig (Join-Path `$In 'no-kubeconfig')"
    Add-Case $cmdlet '-KubeConfig: a file that is not YAML' 'KubeConfigInvalid' "$call -KubeConfig (Join-Path `$In 'unclosed.yaml')"
    Add-Case $cmdlet '-Context: a context the kubeconfig does not have' 'KubeContextNotFound' "$call -KubeConfig `$KubeConfig -Context nope"
    Add-Case $cmdlet '-KubeConfig: a path with a NUL character' 'InvalidPath' "$call -KubeConfig ""k``0c"""
}

# New-MediaApp: every field it checks.
$newApp = [ordered]@{
    'name with uppercase'                        = @('InvalidAppName', "-Name Sonarr")
    'name with an underscore'                    = @('InvalidAppName', "-Name my_app")
    'name of 64 characters'                      = @('InvalidAppName', "-Name ('a' * 64)")
    'name with a path (../x)'                    = @('InvalidAppName', "-Name '../x'")
    'empty name'                                 = @('InvalidAppName', "-Name ''")
    'name of a sidecar container (rclone-zurg)'  = @('InvalidAppName', "-Name rclone-zurg")
    'name of the init container (init-dirs)'     = @('InvalidAppName', "-Name init-dirs")
    'name ending with a dash'                    = @('InvalidAppName', "-Name 'app-'")
    'empty image'                                = @('InvalidImageReference', "-Image ''")
    'image with uppercase path'                  = @('InvalidImageReference', "-Image 'LSCR.io/Linuxserver/Sonarr'")
    'image with a space'                         = @('InvalidImageReference', "-Image 'nginx latest'")
    'image with two tags'                        = @('InvalidImageReference', "-Image 'nginx:1:2'")
    'image with a bad digest'                    = @('InvalidImageReference', "-Image 'nginx@sha256:xyz'")
    'port 0'                                     = @('InvalidPort', "-Port 0")
    'port 65536'                                 = @('InvalidPort', "-Port 65536")
    'negative port'                              = @('InvalidPort', "-Port -1")
    'zone the config does not have'              = @('UnknownZone', "-Zone zone9")
    'CPU request that is not a quantity'         = @('InvalidQuantity', "-CpuRequest abc")
    'memory request with two points'             = @('InvalidQuantity', "-MemoryRequest '1.5.5Gi'")
    'negative memory limit'                      = @('InvalidQuantity', "-MemoryLimit '-1Gi'")
    'CPU request above the CPU limit'            = @('RequestAboveLimit', "-CpuRequest 2 -CpuLimit 1")
    'memory request above the memory limit'      = @('RequestAboveLimit', "-MemoryRequest 4Gi -MemoryLimit 1Gi")
    'negative replicas'                          = @('InvalidReplicas', "-Replicas -1")
    'namespace with an underscore'               = @('InvalidNamespace', "-Namespace media_stack")
    'service account with a space'               = @('InvalidServiceAccount', "-ServiceAccount 'my account'")
    'cluster domain with an underscore'          = @('InvalidRouteHost', "-ClusterDomain 'apps_cluster.example.com'")
    'route host with a space'                    = @('InvalidRouteHost', "-RouteHost 'sonarr example.com'")
    'time zone not in the IANA database'         = @('InvalidTimeZone', "-TimeZone Mars/Olympus")
    'time zone in the wrong case'                = @('InvalidTimeZone', "-TimeZone europe/paris")
    'time zone with a path'                      = @('InvalidTimeZone', "-TimeZone '../../etc/passwd'")
    'Windows time zone name'                     = @('InvalidTimeZone', "-TimeZone 'Romance Standard Time'")
    'environment name starting with a digit'     = @('InvalidEnvironment', "-Environment @{ '1BAD' = 'x' }")
    'empty environment name'                     = @('InvalidEnvironment', "-Environment @{ '' = 'x' }")
    'environment value that is a hashtable'      = @('InvalidEnvironment', "-Environment @{ PUID = @{ a = 1 } }")
    'environment value that is a list'           = @('InvalidEnvironment', "-Environment @{ PUID = @(1, 2) }")
    'environment value that is a script block'   = @('InvalidEnvironment', "-Environment @{ PUID = { 1 } }")
    'environment name given twice (1 and ''1'')' = @('InvalidEnvironment', "-Environment ([hashtable]::new(@{ 1 = 'a' }) | ForEach-Object { `$_['1'] = 'b'; `$_ })")
}
foreach ($case in $newApp.Keys) {
    $id, $arguments = $newApp[$case]
    $call = 'New-MediaApp -Name probe -Image nginx:1.27 -Port 8080'
    foreach ($name in 'Name', 'Image', 'Port') {
        if ($arguments -match "-$name ") { $call = $call -replace "-$name \S+", '' }
    }
    Add-Case 'New-MediaApp' $case $id "$call $arguments"
}

# Export-MediaApp: where and what it writes.
Add-Case 'Export-MediaApp' '-Path: a path with a NUL character' 'InvalidPath' "`$App | Export-MediaApp -Path ""/tmp/a``0b"""
Add-Case 'Export-MediaApp' '-Path: a folder whose parent does not exist (/tmp/typo/deeper)' 'RepositoryNotFound' "`$App | Export-MediaApp -Path (Join-Path `$Repo 'typo/deeper')"
Add-Case 'Export-MediaApp' '-Path: a file, not a folder' 'PathNotWritable' "`$App | Export-MediaApp -Path (Join-Path `$In 'good.yaml')"
Add-Case 'Export-MediaApp' '-Path: a path of another provider (Env:)' 'InvalidPath' "`$App | Export-MediaApp -Path 'Env:\PATH'"
Add-Case 'Export-MediaApp' '-Path: a drive that does not exist' 'InvalidPath' "`$App | Export-MediaApp -Path 'Q:\repo'"
Add-Case 'Export-MediaApp' 'an app folder that exists, without -Force' 'AppFolderExists' "`$App | Export-MediaApp -Path `$Repo" '$null = New-Item -ItemType Directory (Join-Path $Repo "apps/probe")'
Add-Case 'Export-MediaApp' 'an Application file that exists, without -Force' 'ArgoApplicationExists' "`$App | Export-MediaApp -Path `$Repo -ArgoApplication -RepoUrl https://git.example.com/gitops.git" '$null = New-Item -ItemType Directory (Join-Path $Repo "argocd-apps"); Set-Content (Join-Path $Repo "argocd-apps/probe.yaml") "x"'
Add-Case 'Export-MediaApp' '-ArgoApplication without a repository URL' 'InvalidRepoUrl' "`$App | Export-MediaApp -Path `$Repo -ArgoApplication"
Add-Case 'Export-MediaApp' '-RepoUrl that is not a Git URL' 'InvalidRepoUrl' "`$App | Export-MediaApp -Path `$Repo -ArgoApplication -RepoUrl 'not a url'"
Add-Case 'Export-MediaApp' '-TargetRevision with a space' 'InvalidTargetRevision' "`$App | Export-MediaApp -Path `$Repo -ArgoApplication -RepoUrl https://git.example.com/gitops.git -TargetRevision 'a b'"
Add-Case 'Export-MediaApp' 'an app read from a file (only its Deployment)' 'ExportFailed' "Get-MediaApp -Path (Join-Path `$In 'good.yaml') | Export-MediaApp -Path `$Repo"

# Set-MediaStackConfig: every field it checks, and where it writes.
$fields = [ordered]@{
    'Namespace with an underscore'                 = "-Namespace media_stack"
    'MountRoot /'                                  = "-MountRoot /"
    'relative MountRoot'                           = "-MountRoot mnt/media"
    'MountRoot with ..'                            = "-MountRoot /mnt/../etc"
    'SharedVolume with uppercase'                  = "-SharedVolume Media"
    'SharedClaim with an underscore'               = "-SharedClaim media_claim"
    'RcloneImage with uppercase'                   = "-RcloneImage 'Rclone/Rclone'"
    'empty InitImage'                              = "-InitImage ' '"
    'PreferredNodes with a space'                  = "-PreferredNodes 'node 2'"
    'PreferredNodeWeight 0'                        = "-PreferredNodeWeight 0"
    'PreferredNodeWeight 101'                      = "-PreferredNodeWeight 101"
    'no zones'                                     = "-ZoneServiceAccounts @{}"
    'a zone with a bad service account'            = "-ZoneServiceAccounts @{ zone1 = 'Bad Account'; zone2 = 'managers' }"
    'a zone name with uppercase'                   = "-ZoneServiceAccounts @{ Zone1 = 'plex'; zone2 = 'managers' }"
    'a zone given twice (1 and ''1'')'             = "-ZoneServiceAccounts ([hashtable]::new(@{ 1 = 'a' }) | ForEach-Object { `$_['1'] = 'b'; `$_ })"
    'DefaultZone not among the zones'              = "-DefaultZone zone9"
    'ClusterDomain with an underscore'             = "-ClusterDomain 'apps_x.example.com'"
    'TimeZone not in the IANA database'            = "-TimeZone Mars/Olympus"
    'TimeZone in the wrong case'                   = "-TimeZone europe/paris"
    'StackLabel with a space'                      = "-StackLabel 'hybrid media'"
    'negative Puid'                                = "-Puid -1"
    'negative Pgid'                                = "-Pgid -1"
    'Umask 999'                                    = "-Umask 999"
    'Umask abc'                                    = "-Umask abc"
    'negative FsGroup'                             = "-FsGroup -1"
    'relative RcloneConfigDir'                     = "-RcloneConfigDir config/rclone"
    'an empty rclone argument'                     = "-RcloneArgs '--allow-other', ''"
    '--rc-addr among the shared rclone arguments'  = "-RcloneArgs '--rc-addr=:5572'"
    'sidecar CPU request above its limit'          = "-SidecarResources @{ CpuRequest = '2'; MemoryRequest = '256Mi'; CpuLimit = '1'; MemoryLimit = '1Gi' }"
    'init memory that is not a quantity'           = "-InitResources @{ CpuRequest = '10m'; MemoryRequest = 'lots'; CpuLimit = '100m'; MemoryLimit = '64Mi' }"
    'app resources with an empty quantity'         = "-AppResources @{ CpuRequest = ''; MemoryRequest = '512Mi'; CpuLimit = '2'; MemoryLimit = '2Gi' }"
    'light app memory request above its limit'     = "-LightAppResources @{ CpuRequest = '50m'; MemoryRequest = '1Gi'; CpuLimit = '500m'; MemoryLimit = '512Mi' }"
    'media server CPU that is not a quantity'      = "-MediaServerResources @{ CpuRequest = 'many'; MemoryRequest = '2Gi'; CpuLimit = '4'; MemoryLimit = '8Gi' }"
    'VfsCacheMaxSize that is not a quantity'       = "-VfsCacheMaxSize lots"
    'VfsCacheMaxSize below 1Mi'                    = "-VfsCacheMaxSize 512Ki"
    '--cache-dir among the shared rclone arguments' = "-RcloneArgs '--cache-dir=/tmp'"
    'two mounts with the same name'                = "-Mounts @(@{ Name = 'a'; Remote = 'a:'; MountPath = '/mnt/media/a'; ProbePath = ''; Secret = 's'; SecretVolume = 's'; RcPort = 5572; OkAbove = 1; WarnAbove = 0 }, @{ Name = 'a'; Remote = 'b:'; MountPath = '/mnt/media/b'; ProbePath = ''; Secret = 's'; SecretVolume = 's'; RcPort = 5573; OkAbove = 1; WarnAbove = 0 })"
    'two mounts with the same rc port'             = "-Mounts @(@{ Name = 'a'; Remote = 'a:'; MountPath = '/mnt/media/a'; ProbePath = ''; Secret = 's'; SecretVolume = 's'; RcPort = 5572; OkAbove = 1; WarnAbove = 0 }, @{ Name = 'b'; Remote = 'b:'; MountPath = '/mnt/media/b'; ProbePath = ''; Secret = 's'; SecretVolume = 's'; RcPort = 5572; OkAbove = 1; WarnAbove = 0 })"
    'a mount with rc port 0'                       = "-Mounts @{ Name = 'a'; Remote = 'a:'; MountPath = '/mnt/media/a'; ProbePath = ''; Secret = 's'; SecretVolume = 's'; RcPort = 0; OkAbove = 1; WarnAbove = 0 }"
    'a mount outside MountRoot'                    = "-Mounts @{ Name = 'a'; Remote = 'a:'; MountPath = '/etc/a'; ProbePath = ''; Secret = 's'; SecretVolume = 's'; RcPort = 5572; OkAbove = 1; WarnAbove = 0 }"
    'a mount whose probe path leaves the mount'    = "-Mounts @{ Name = 'a'; Remote = 'a:'; MountPath = '/mnt/media/a'; ProbePath = '../..'; Secret = 's'; SecretVolume = 's'; RcPort = 5572; OkAbove = 1; WarnAbove = 0 }"
    'a mount with a remote without a colon'        = "-Mounts @{ Name = 'a'; Remote = 'a'; MountPath = '/mnt/media/a'; ProbePath = ''; Secret = 's'; SecretVolume = 's'; RcPort = 5572; OkAbove = 1; WarnAbove = 0 }"
    'a mount whose OK threshold is below WARN'     = "-Mounts @{ Name = 'a'; Remote = 'a:'; MountPath = '/mnt/media/a'; ProbePath = ''; Secret = 's'; SecretVolume = 's'; RcPort = 5572; OkAbove = 1; WarnAbove = 5 }"
    'a mount with a secret name in uppercase'      = "-Mounts @{ Name = 'a'; Remote = 'a:'; MountPath = '/mnt/media/a'; ProbePath = ''; Secret = 'S'; SecretVolume = 's'; RcPort = 5572; OkAbove = 1; WarnAbove = 0 }"
    'ArgoNamespace with an underscore'             = "-ArgoNamespace open_gitops"
    'RepoUrl that is not a Git URL'                = "-RepoUrl 'not a url'"
    'ReadLimits.MaxDepth 2'                        = "-ReadLimits @{ MaxDepth = 2 }"
    'ReadLimits.MaxFileBytes 10'                   = "-ReadLimits @{ MaxFileBytes = 10 }"
    'ReadLimits.MaxNodes 5'                        = "-ReadLimits @{ MaxNodes = 5 }"
    'ReadLimits.MaxAliasNodes -1'                  = "-ReadLimits @{ MaxAliasNodes = -1 }"
}
foreach ($case in $fields.Keys) {
    Add-Case 'Set-MediaStackConfig' $case 'ConfigInvalid' "Set-MediaStackConfig $($fields[$case])"
}
Add-Case 'Set-MediaStackConfig' '-Path: a path with a NUL character' 'InvalidPath' "Set-MediaStackConfig -Path ""c``0.json"" -Namespace x"
Add-Case 'Set-MediaStackConfig' '-Path: a path of another provider (Env:)' 'InvalidPath' "Set-MediaStackConfig -Path 'Env:\MEDIASTACK' -Namespace x"
Add-Case 'Set-MediaStackConfig' '-Path: a folder' 'PathNotWritable' "Set-MediaStackConfig -Path `$In -Namespace x"
Add-Case 'Set-MediaStackConfig' '-FromRepo: a folder that does not exist' 'ManifestPathNotFound' "Set-MediaStackConfig -FromRepo (Join-Path `$In 'missing-repo')"
Add-Case 'Set-MediaStackConfig' '-FromRepo: a path with a NUL character' 'InvalidPath' "Set-MediaStackConfig -FromRepo ""repo``0"""

# Get-MediaStackConfig: files it cannot use.
$configFiles = [ordered]@{
    'a file that is not JSON'             = 'not-json.json'
    'a field it does not know'            = 'unknown-field.json'
    'a field of the wrong type'           = 'wrong-type.json'
    'a JSON array'                        = 'array.json'
    'a time zone not in the database'     = 'bad-timezone.json'
    'ReadLimits below their minimum'      = 'bad-limits.json'
    'an empty file'                       = 'empty.json'
}
foreach ($case in $configFiles.Keys) {
    Add-Case 'Get-MediaStackConfig' "-Path: $case" 'ConfigFileInvalid' "Get-MediaStackConfig -Path (Join-Path `$In '$($configFiles[$case])')"
    Add-Case 'Set-MediaStackConfig' "-Path: a saved file with $case" 'ConfigFileInvalid' "Set-MediaStackConfig -Path (Join-Path `$In '$($configFiles[$case])') -Namespace x"
}
Add-Case 'Get-MediaStackConfig' '-Path: a file that does not exist' 'ConfigFileNotFound' "Get-MediaStackConfig -Path (Join-Path `$In 'missing.json')"
Add-Case 'Get-MediaStackConfig' '-Path: a path with a NUL character' 'InvalidPath' "Get-MediaStackConfig -Path ""c``0.json"""
Add-Case 'Get-MediaStackConfig' '-Path: a path of another provider (Env:)' 'InvalidPath' "Get-MediaStackConfig -Path 'Env:\PATH'"
Add-Case 'Get-MediaStackConfig' '-FromRepo: a folder that does not exist' 'ManifestPathNotFound' "Get-MediaStackConfig -FromRepo (Join-Path `$In 'missing-repo')"
Add-Case 'Get-MediaStackConfig' '-FromRepo: a path of another provider (Env:)' 'InvalidPath' "Get-MediaStackConfig -FromRepo 'Env:\PATH'"
Add-Case 'Get-MediaStackConfig' 'a saved config that is invalid' 'ConfigFileInvalid' 'Get-MediaStackConfig' '$env:MEDIASTACK_CONFIG = Join-Path $In "bad-timezone.json"'

$cases
