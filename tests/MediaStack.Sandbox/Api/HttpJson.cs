using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Api;

public static class HttpJson
{
    const int MaxBody = 8 * 1024 * 1024;

    public static async Task Write(HttpContext ctx, int status, JsonNode body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.Compact(), ctx.RequestAborted);
    }

    public static Task WriteError(HttpContext ctx, ApiException e)
    {
        if (e.RetryAfterSeconds is { } retry) ctx.Response.Headers.RetryAfter = retry.ToString();
        return Write(ctx, e.Code, e.ToStatus());
    }

    public static async Task<byte[]> ReadBody(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int n;
        while ((n = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxBody) throw new ApiException(413, "RequestEntityTooLarge", $"Request entity too large: limit is {MaxBody}");
        }
        return buffer.ToArray();
    }

    public static JsonObject ParseBody(byte[] body)
    {
        if (body.Length == 0) throw ApiException.BadRequest("the body of the request was empty");
        try { return JsonPath.ParseObject(body); }
        catch (FormatException e) { throw ApiException.BadRequest($"the object provided is unrecognized (must be of type object): couldn't get version/kind; json parse error: {e.Message}"); }
    }

    // Query booleans as clients send them: kubectl "true", the C# client "1".
    public static bool Flag(HttpContext ctx, string name) =>
        ctx.Request.Query[name].ToString() is var v && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));
}
