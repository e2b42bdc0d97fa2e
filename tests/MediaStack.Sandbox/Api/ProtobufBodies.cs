using System.Text;
using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Api;

// kubectl's typed clients send some bodies as Kubernetes protobuf ("k8s\0" + runtime.Unknown):
// `kubectl auth can-i` (access reviews), `kubectl create token` (TokenRequest) and `kubectl
// create configmap|secret|namespace|serviceaccount|role|rolebinding|clusterrole|
// clusterrolebinding|deployment|service`.
// Those kinds are decoded into their JSON form from their generated.proto field numbers
// (for Deployment and Service, the fields those generators set); any other protobuf body
// is refused with 415 like an unknown format.
public static class ProtobufBodies
{
    static readonly byte[] Magic = "k8s\0"u8.ToArray();

    enum Kind { String, Bytes, Bool, Int, IntOrString, Message, StringMap, BytesMap, Strings, Messages }

    sealed record Field(string Name, Kind Kind, Dictionary<int, Field>? Message = null);

    static Dictionary<int, Field> Schema(params (int Number, Field Field)[] fields) => fields.ToDictionary(f => f.Number, f => f.Field);

    static readonly Dictionary<int, Field> ObjectMeta = Schema(
        (1, new("name", Kind.String)), (2, new("generateName", Kind.String)), (3, new("namespace", Kind.String)),
        (6, new("resourceVersion", Kind.String)), (11, new("labels", Kind.StringMap)), (12, new("annotations", Kind.StringMap)),
        (14, new("finalizers", Kind.Strings)));

    static readonly Field Metadata = new("metadata", Kind.Message, ObjectMeta);

    static readonly Dictionary<int, Field> LocalObjectReference = Schema((1, new("name", Kind.String)));

    static readonly Dictionary<int, Field> LabelSelector = Schema(
        (1, new("matchLabels", Kind.StringMap)),
        (2, new("matchExpressions", Kind.Messages, Schema((1, new("key", Kind.String)), (2, new("operator", Kind.String)), (3, new("values", Kind.Strings))))));

    static readonly Field Rules = new("rules", Kind.Messages, Schema(
        (1, new("verbs", Kind.Strings)), (2, new("apiGroups", Kind.Strings)), (3, new("resources", Kind.Strings)),
        (4, new("resourceNames", Kind.Strings)), (5, new("nonResourceURLs", Kind.Strings))));

    static readonly Dictionary<int, Field> Binding = Schema(
        (1, Metadata),
        (2, new("subjects", Kind.Messages, Schema((1, new("kind", Kind.String)), (2, new("apiGroup", Kind.String)), (3, new("name", Kind.String)), (4, new("namespace", Kind.String))))),
        (3, new("roleRef", Kind.Message, Schema((1, new("apiGroup", Kind.String)), (2, new("kind", Kind.String)), (3, new("name", Kind.String))))));

    static readonly Dictionary<int, Field> ResourceAttributes = Schema(
        (1, new("namespace", Kind.String)), (2, new("verb", Kind.String)), (3, new("group", Kind.String)), (4, new("version", Kind.String)),
        (5, new("resource", Kind.String)), (6, new("subresource", Kind.String)), (7, new("name", Kind.String)));

    static readonly Dictionary<int, Field> NonResourceAttributes = Schema((1, new("path", Kind.String)), (2, new("verb", Kind.String)));

    static readonly Dictionary<int, Field> Container = Schema(
        (1, new("name", Kind.String)), (2, new("image", Kind.String)), (3, new("command", Kind.Strings)), (4, new("args", Kind.Strings)),
        (5, new("workingDir", Kind.String)),
        (6, new("ports", Kind.Messages, Schema((1, new("name", Kind.String)), (2, new("hostPort", Kind.Int)), (3, new("containerPort", Kind.Int)), (4, new("protocol", Kind.String))))),
        (7, new("env", Kind.Messages, Schema((1, new("name", Kind.String)), (2, new("value", Kind.String))))),
        (14, new("imagePullPolicy", Kind.String)));

    static readonly Dictionary<int, Field> PodSpec = Schema(
        (2, new("containers", Kind.Messages, Container)), (3, new("restartPolicy", Kind.String)), (7, new("nodeSelector", Kind.StringMap)),
        (8, new("serviceAccountName", Kind.String)), (20, new("initContainers", Kind.Messages, Container)));

