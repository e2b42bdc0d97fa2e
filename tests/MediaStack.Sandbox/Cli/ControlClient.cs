using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Hosting;

namespace MediaStack.Sandbox.Cli;

// Talks to a running sandbox's control endpoints, trusting only that sandbox's CA.
public sealed class ControlClient : IDisposable
{
    readonly HttpClient _http;
    readonly X509Certificate2 _ca;

    public ControlClient(StateFile state)
    {
        _ca = X509Certificate2.CreateFromPem(state.CaPem);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                if (cert is null) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(_ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(cert);
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri(state.Server), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", state.Token);
    }

    public async Task<(int Status, JsonObject? Body)> Send(HttpMethod method, string path, JsonObject? body = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonObject? parsed = null;
        try { parsed = JsonNode.Parse(text) as JsonObject; } catch (System.Text.Json.JsonException) { }
        return ((int)response.StatusCode, parsed);
    }

    public void Dispose()
    {
        _http.Dispose();
        _ca.Dispose();
    }
}
