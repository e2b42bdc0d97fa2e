using System.Net.Http;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Hosting;

namespace MediaStack.Sandbox.Cli;

// fault <name> [key=value ...] --kubeconfig <path>   inject a fault
// fault list --kubeconfig <path>                     show active API faults
// fault clear [id] --kubeconfig <path>               remove one or all API faults
public static class FaultCommand
{
    public static async Task<int> Run(Arguments args)
    {
        var kubeconfig = Path.GetFullPath(args.Require("kubeconfig"));
        if (args.Positional.Count < 2) throw new ArgumentException("usage: fault <name> [key=value ...] --kubeconfig <path> | fault list | fault clear [id]");
        var state = StateFile.Read(kubeconfig);
        if (state is null || !UpCommand.ProcessAlive(state.Pid))
        {
            Console.Error.WriteLine($"sandbox: no sandbox is running for {kubeconfig}");
            return 1;
        }
        using var client = new ControlClient(state);
        var name = args.Positional[1];
        (int Status, JsonObject? Body) answer;
        try
        {
            answer = name switch
            {
                "list" => await client.Send(HttpMethod.Get, "/sandbox/v1/faults"),
                "clear" when args.Positional.Count > 2 => await client.Send(HttpMethod.Delete, $"/sandbox/v1/faults/{Uri.EscapeDataString(args.Positional[2])}"),
                "clear" => await client.Send(HttpMethod.Delete, "/sandbox/v1/faults"),
                _ => await client.Send(HttpMethod.Post, "/sandbox/v1/faults", new JsonObject { ["name"] = name, ["args"] = ParseArgs(args.Positional.Skip(2)) }),
            };
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"sandbox: cannot reach {state.Server}: {e.Message}");
            return 1;
        }
        if (answer.Status >= 400)
        {
            Console.Error.WriteLine($"sandbox: {answer.Body?["message"]}");
            return 1;
        }
        if (name == "list")
            foreach (var f in answer.Body?["faults"]?.AsArray() ?? [])
                Console.WriteLine($"{f?["id"]}\t{f?["name"]}\t{f?["description"]}");
        else Console.WriteLine(answer.Body?["message"]);
        return 0;
    }

    static JsonObject ParseArgs(IEnumerable<string> pairs)
    {
        var o = new JsonObject();
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"fault arguments are key=value, not \"{pair}\"");
            var value = pair[(eq + 1)..];
            o[pair[..eq]] = long.TryParse(value, out var n) ? JsonValue.Create(n) : JsonValue.Create(value);
        }
        return o;
    }
}
