using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace EventChat.IntegrationTests;

/// <summary>
/// An edge of its own that logs at Debug, ASP.NET Core's request log included, which prints every URL with its
/// query string: browsers put the access token there for WebSockets and server-sent events.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_tokens_pass_through_an_edge_that_logs_everything(ClusterFixture cluster) : IAsyncLifetime
{
    private const string Name = "edge-debug-logs";
    private ManagedProcess? _edge;
    private Uri _url = null!;

    public async Task InitializeAsync() =>
        (_edge, _url) = await cluster.StartEdgeAsync(Name, new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Debug",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug",
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Debug",
            ["Logging__LogLevel__Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher"] = "Debug",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Information",
            ["Logging__LogLevel__MassTransit"] = "Information",
        });

    [Fact]
    public async Task Should_write_no_access_or_refresh_token_to_the_log()
    {
        await using var alice = await ChatClient.ConnectAsync(_url, "alice");
        List<string> tokens = [alice.AccessToken, alice.RefreshToken];
        await alice.RefreshAsync();
        tokens.AddRange([alice.AccessToken, alice.RefreshToken]);
        var room = await alice.CreateRoomAsync();

        foreach (var transport in new[]
                 {
                     HttpTransportType.WebSockets, HttpTransportType.ServerSentEvents, HttpTransportType.LongPolling,
                 })
        {
            await using var hub = new HubConnectionBuilder()
                .WithUrl(QueryTokenUrl(alice.AccessToken), transport)
                .Build();
            await hub.StartAsync().WaitAsync(ChatClient.Timeout);
            await hub.InvokeCoreAsync<JsonElement>("JoinRoom", [room.ToString()]).WaitAsync(ChatClient.Timeout);
        }

        // A token where the API does not read it, and a forged one the hub refuses, are logged as well.
        using var http = new HttpClient { BaseAddress = _url, Timeout = ChatClient.Timeout };
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await http.GetAsync($"/api/rooms?access_token={alice.AccessToken}")).StatusCode);
        var forged = alice.AccessToken[..^4]
            + (alice.AccessToken.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        tokens.Add(forged);
        await using (var refused = new HubConnectionBuilder()
                         .WithUrl(QueryTokenUrl(forged), HttpTransportType.WebSockets).Build())
        {
            await Assert.ThrowsAnyAsync<Exception>(() => refused.StartAsync().WaitAsync(ChatClient.Timeout));
        }

        Assert.Equal(HttpStatusCode.NoContent,
            (await http.PostAsJsonAsync("/api/auth/logout", new { refreshToken = alice.RefreshToken })).StatusCode);

        var logFile = Path.Combine(cluster.LogDirectory, $"{Name}.log");
        await Eventually.HoldsAsync(
            () => Task.FromResult(File.ReadLines(logFile).Any(l =>
                l.Contains("Request finished", StringComparison.Ordinal)
                && l.Contains("/api/auth/logout", StringComparison.Ordinal))),
            ChatClient.Soon, "the edge logs the logout request");
        var log = await File.ReadAllTextAsync(logFile);
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(token, log, StringComparison.Ordinal);
            Assert.DoesNotContain(token.Split('.')[^1], log, StringComparison.Ordinal);
        }

        // The request log did print the hub's URLs, with the token's place kept and its value gone.
        Assert.Contains("/hubs/chat?access_token=[redacted]", log, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }
    }

    private Uri QueryTokenUrl(string token) => new(_url, $"/hubs/chat?access_token={Uri.EscapeDataString(token)}");
}
