using System.Text.Json.Nodes;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Tests.Workloads;

// Reading what an init container's script makes: the model decides init-dirs by it, Add
// extends it and Remove takes its paths out.
public class MkdirScriptTests
{
    [Theory]
    [InlineData("mkdir -p /mnt/media/zurg /mnt/media/torbox", "/mnt/media/zurg", true)]
    [InlineData("mkdir -p /mnt/media/zurg /mnt/media/torbox", "/mnt/media/torbox/", true)]
    [InlineData("mkdir -p /mnt/media/zurg/", "/mnt/media/zurg", true)]
    [InlineData("mkdir -p \"/mnt/media/zurg\" '/mnt/media/torbox'", "/mnt/media/torbox", true)]
    [InlineData("set -e\n  mkdir -p /mnt/media/zurg && chown 1000 /mnt/media/zurg", "/mnt/media/zurg", true)]
    [InlineData("mkdir -p /mnt/media/zurg", "/mnt/media", false)]
    [InlineData("mkdir -p /mnt/media/zurg", "/mnt/media/zur", false)]
    [InlineData("mkdir -p /mnt/media/zurg2", "/mnt/media/zurg", false)]
    [InlineData("mkdir -p /a && chown 1000 /mnt/media/zurg", "/mnt/media/zurg", false)]
    [InlineData("echo /mnt/media/zurg; mkdir -p /a", "/mnt/media/zurg", false)]
    [InlineData("mkdirs /mnt/media/zurg", "/mnt/media/zurg", false)]
    [InlineData("echo \"mkdir /mnt/media/zurg next\"", "/mnt/media/zurg", false)]
    [InlineData("/bin/mkdir -p /mnt/media/zurg", "/mnt/media/zurg", true)]
    [InlineData("test -d /x || mkdir /mnt/media/zurg", "/mnt/media/zurg", true)]
    [InlineData("if true; then mkdir -p /mnt/media/zurg; fi", "/mnt/media/zurg", true)]
    [InlineData("mkdir -p /mnt/media/aXb", "/mnt/media/a.b", false)]
    public void CreatesPath_reads_the_operands_of_mkdir_only(string script, string path, bool creates)
    {
        Assert.Equal(creates, MkdirScript.CreatesPath(script, path));
    }

    private const string Generated = "echo \"Creating mount point directories...\"\nmkdir -p /mnt/media/zurg /mnt/media/torbox\necho \"Verifying directory creation...\"\nls -la /mnt/media/\necho \"Mount points ready\"\n";

    [Theory]
    [InlineData(Generated, true)]
    [InlineData("mkdir -p /mnt/media/zurg && chown 1000:1000 /mnt/media/zurg /mnt/media/torbox", true)]
    [InlineData("mkdir -p /mnt/media/zurg 2>/dev/null", true)]
    [InlineData("mkdir -p /mnt/media/zurg /config/cache", false)]
    [InlineData("mkdir -p /mnt/media/zurg && cp /defaults/rclone.conf /config/rclone/", false)]
    [InlineData("echo nothing to do", false)]
    public void OnlyTouches_is_true_when_every_absolute_path_is_one_of_the_folders_or_the_root(string script, bool only)
    {
        Assert.Equal(only, MkdirScript.OnlyTouches(script, ["/mnt/media/zurg/", "/mnt/media/torbox"], "/mnt/media"));
    }

    [Fact]
    public void OnlyTouches_without_a_root_counts_only_the_folders()
    {
        Assert.False(MkdirScript.OnlyTouches("mkdir -p /data/zurg && ls /data", ["/data/zurg"], null));
        Assert.True(MkdirScript.OnlyTouches("mkdir -p /data/zurg && ls /data", ["/data/zurg"], "/data"));
    }

    private static JsonObject Container(string json) => JsonNode.Parse(json)!.AsObject();

    [Theory]
    [InlineData("""{"command": ["/bin/sh", "-c"], "args": ["mkdir -p /a", "ls /a"]}""", "mkdir -p /a\nls /a")]
    [InlineData("""{"command": ["sh", "-c", "mkdir -p /a"]}""", "mkdir -p /a")]
    [InlineData("""{"command": ["busybox", "-c", "mkdir -p /a"]}""", "mkdir -p /a")]
    [InlineData("""{"command": ["mkdir", "-p", "/a", "/b"]}""", "mkdir -p /a /b")]
    [InlineData("""{"args": ["mkdir", "-p", "/a"]}""", "mkdir -p /a")]
    [InlineData("""{"command": ["python", "-c", "print(1)"]}""", "python -c print(1)")]
    [InlineData("""{"command": ["sh", "-c"]}""", "sh -c")]
    [InlineData("""{"image": "alpine"}""", "")]
    public void ScriptOf_is_the_shell_script_or_else_the_words(string container, string script)
    {
        Assert.Equal(script, MkdirScript.ScriptOf(Container(container)));
    }

    [Theory]
    [InlineData("""{"command": ["mkdir", "-p", "/a"]}""", true)]
    [InlineData("""{"command": ["/bin/mkdir"], "args": ["-p", "/a"]}""", true)]
    [InlineData("""{"args": ["mkdir", "/a"]}""", true)]
    [InlineData("""{"command": ["sh", "-c", "mkdir -p /a"]}""", false)]
    [InlineData("""{"command": ["mkdirs", "/a"]}""", false)]
    [InlineData("""{}""", false)]
    public void IsExecMkdir_is_mkdir_run_without_a_shell(string container, bool exec)
    {
        Assert.Equal(exec, MkdirScript.IsExecMkdir(Container(container)));
    }
}