    static readonly Dictionary<int, Field> DeploymentSpec = Schema(
        (1, new("replicas", Kind.Int)), (2, new("selector", Kind.Message, LabelSelector)),
        (3, new("template", Kind.Message, Schema((1, Metadata), (2, new("spec", Kind.Message, PodSpec))))),
        (4, new("strategy", Kind.Message, Schema((1, new("type", Kind.String)),
            (2, new("rollingUpdate", Kind.Message, Schema((1, new("maxUnavailable", Kind.IntOrString)), (2, new("maxSurge", Kind.IntOrString)))))))),
        (5, new("minReadySeconds", Kind.Int)), (6, new("revisionHistoryLimit", Kind.Int)), (7, new("paused", Kind.Bool)),
        (9, new("progressDeadlineSeconds", Kind.Int)));

    static readonly Dictionary<int, Field> ServiceSpec = Schema(
        (1, new("ports", Kind.Messages, Schema((1, new("name", Kind.String)), (2, new("protocol", Kind.String)), (3, new("port", Kind.Int)),
            (4, new("targetPort", Kind.IntOrString)), (5, new("nodePort", Kind.Int))))),
        (2, new("selector", Kind.StringMap)), (3, new("clusterIP", Kind.String)), (4, new("type", Kind.String)));

    static readonly Dictionary<string, Dictionary<int, Field>> Kinds = new()
    {
        ["Deployment"] = Schema((1, Metadata), (2, new("spec", Kind.Message, DeploymentSpec))),
        ["Service"] = Schema((1, Metadata), (2, new("spec", Kind.Message, ServiceSpec))),
        ["ConfigMap"] = Schema((1, Metadata), (2, new("data", Kind.StringMap)), (3, new("binaryData", Kind.BytesMap)), (4, new("immutable", Kind.Bool))),
        ["Secret"] = Schema((1, Metadata), (2, new("data", Kind.BytesMap)), (3, new("type", Kind.String)), (4, new("stringData", Kind.StringMap)), (5, new("immutable", Kind.Bool))),
        ["Namespace"] = Schema((1, Metadata), (2, new("spec", Kind.Message, Schema((1, new("finalizers", Kind.Strings)))))),
        ["ServiceAccount"] = Schema((1, Metadata), (2, new("secrets", Kind.Messages, Schema((2, new("namespace", Kind.String)), (3, new("name", Kind.String))))),
            (3, new("imagePullSecrets", Kind.Messages, LocalObjectReference)), (4, new("automountServiceAccountToken", Kind.Bool))),
        ["Role"] = Schema((1, Metadata), (2, Rules)),
        ["ClusterRole"] = Schema((1, Metadata), (2, Rules), (3, new("aggregationRule", Kind.Message, Schema((1, new("clusterRoleSelectors", Kind.Messages, LabelSelector)))))),
        ["RoleBinding"] = Binding,
        ["ClusterRoleBinding"] = Binding,
        ["SelfSubjectAccessReview"] = Schema((1, Metadata), (2, new("spec", Kind.Message, Schema(
            (1, new("resourceAttributes", Kind.Message, ResourceAttributes)), (2, new("nonResourceAttributes", Kind.Message, NonResourceAttributes)))))),
        ["TokenRequest"] = Schema((1, Metadata), (2, new("spec", Kind.Message, Schema((1, new("audiences", Kind.Strings)), (4, new("expirationSeconds", Kind.Int)))))),
        ["SelfSubjectRulesReview"] = Schema((1, Metadata), (2, new("spec", Kind.Message, Schema((1, new("namespace", Kind.String)))))),
        ["SubjectAccessReview"] = Schema((1, Metadata), (2, new("spec", Kind.Message, Schema(
            (1, new("resourceAttributes", Kind.Message, ResourceAttributes)), (2, new("nonResourceAttributes", Kind.Message, NonResourceAttributes)),
            (3, new("user", Kind.String)), (4, new("groups", Kind.Strings)), (6, new("uid", Kind.String)))))),
    };

