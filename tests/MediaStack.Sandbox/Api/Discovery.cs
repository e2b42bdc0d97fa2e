using System.Text.Json.Nodes;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Api;

// The legacy discovery documents kubectl and the C# client read: /version, /api,
// /apis, /apis/{group} and an APIResourceList per group-version.
public sealed class Discovery(ResourceCatalog catalog)
{
    public const string GitVersion = "v1.32.2";

    static readonly HashSet<string> InAll = ["pods", "services", "deployments", "replicasets", "statefulsets", "daemonsets"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.4",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    JsonObject Group(string name)
    {
        var version = catalog.All.First(r => r.Group == name).Version;
        var gv = new JsonObject { ["groupVersion"] = $"{name}/{version}", ["version"] = version };
        return new JsonObject
        {
            ["name"] = name,
            ["versions"] = new JsonArray(gv),
            ["preferredVersion"] = gv.DeepClone(),
        };
    }

    public JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(catalog.Groups.Select(g => (JsonNode)Group(g)).ToArray()),
    };

    public JsonObject? ApiGroup(string group)
    {
        if (!catalog.Groups.Contains(group)) return null;
        var g = Group(group);
        g["kind"] = "APIGroup";
        g["apiVersion"] = "v1";
        return g;
    }

    public JsonObject? ResourceList(string group, string version)
    {
        var types = catalog.InGroupVersion(group, version).ToList();
        if (types.Count == 0) return null;
        var resources = new JsonArray();
        foreach (var rt in types)
        {
            var entry = new JsonObject
            {
                ["name"] = rt.Plural,
                ["singularName"] = rt.Singular,
                ["namespaced"] = rt.Namespaced,
                ["kind"] = rt.Kind,
                ["verbs"] = new JsonArray(rt.Verbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (rt.ShortNames.Length > 0) entry["shortNames"] = new JsonArray(rt.ShortNames.Select(s => (JsonNode)s).ToArray());
            if (InAll.Contains(rt.Plural)) entry["categories"] = new JsonArray("all");
            resources.Add(entry);
            foreach (var sub in rt.Subresources)
            {
                var (kind, verbs, subGroup, subVersion) = sub switch
                {
                    "log" => ("Pod", new[] { "get" }, (string?)null, (string?)null),
                    "exec" => ("PodExecOptions", ["create", "get"], null, null),
                    "scale" => ("Scale", ["get", "patch", "update"], "autoscaling", "v1"),
                    "token" => ("TokenRequest", ["create"], "authentication.k8s.io", "v1"),
                    _ => (rt.Kind, ["get", "patch", "update"], null, null),
                };
                var s = new JsonObject
                {
                    ["name"] = $"{rt.Plural}/{sub}",
                    ["singularName"] = "",
                    ["namespaced"] = rt.Namespaced,
                    ["kind"] = kind,
                    ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray()),
                };
                if (subGroup is not null)
                {
                    s["group"] = subGroup;
                    s["version"] = subVersion;
                }
                resources.Add(s);
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
