using System.Text;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Patch;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Tests;

// The patch engines and selectors on their own, against the semantics of the real server.
public sealed class PatchAndSelectorTests
{
    static JsonObject Pod() => JsonNode.Parse("""
        {"spec":{
          "containers":[
            {"name":"rclone","image":"rclone/rclone:1.60","args":["mount","zurg:"],
             "ports":[{"containerPort":5572,"name":"rc"}],
             "volumeMounts":[{"name":"media","mountPath":"/mnt/media","mountPropagation":"Bidirectional"},{"name":"cfg","mountPath":"/config/rclone"}]},
            {"name":"app","image":"app:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}],
          "volumes":[{"name":"media","emptyDir":{}},{"name":"cfg","secret":{"secretName":"x"}}]},
         "metadata":{"finalizers":["a"]}}
        """)!.AsObject();

    static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Strategic_merge_uses_the_merge_keys_of_each_list()
    {
        var patched = StrategicMergePatch.Apply(Pod(), B("""
            {"spec":{
              "containers":[{"name":"app","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}],
                             "volumeMounts":[{"name":"media","mountPath":"/mnt/media","mountPropagation":"HostToContainer"}]},
                            {"name":"rclone","args":["mount","torbox:"],"ports":[{"containerPort":5572,"protocol":"TCP"}],
                             "volumeMounts":[{"mountPath":"/config/rclone","readOnly":true}]}],
              "volumes":[{"name":"cfg","$patch":"delete"}]},
             "metadata":{"finalizers":["b"]}}
            """));
        var containers = patched["spec"]!["containers"]!.AsArray();
        Assert.Equal(["rclone", "app"], containers.Select(c => c!["name"]!.GetValue<string>()));
        var rclone = containers[0]!;
        Assert.Equal("""["mount","torbox:"]""", rclone["args"]!.ToJsonString());
        Assert.Equal("""[{"containerPort":5572,"name":"rc","protocol":"TCP"}]""", rclone["ports"]!.ToJsonString());
        Assert.Equal(2, rclone["volumeMounts"]!.AsArray().Count);
        Assert.True(rclone["volumeMounts"]![1]!["readOnly"]!.GetValue<bool>());
        var app = containers[1]!;
        Assert.Equal("""[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}]""", app["env"]!.ToJsonString());
        Assert.Equal("HostToContainer", app["volumeMounts"]![0]!["mountPropagation"]!.GetValue<string>());
        Assert.Equal(["media"], patched["spec"]!["volumes"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));
        Assert.Equal("""["a","b"]""", patched["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public void Strategic_merge_directives_replace_order_and_delete()
    {
        var replaced = StrategicMergePatch.Apply(Pod(), B("""{"spec":{"volumes":[{"$patch":"replace"},{"name":"only","emptyDir":{}}]}}"""));
        Assert.Equal("""[{"name":"only","emptyDir":{}}]""", replaced["spec"]!["volumes"]!.ToJsonString());
        var ordered = StrategicMergePatch.Apply(Pod(), B("""{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"rclone"}],"containers":[{"name":"app","image":"app:2"}]}}"""));
        Assert.Equal(["app", "rclone"], ordered["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var removed = StrategicMergePatch.Apply(Pod(), B("""{"spec":{"containers":[{"name":"rclone","$patch":"delete"}]},"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}"""));
        Assert.Equal(["app"], removed["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Empty(removed["metadata"]!["finalizers"]!.AsArray());
        var nulled = StrategicMergePatch.Apply(Pod(), B("""{"metadata":{"finalizers":null}}"""));
        Assert.Null(nulled["metadata"]!["finalizers"]);
    }

    [Fact]
    public void Retain_keys_clears_the_fields_a_strategy_change_leaves_behind()
    {
        var deployment = JsonNode.Parse("""{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}}}}""")!.AsObject();
        var patched = StrategicMergePatch.Apply(deployment, B("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"""));
        Assert.Equal("""{"type":"Recreate"}""", patched["spec"]!["strategy"]!.ToJsonString());
    }

    [Fact]
    public void Json_patch_applies_in_order_and_fails_whole()
    {
        var patched = JsonPatch.Apply(Pod(), B("""
            [{"op":"test","path":"/spec/containers/0/name","value":"rclone"},
             {"op":"add","path":"/spec/containers/0/args/-","value":"--rc"},
             {"op":"replace","path":"/spec/containers/1/image","value":"app:2"},
             {"op":"move","from":"/spec/containers/1/env/0","path":"/spec/containers/1/env/1"},
             {"op":"copy","from":"/metadata/finalizers","path":"/metadata/copied"},
             {"op":"remove","path":"/spec/volumes/1"}]
            """));
        Assert.Equal("""["mount","zurg:","--rc"]""", patched["spec"]!["containers"]![0]!["args"]!.ToJsonString());
        Assert.Equal("app:2", patched["spec"]!["containers"]![1]!["image"]!.GetValue<string>());
        Assert.Equal("B", patched["spec"]!["containers"]![1]!["env"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("""["a"]""", patched["metadata"]!["copied"]!.ToJsonString());
        Assert.Single(patched["spec"]!["volumes"]!.AsArray());

        var original = Pod();
        Assert.Throws<PatchApplyException>(() => JsonPatch.Apply(original, B("""[{"op":"replace","path":"/spec/containers/1/image","value":"x"},{"op":"test","path":"/spec/containers/0/name","value":"nope"}]""")));
        Assert.Equal("app:1", original["spec"]!["containers"]![1]!["image"]!.GetValue<string>());
        Assert.Throws<PatchApplyException>(() => JsonPatch.Apply(original, B("""[{"op":"remove","path":"/spec/missing"}]""")));
        Assert.Throws<PatchFormatException>(() => JsonPatch.Apply(original, B("""{"op":"add"}""")));
    }

    [Fact]
    public void Merge_patch_deletes_with_null_and_replaces_lists()
    {
        var patched = MergePatch.Apply(Pod(), B("""{"spec":{"volumes":[{"name":"v"}]},"metadata":{"finalizers":null,"labels":{"a":"b"}}}"""));
        Assert.Equal("""[{"name":"v"}]""", patched["spec"]!["volumes"]!.ToJsonString());
        Assert.Null(patched["metadata"]!["finalizers"]);
        Assert.Equal("b", patched["metadata"]!["labels"]!["a"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web,tier!=db", true)]
    [InlineData("app in (web, api),zone notin (zone4)", true)]
    [InlineData("zone", true)]
    [InlineData("!zone", false)]
    [InlineData("!missing", true)]
    [InlineData("app=api", false)]
    [InlineData("zone notin (zone2)", false)]
    public void Label_selectors_match_like_the_api_server(string selector, bool expected)
    {
        var labels = new Dictionary<string, string> { ["app"] = "web", ["zone"] = "zone2" };
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(labels));
    }

    [Fact]
    public void Field_selectors_read_dotted_paths()
    {
        var ev = JsonNode.Parse("""{"metadata":{"name":"e1","namespace":"media-stack"},"involvedObject":{"kind":"Pod","name":"p","uid":"u1"},"reason":"BackOff"}""")!.AsObject();
        Assert.True(FieldSelector.Parse("involvedObject.name=p,involvedObject.kind=Pod,involvedObject.uid=u1").Matches(ev));
        Assert.True(FieldSelector.Parse("reason!=Scheduled,metadata.namespace=media-stack").Matches(ev));
        Assert.False(FieldSelector.Parse("involvedObject.name==q").Matches(ev));
    }
}
