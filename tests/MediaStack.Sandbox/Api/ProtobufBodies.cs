using System.Text;
using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Api;

// kubectl's typed clients send some bodies as Kubernetes protobuf ("k8s\0" + runtime.Unknown),
// `kubectl auth can-i` among them. The sandbox decodes the access reviews it needs into
// their JSON form; any other protobuf body is refused with 415 like an unknown format.
public static class ProtobufBodies
{
    static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static bool IsProtobuf(HttpContext ctx) =>
        (ctx.Request.ContentType ?? "").StartsWith("application/vnd.kubernetes.protobuf", StringComparison.Ordinal);

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || !body.AsSpan(0, 4).SequenceEqual(Magic))
            throw ApiException.BadRequest("provided object is not a valid protobuf-encoded Kubernetes object");
        string apiVersion = "", kind = "";
        byte[] raw = [];
        foreach (var (field, value) in Fields(body.AsMemory(4)))
        {
            switch (field)
            {
                case 1:
                    foreach (var (f, v) in Fields(value))
                        if (f == 1) apiVersion = Text(v);
                        else if (f == 2) kind = Text(v);
                    break;
                case 2: raw = value.ToArray(); break;
            }
        }
        var review = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = new JsonObject() };
        var spec = new JsonObject();
        switch (kind)
        {
            case "SelfSubjectAccessReview":
            case "SubjectAccessReview":
                foreach (var (f, v) in Fields(raw))
                    if (f == 2) Spec(spec, v, kind);
                break;
            default:
                throw ApiException.UnsupportedMediaType("application/vnd.kubernetes.protobuf", ["application/json"]);
        }
        review["spec"] = spec;
        return review;
    }

    static void Spec(JsonObject spec, ReadOnlyMemory<byte> data, string kind)
    {
        var groups = new JsonArray();
        foreach (var (f, v) in Fields(data))
        {
            switch (f)
            {
                case 1:
                    {
                        string[] names = ["", "namespace", "verb", "group", "version", "resource", "subresource", "name"];
                        var ra = new JsonObject();
                        foreach (var (af, av) in Fields(v))
                            if (af < names.Length) ra[names[af]] = Text(av);
                        spec["resourceAttributes"] = ra;
                        break;
                    }
                case 2:
                    {
                        var nra = new JsonObject();
                        foreach (var (nf, nv) in Fields(v))
                            if (nf == 1) nra["path"] = Text(nv);
                            else if (nf == 2) nra["verb"] = Text(nv);
                        spec["nonResourceAttributes"] = nra;
                        break;
                    }
                case 3 when kind == "SubjectAccessReview":
                    spec["user"] = Text(v);
                    break;
                case 4 when kind == "SubjectAccessReview":
                    groups.Add(Text(v));
                    break;
                case 6 when kind == "SubjectAccessReview":
                    spec["uid"] = Text(v);
                    break;
            }
        }
        if (groups.Count > 0) spec["groups"] = groups;
    }

    static string Text(ReadOnlyMemory<byte> v) => Encoding.UTF8.GetString(v.Span);

    // Length-delimited fields of one message; varint and fixed fields are skipped.
    static IEnumerable<(int Field, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> data)
    {
        var pos = 0;
        var list = new List<(int, ReadOnlyMemory<byte>)>();
        while (pos < data.Length)
        {
            var key = Varint(data.Span, ref pos);
            var field = (int)(key >> 3);
            switch (key & 7)
            {
                case 0: Varint(data.Span, ref pos); break;
                case 1: pos += 8; break;
                case 5: pos += 4; break;
                case 2:
                    var length = (int)Varint(data.Span, ref pos);
                    if (length < 0 || pos + length > data.Length) throw ApiException.BadRequest("truncated protobuf body");
                    list.Add((field, data.Slice(pos, length)));
                    pos += length;
                    break;
                default: throw ApiException.BadRequest("malformed protobuf body");
            }
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
