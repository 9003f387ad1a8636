using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>An edge of its own that issues access tokens living a few seconds, on the cluster's services.</summary>
[Collection(ClusterCollection.Name)]
public sealed class When_an_access_token_expires(ClusterFixture cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(4);
    private ManagedProcess? _edge;
    private Uri _url = null!;

    public async Task InitializeAsync() =>
        (_edge, _url) = await cluster.StartEdgeAsync("edge-short-tokens", new Dictionary<string, string>
        {
            ["Auth__AccessTokenLifetime"] = Lifetime.ToString(),
        });

    [Fact]
    public async Task Should_close_the_hub_connection_and_let_the_client_reconnect_with_a_fresh_token()
    {
        await using var alice = await ChatClient.ConnectAsync(_url, "alice");
        var room = await alice.CreateRoomAsync();
        var connectedAt = DateTime.UtcNow;

        await Eventually.HoldsAsync(() => Task.FromResult(alice.ClosedBecause is not null), ChatClient.Soon,
            () => $"the edge closes alice's connection once her token expires ({alice.ConnectionState()})");
        Assert.True(DateTime.UtcNow - connectedAt >= Lifetime - TimeSpan.FromSeconds(1),
            $"the connection closed {DateTime.UtcNow - connectedAt} after it opened, before the token expired");

        await alice.RefreshAsync();
        await alice.OpenHubAsync(_url);
        await alice.JoinAsync(room);
        await alice.SendAsync(room, "after-expiry", "still here with a fresh token");
        Assert.Equal("after-expiry", Assert.Single(await alice.WaitForMessagesAsync(room, 1)).ClientMessageId);
    }

    public async Task DisposeAsync()
    {
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }
    }
}
