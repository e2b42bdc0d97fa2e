# The tour behind `build.ps1 -Task Demo`: what MediaStack does, on a fresh temporary GitOps
# folder. Runs against the staged module (MEDIASTACK_MODULE) and leaves nothing behind.
$ErrorActionPreference = 'Stop'
Import-Module $env:MEDIASTACK_MODULE -Force

function Write-Title([string] $Text) { Write-Host "`n### $Text" -ForegroundColor Green }

$repo = Join-Path ([IO.Path]::GetTempPath()) "mediastack-tour-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
$null = New-Item -ItemType Directory -Path $repo
try {
    Write-Title 'The stack conventions (Get-MediaStackConfig)'
    Get-MediaStackConfig -Default | Format-List | Out-Host

    Write-Title 'Generate an app (New-MediaApp) and write it into a GitOps repo (Export-MediaApp)'
    $app = New-MediaApp -Name prowlarr -Image lscr.io/linuxserver/prowlarr:latest -Port 9696 -Zone zone2
    $app | Format-Table | Out-Host
    $app | Export-MediaApp -Path $repo -ArgoApplication -RepoUrl 'https://git.example.com/media/gitops.git' |
        ForEach-Object { $_.FullName.Substring($repo.Length + 1) } | Out-Host

    Write-Title 'What was written: apps/prowlarr/base/deployment.yaml'
    Get-Content (Join-Path $repo 'apps/prowlarr/base/deployment.yaml') | Out-Host

    Write-Title 'Bad input is refused with a stable error id, and nothing is written'
    try { New-MediaApp -Name '../escape' -Image 'lscr.io/linuxserver/prowlarr:latest' -Port 9696 }
    catch { Write-Host "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
}
finally {
    Remove-Item $repo -Recurse -Force
}
