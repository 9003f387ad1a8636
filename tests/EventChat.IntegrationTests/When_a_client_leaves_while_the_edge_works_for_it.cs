using System.Net.WebSockets;
using System.Text;
using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>
/// Clients that give up while the edge is still working for them, as flaky mobile networks do. SignalR runs no
/// disconnect handler for a connection whose connect handler failed, so an edge that let the cancellation escape
/// would keep such users online for as long as it runs; and a send whose client left is finished, not torn off
/// half published.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_a_client_leaves_while_the_edge_works_for_it(ClusterFixture cluster)
{
    private const int Attempts = 40;

    [Fact]
    public async Task Should_leave_a_user_who_left_while_connecting_offline_and_log_no_error()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge1);
        var (observer, user, _) = pair;
        await user.CloseHubAsync();
        await Eventually.HoldsAsync(async () => !await OnlineAsync(observer, user), ChatClient.Soon,
            "the user is offline once their only connection closed");

        // Every connect handler that is still running when its client goes is cancelled at a different point.
        var url = ChatClient.HubSocketUrl(cluster.Edge1, user.AccessToken);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            using var socket = new ClientWebSocket();
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

    [Fact]
    public async Task Should_finish_a_send_whose_client_left_and_log_no_error()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge1);
        var (alice, bob, room) = pair;
        var url = ChatClient.HubSocketUrl(cluster.Edge1, alice.AccessToken);
        var logs = LogLines.MarkNow(cluster.LogDirectory);

        // Each client is gone while its send is being published. Every text differs, so moderation's repeated-text
        // rule never mutes Alice before her last message.
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(url, CancellationToken.None);
            var frames = "{\"protocol\":\"json\",\"version\":1}\u001e" +
                $"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"SendMessage\",\"arguments\":[\"{room}\",\"left-{attempt}\",\"sent as I left, attempt {attempt}\"]}}\u001e";
            await socket.SendAsync(Encoding.UTF8.GetBytes(frames), WebSocketMessageType.Text, endOfMessage: true,
                CancellationToken.None);
            await Task.Delay(attempt % 5);
            socket.Abort();
        }

        await alice.SendAsync(room, "last", "after all of them");
        var received = await bob.WaitForEventAsync(room, e => e.ClientMessageId == "last", "alice's last message");
        var stored = (await bob.FullHistoryAsync(room)).Select(m => m.ClientMessageId).ToList();
        Assert.Equal(stored.Distinct(), stored);
        Assert.Equal("last", stored[^1]);
        Assert.Equal(stored.Count, bob.Posted(room).Count);
        Assert.Empty(logs.ErrorsSince());
    }

    private static async Task<bool> OnlineAsync(ChatClient observer, ChatClient user) =>
        (await observer.PresenceOfAsync(user.UserId)).GetProperty("online").GetBoolean();
}
