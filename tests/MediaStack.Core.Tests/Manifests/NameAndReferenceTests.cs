using MediaStack.Core.Errors;
using MediaStack.Core.Manifests;

namespace MediaStack.Core.Tests.Manifests;

public class NameAndReferenceTests
{
    [Theory]
    [InlineData("prowlarr", true)]
    [InlineData("my-app-2", true)]
    [InlineData("a", true)]
    [InlineData("../x", false)]
    [InlineData("x/..", false)]
    [InlineData("Prowlarr", false)]
    [InlineData("-app", false)]
    [InlineData("app-", false)]
    [InlineData("app.name", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Dns1123Labels(string? name, bool valid)
    {
        Assert.Equal(valid, Dns1123.IsLabel(name));
    }

    [Theory]
    [InlineData("con", true)]
    [InlineData("prn", true)]
    [InlineData("aux", true)]
    [InlineData("nul", true)]
    [InlineData("com0", true)]
    [InlineData("lpt9", true)]
    [InlineData("console", false)]
    [InlineData("com10", false)]
    [InlineData("lpt", false)]
    [InlineData("aux-app", false)]
    public void WindowsDeviceNamesCannotBeAppFolders(string name, bool reserved)
    {
        Assert.Equal(reserved, MediaAppFiles.IsReservedOnWindows(name));
    }

    [Fact]
    public void LabelsStopAt63Characters()
    {
        Assert.True(Dns1123.IsLabel(new string('a', 63)));
        Assert.False(Dns1123.IsLabel(new string('a', 64)));
    }

    [Theory]
    [InlineData("prowlarr.apps.example.com", true)]
    [InlineData("rclone-zurg-config", true)]
    [InlineData("bad_host.example.com", false)]
    [InlineData("trailing.", false)]
    public void Dns1123Subdomains(string name, bool valid)
    {
        Assert.Equal(valid, Dns1123.IsSubdomain(name));
    }

    [Theory]
    [InlineData("lscr.io/linuxserver/prowlarr:latest")]
    [InlineData("nginx")]
    [InlineData("docker.io/library/nginx:1.25.3")]
    [InlineData("localhost:5000/app")]
    [InlineData("registry.example.com:5000/team/app:v1_2")]
    [InlineData("ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("app:tag@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("a__b/c.d-e")]
    public void ValidImageReferences(string reference)
    {
        Assert.True(ImageReference.IsValid(reference), reference);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Prowlarr")]
    [InlineData("lscr.io/LinuxServer/prowlarr")]
    [InlineData("app:")]
    [InlineData("app:tag:more")]
    [InlineData("a//b")]
    [InlineData("-app")]
    [InlineData("has space")]
    [InlineData("app@sha256:1234")]
    [InlineData("app:-tag")]
    [InlineData("lscr.io/")]
    public void InvalidImageReferencesAreInvalidImageReference(string reference)
    {
        Assert.False(ImageReference.IsValid(reference), reference);
        Assert.Equal("InvalidImageReference", Assert.Throws<MediaStackException>(() => ImageReference.Validate(reference)).ErrorId);
    }

    [Theory]
    [InlineData("https://github.com/org/gitops.git", true)]
    [InlineData("git@github.com:org/gitops.git", true)]
    [InlineData("ssh://git@host/org/repo", true)]
    [InlineData("file:///srv/git/repo", true)]
    [InlineData("ftp://host/repo", false)]
    [InlineData("not a url", false)]
    [InlineData("", false)]
    public void GitRepositoryUrls(string url, bool valid)
    {
        Assert.Equal(valid, GitRepoUrl.IsValid(url));
    }
}
