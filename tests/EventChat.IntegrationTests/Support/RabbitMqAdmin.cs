using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EventChat.IntegrationTests.Support;

/// <summary>The RabbitMQ management API: a throw-away virtual host per test run, and queue inspection.</summary>
public sealed class RabbitMqAdmin : IDisposable
{
    private readonly HttpClient _http;

    public RabbitMqAdmin(Uri management)
    {
        var credentials = Uri.UnescapeDataString(management.UserInfo);
        _http = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority)) };
        _http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        User = credentials.Split(':')[0];
    }

    public string User { get; }

    public async Task CreateVirtualHostAsync(string vhost)
    {
        try
        {
            (await _http.PutAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}", null)).EnsureSuccessStatusCode();
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException(
                $"RabbitMQ management API is not reachable at {_http.BaseAddress}: {ex.Message}", ex);
        }

        var permissions = JsonContent.Create(new { configure = ".*", write = ".*", read = ".*" });
        (await _http.PutAsync($"api/permissions/{Uri.EscapeDataString(vhost)}/{User}", permissions))
            .EnsureSuccessStatusCode();
    }

    public async Task<IReadOnlyList<string>> VirtualHostsAsync()
    {
        var vhosts = await _http.GetFromJsonAsync<JsonElement>("api/vhosts?columns=name");
        return [.. vhosts.EnumerateArray().Select(v => v.GetProperty("name").GetString()!)];
    }

    public async Task DeleteVirtualHostAsync(string vhost) =>
        await _http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}");

    /// <summary>The queue as the management API describes it, or null while it does not exist.</summary>
    public async Task<JsonElement?> QueueAsync(string vhost, string queue)
    {
        var response = await _http.GetAsync($"api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Publishes a MassTransit envelope straight to an exchange, as a foreign or buggy producer could.</summary>
    public async Task PublishEnvelopeAsync(string vhost, string exchange, string routingKey, object envelope)
    {
        var body = new
        {
            properties = new { content_type = "application/vnd.masstransit+json", delivery_mode = 2 },
            routing_key = routingKey,
            payload = JsonSerializer.Serialize(envelope),
            payload_encoding = "string",
        };
        var response = await _http.PostAsJsonAsync(
            $"api/exchanges/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(exchange)}/publish", body);
        var routed = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        if (!routed.GetProperty("routed").GetBoolean())
        {
            throw new InvalidOperationException($"Nothing is bound to {exchange} for {routingKey}.");
        }
    }

    public async Task<int> MessagesAsync(string vhost, string queue) =>
        await QueueAsync(vhost, queue) is { } q && q.TryGetProperty("messages", out var m) ? m.GetInt32() : 0;

    public async Task<int> ConsumersAsync(string vhost, string queue) =>
        await QueueAsync(vhost, queue) is { } q && q.TryGetProperty("consumers", out var c) ? c.GetInt32() : 0;

    public void Dispose() => _http.Dispose();
}
