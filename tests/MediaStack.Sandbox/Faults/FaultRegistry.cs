using System.Globalization;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Faults;

// Faults injected on demand. The API server handles its own (api-error, throttle,
// latency, exec-drop, exec-hang); every other name is forwarded to the node runtime.
public sealed class FaultRegistry
{
    public static readonly string[] ApiFaults = ["api-error", "throttle", "latency", "exec-drop", "exec-hang"];

    sealed class Fault
    {
        public required string Id { get; init; }
        public required string Name { get; init; }
        public string Path { get; init; } = "";
        public string Method { get; init; } = "";
        public int Status { get; init; }
        public int RetryAfter { get; init; }
        public int LatencyMs { get; init; }
        public int AfterBytes { get; init; }
        public int Remaining { get; set; }
        public string Description { get; set; } = "";
    }

    readonly object _gate = new();
    readonly List<Fault> _faults = new();
    int _next;

    public static bool IsApiFault(string name) => ApiFaults.Contains(name);

    public string Add(string name, JsonObject args)
    {
        int Int(string key, int fallback) =>
            args[key] switch
            {
                JsonValue v when v.TryGetValue<int>(out var i) => i,
                JsonValue v when int.TryParse(v.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) => s,
                null => fallback,
                _ => throw new ArgumentException($"{key} must be a number"),
            };
        var path = args.Str("path") ?? "";
        var method = (args.Str("method") ?? "").ToUpperInvariant();
        var count = Int("count", name is "exec-drop" or "exec-hang" ? 1 : -1);
        Fault fault;
        lock (_gate)
        {
            var id = $"f{++_next}";
            fault = name switch
            {
                "api-error" => new Fault
                {
                    Id = id, Name = name, Path = path, Method = method, Remaining = count,
                    Status = Int("status", 500),
                    RetryAfter = Int("retryAfter", 1),
                },
                "throttle" => new Fault
                {
                    Id = id, Name = name, Path = path, Method = method, Remaining = count,
                    Status = 429,
                    RetryAfter = Int("retryAfter", 1),
                },
                "latency" => new Fault { Id = id, Name = name, Path = path, Method = method, Remaining = count, LatencyMs = Int("ms", 500) },
                "exec-drop" => new Fault { Id = id, Name = name, Path = path, Remaining = count, AfterBytes = Int("afterBytes", 1) },
                "exec-hang" => new Fault { Id = id, Name = name, Path = path, Remaining = count },
                _ => throw new NotSupportedException($"unknown fault \"{name}\""),
            };
            if (fault.Status is < 400 or > 599 && name is "api-error")
                throw new ArgumentException("status must be an HTTP error code (400-599)");
            var description = name switch
            {
                "latency" => $"{fault.LatencyMs} ms added",
                "exec-drop" => $"exec WebSockets dropped after {fault.AfterBytes} output byte(s)",
                "exec-hang" => "exec hangs without output",
                _ => $"HTTP {fault.Status}",
            };
            description += fault.Path.Length > 0 ? $" on paths containing \"{fault.Path}\"" : " on every API path";
            if (fault.Method.Length > 0) description += $" for {fault.Method}";
            description += count < 0 ? ", until cleared" : $", {count} time(s)";
            fault.Description = description;
            _faults.Add(fault);
        }
        return $"{fault.Id}: {name}: {fault.Description}";
    }

    public void Clear()
    {
        lock (_gate) _faults.Clear();
    }

    public bool Remove(string id)
    {
        lock (_gate) return _faults.RemoveAll(f => f.Id == id) > 0;
    }

    public JsonArray List()
    {
        lock (_gate)
            return new JsonArray(_faults.Select(f => (JsonNode)new JsonObject
            {
                ["id"] = f.Id,
                ["name"] = f.Name,
                ["description"] = f.Description,
                ["remaining"] = f.Remaining,
            }).ToArray());
    }

    Fault? Take(Func<Fault, bool> match)
    {
        lock (_gate)
        {
            var f = _faults.FirstOrDefault(match);
            if (f is null) return null;
            if (f.Remaining > 0 && --f.Remaining == 0) _faults.Remove(f);
            return f;
        }
    }

    static bool PathMatches(Fault f, string path, string method) =>
        (f.Path.Length == 0 || path.Contains(f.Path, StringComparison.Ordinal)) && (f.Method.Length == 0 || f.Method == method);

    // Latency first, then an injected error, for one API request.
    public async Task<ApiException?> BeforeRequest(string path, string method, CancellationToken ct)
    {
        var delay = Take(f => f.Name == "latency" && PathMatches(f, path, method));
        if (delay is not null) await Task.Delay(delay.LatencyMs, ct);
        var error = Take(f => f.Name is "api-error" or "throttle" && PathMatches(f, path, method));
        if (error is null) return null;
        return error.Status switch
        {
            429 => new ApiException(429, "TooManyRequests", "Too many requests, please try again later.",
                new JsonObject { ["retryAfterSeconds"] = error.RetryAfter }) { RetryAfterSeconds = error.RetryAfter },
            503 => new ApiException(503, "ServiceUnavailable", "the server is currently unable to handle the request", new JsonObject())
                { RetryAfterSeconds = error.RetryAfter },
            504 => new ApiException(504, "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request", new JsonObject()),
            >= 500 => new ApiException(error.Status, "InternalError", "Internal error occurred: injected fault",
                new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = "injected fault" }) }),
            _ => new ApiException(error.Status, "BadRequest", "injected fault", new JsonObject()),
        };
    }

    public sealed record ExecFault(bool Hang, int DropAfterBytes);

    public ExecFault? TakeExecFault(string path)
    {
        var f = Take(f => f.Name is "exec-drop" or "exec-hang" && PathMatches(f, path, ""));
        return f is null ? null : new ExecFault(f.Name == "exec-hang", f.AfterBytes);
    }
}
