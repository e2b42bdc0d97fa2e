using System.Text.Json;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Hosting;

// `<kubeconfig>.sandbox.json`, next to the kubeconfig: how `down` and `fault` find a
// running sandbox (pid, server URL, CA, admin token). Owner-readable only.
public sealed record StateFile(int Pid, string Server, string CaPem, string Token)
{
    public static string PathFor(string kubeconfig) => Path.GetFullPath(kubeconfig) + ".sandbox.json";

    public void Write(string kubeconfig) =>
        KubeconfigFile.WritePrivate(PathFor(kubeconfig), new JsonObject
        {
            ["pid"] = Pid,
            ["server"] = Server,
            ["caPem"] = CaPem,
            ["token"] = Token,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    public static StateFile? Read(string kubeconfig)
    {
        var path = PathFor(kubeconfig);
        if (!File.Exists(path)) return null;
        var o = JsonPath.ParseObject(File.ReadAllBytes(path));
        return new StateFile((int)(o.Long("pid") ?? 0), o.Str("server") ?? "", o.Str("caPem") ?? "", o.Str("token") ?? "");
    }

    public static void Delete(string kubeconfig)
    {
        try { File.Delete(PathFor(kubeconfig)); } catch (IOException) { }
    }
}