    public static bool IsProtobuf(HttpContext ctx) =>
        (ctx.Request.ContentType ?? "").StartsWith("application/vnd.kubernetes.protobuf", StringComparison.Ordinal);

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || !body.AsSpan(0, 4).SequenceEqual(Magic))
            throw ApiException.BadRequest("provided object is not a valid protobuf-encoded Kubernetes object");
        string apiVersion = "", kind = "";
        ReadOnlyMemory<byte> raw = default;
        foreach (var (number, _, bytes) in Fields(body.AsMemory(4)))
        {
            if (number == 1)
                foreach (var (n, _, v) in Fields(bytes))
                    if (n == 1) apiVersion = Text(v);
                    else if (n == 2) kind = Text(v);
            if (number == 2) raw = bytes;
        }
        if (!Kinds.TryGetValue(kind, out var schema))
            throw ApiException.UnsupportedMediaType("application/vnd.kubernetes.protobuf", ["application/json", "application/yaml"]);
        var obj = Message(raw, schema);
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    static JsonObject Message(ReadOnlyMemory<byte> data, Dictionary<int, Field> schema)
    {
        var obj = new JsonObject();
        foreach (var (number, varint, bytes) in Fields(data))
        {
            if (!schema.TryGetValue(number, out var field)) continue;
            switch (field.Kind)
            {
                // Go's encoder writes empty strings; JSON would have left them out.
                case Kind.String when bytes.Length > 0: obj[field.Name] = Text(bytes); break;
                case Kind.Bytes: obj[field.Name] = Convert.ToBase64String(bytes.Span); break;
                // Likewise zeros and false, except a replica count, where 0 is meant.
                case Kind.Bool when varint != 0: obj[field.Name] = true; break;
                case Kind.Int when varint != 0 || field.Name == "replicas": obj[field.Name] = (long)varint; break;
                case Kind.IntOrString:
                    {
                        ulong type = 0, intValue = 0;
                        string text = "";
                        foreach (var (n, v, b) in Fields(bytes))
                            if (n == 1) type = v;
                            else if (n == 2) intValue = v;
                            else if (n == 3) text = Text(b);
                        obj[field.Name] = type == 1 ? JsonValue.Create(text) : JsonValue.Create((long)intValue);
                        break;
                    }
                case Kind.Message: obj[field.Name] = Message(bytes, field.Message!); break;
                case Kind.Messages: Array(obj, field.Name).Add(Message(bytes, field.Message!)); break;
                case Kind.Strings: Array(obj, field.Name).Add(Text(bytes)); break;
                case Kind.StringMap or Kind.BytesMap:
                    {
                        string key = "";
                        JsonNode value = "";
                        foreach (var (n, _, v) in Fields(bytes))
                            if (n == 1) key = Text(v);
                            else if (n == 2) value = field.Kind == Kind.StringMap ? Text(v) : Convert.ToBase64String(v.Span);
                        if (obj[field.Name] is not JsonObject map) obj[field.Name] = map = new JsonObject();
                        map[key] = value;
                        break;
                    }
            }
        }
        return obj;
    }

    static JsonArray Array(JsonObject obj, string name)
    {
        if (obj[name] is not JsonArray a) obj[name] = a = new JsonArray();
        return a;
    }

    static string Text(ReadOnlyMemory<byte> v) => Encoding.UTF8.GetString(v.Span);

    // The fields of one message: number, varint value (for wire type 0), bytes (for wire type 2).
    static List<(int Number, ulong Varint, ReadOnlyMemory<byte> Bytes)> Fields(ReadOnlyMemory<byte> data)
    {
        var pos = 0;
        var list = new List<(int, ulong, ReadOnlyMemory<byte>)>();
        while (pos < data.Length)
        {
            var key = Varint(data.Span, ref pos);
            var number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0: list.Add((number, Varint(data.Span, ref pos), default)); break;
                case 1: pos += 8; break;
                case 5: pos += 4; break;
                case 2:
                    var length = (long)Varint(data.Span, ref pos);
                    if (length < 0 || pos + length > data.Length) throw ApiException.BadRequest("truncated protobuf body");
                    list.Add((number, 0, data.Slice(pos, (int)length)));
                    pos += (int)length;
                    break;
                default: throw ApiException.BadRequest("malformed protobuf body");
            }
            if (pos > data.Length) throw ApiException.BadRequest("truncated protobuf body");
        }
        return list;
    }

    static ulong Varint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) throw ApiException.BadRequest("truncated protobuf body");
            var b = data[pos++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw ApiException.BadRequest("malformed protobuf varint");
    }
}
