using System.Text.Json.Nodes;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Api;

// Just enough OpenAPI v3 for kubectl: a root listing each group-version, and per
// group-version the PATCH operations that carry x-kubernetes-group-version-kind and a
// fieldValidation parameter, which is how kubectl learns that the server validates fields.
public sealed class OpenApiDocuments(ResourceCatalog catalog)
{
    static string Key(ResourceType rt) => rt.Group.Length == 0 ? $"api/{rt.Version}" : $"apis/{rt.Group}/{rt.Version}";

    public JsonObject Root()
    {
        var paths = new JsonObject();
        foreach (var key in catalog.All.Select(Key).Distinct())
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(key)}" };
        return new JsonObject { ["paths"] = paths };
    }

    static string Hash(string key) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key + Discovery.GitVersion)))[..32];

    public JsonObject? GroupVersion(string key)
    {
        var types = catalog.All.Where(r => Key(r) == key && !r.Virtual).ToList();
        if (types.Count == 0 && !catalog.All.Any(r => Key(r) == key)) return null;
        var paths = new JsonObject();
        foreach (var rt in types)
        {
            var path = rt.Namespaced ? $"/{key}/namespaces/{{namespace}}/{rt.Plural}/{{name}}" : $"/{key}/{rt.Plural}/{{name}}";
            var gvk = new JsonObject { ["group"] = rt.Group, ["version"] = rt.Version, ["kind"] = rt.Kind };
            paths[path] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{rt.Kind}",
                    ["parameters"] = new JsonArray(
                        Query("dryRun"), Query("fieldManager"), Query("fieldValidation"), Query("force")),
                    ["requestBody"] = new JsonObject
                    {
                        ["content"] = new JsonObject
                        {
                            ["application/json-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                            ["application/merge-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                            ["application/strategic-merge-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                        },
                        ["required"] = true,
                    },
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = gvk,
                },
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = Discovery.GitVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
