using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Live;
using MediaStack.Core.Probes;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Tests.Manifests;

namespace MediaStack.Core.Tests.Probes;

// A script that reaches a pod with a CR in it fails there ("word unexpected (expecting do)"):
// Git for Windows checks files out with CRLF unless .gitattributes says otherwise, and the
// scripts are raw string literals. Whatever the checkout did, nothing sent may carry one.
public class PodScriptTests
{
    [Fact]
    public void A_script_written_with_CRLF_leaves_with_LF_only()
    {
        Assert.Equal("for x in a; do\n  echo \"$x\"\ndone\n", ShellText.Script("for x in a; do\r\n  echo \"$x\"\r\ndone\r\n"));
        Assert.Equal("a\nb", ShellText.Script("a\rb"));
    }

    public static TheoryData<string, string> ScriptsSentToPods()
    {
        var mounts = MediaStackConfig.Default.Mounts.Select(mount => new MountProbeTarget(mount.Name, mount.MountPath, mount.ProbePath, mount.OkAbove, mount.WarnAbove)).ToList();
        var app = Generated.Prowlarr();
        var words = MountProbeScript.Command(mounts, ProbeTimeouts.For(10), 1000).Select(word => ("mount probe", word))
            .Append(("symlink sample", LiveSubjects.SymlinkScript))
            .Concat(app.Containers.Concat(app.InitContainers).SelectMany(container => Words(container).Select(word => ($"container {(string?)container["name"]}", word))));
        var data = new TheoryData<string, string>();
        foreach (var (source, word) in words.Distinct())
        {
            data.Add(source, word);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ScriptsSentToPods))]
    public void No_script_sent_to_a_pod_contains_a_carriage_return(string source, string word)
    {
        Assert.False(word.Contains('\r'), $"{source}: {word}");
    }

    [Fact]
    public void The_generated_containers_do_run_shell_scripts()
    {
        // Guards the theory above against passing on nothing.
        var app = Generated.Prowlarr();
        var words = app.Containers.Concat(app.InitContainers).SelectMany(Words).ToList();
        Assert.Contains(words, word => word.Contains('\n'));
        Assert.True(words.Count >= 10, $"{words.Count} command words in the generated pod");
        Assert.Contains('\n', MountProbeScript.Script);
    }

    // Every string under command, args and lifecycle hooks.
    private static IEnumerable<string> Words(JsonObject container) =>
        new[] { container["command"], container["args"], container["lifecycle"] }
            .SelectMany(Strings);

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.SelectMany(Strings),
        JsonObject map => map.Select(entry => entry.Value).SelectMany(Strings),
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        _ => [],
    };
}
