using System.Net.WebSockets;
using System.Text;
using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>
/// Clients that give up while the edge is still registering their connection, as flaky mobile networks do. SignalR
/// runs no disconnect handler for a connection whose connect handler failed, so an edge that let the cancellation
/// escape would keep such users online for as long as it runs.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_a_client_leaves_while_connecting(ClusterFixture cluster)
{
    private const int Attempts = 40;

    [Fact]
    public async Task Should_leave_the_user_offline_and_log_no_error()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge1);
        var (observer, user, _) = pair;
        await user.CloseHubAsync();
        await Eventually.HoldsAsync(async () => !await OnlineAsync(observer, user), ChatClient.Soon,
            "the user is offline once their only connection closed");

        // Every connect handler that is still running when its client goes is cancelled at a different point.
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            using var socket = new ClientWebSocket();
            var url = new UriBuilder(cluster.Edge1)
            {
                Scheme = "ws",
                Path = "/hubs/chat",
                Query = $"access_token={Uri.EscapeDataString(user.AccessToken)}",
            }.Uri;
            await socket.ConnectAsync(url, CancellationToken.None);
            await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"),
                WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            await Task.Delay(attempt % 5);
            socket.Abort();
        }

        await Eventually.HoldsAsync(async () => !await OnlineAsync(observer, user), ChatClient.Soon,
            $"the user is offline after {Attempts} connections that closed while connecting");
        Assert.DoesNotContain(cluster.Process("edge1").Lines,
            line => line.Contains("dispatching 'OnConnectedAsync'", StringComparison.Ordinal));
    }

    private static async Task<bool> OnlineAsync(ChatClient observer, ChatClient user) =>
        (await observer.PresenceOfAsync(user.UserId)).GetProperty("online").GetBoolean();
}
