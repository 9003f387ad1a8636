using EventChat.IntegrationTests.Support;
using Xunit.Abstractions;

namespace EventChat.IntegrationTests;

/// <summary>
/// SIGKILL on the edge that holds a user's only connection: nothing on that edge gets to say goodbye, so the
/// other edges must notice on their own, tell the user's rooms, and leave no ghost anywhere presence is read.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_an_edge_is_killed(ClusterFixture cluster, ITestOutputHelper output)
{
    /// <summary>The bound the presence promise states for noticing a dead edge, with slack for a loaded machine.</summary>
    private static readonly TimeSpan OfflineBound = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task Should_drop_its_users_from_presence_within_the_edge_timeout()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        Assert.Equal([alice.UserId, bob.UserId], (await OnlineAsync(alice, room)).Order());
        Assert.True((await alice.PresenceOfAsync(bob.UserId)).GetProperty("online").GetBoolean());

        await cluster.Process("edge2").KillAsync();
        try
        {
            var took = await Eventually.HoldsAsync(
                () => Task.FromResult(alice.PresenceChanges.Any(p => p.UserId == bob.UserId && !p.Online)),
                OfflineBound, "alice, on the surviving edge, is pushed PresenceChanged(online=false) for bob");
            output.WriteLine($"bob was pushed offline {took.TotalSeconds:0.0} s after edge 2 was killed " +
                $"(edge timeout {ClusterFixture.EdgeTimeout.TotalSeconds} s)");
            var pushed = alice.PresenceChanges.First(p => p.UserId == bob.UserId && !p.Online);
            Assert.Equal(bob.UserName, pushed.UserName);
            Assert.NotNull(pushed.LastSeenAt);

            await Eventually.HoldsAsync(
                async () => !(await OnlineAsync(alice, room)).Contains(bob.UserId),
                ChatClient.Soon, "bob leaves the room's presence after his edge was killed");
            Assert.Equal([alice.UserId], await OnlineAsync(alice, room));

            var presence = await alice.PresenceOfAsync(bob.UserId);
            Assert.False(presence.GetProperty("online").GetBoolean(), presence.ToString());
            var lastSeen = presence.GetProperty("lastSeenAt").GetDateTimeOffset();
            Assert.InRange(lastSeen, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddSeconds(5));
        }
        finally
        {
            await bob.DisposeAsync();
            await cluster.RestartAsync("edge2");
        }

        await using var carol = await ChatClient.ConnectAsync(cluster.Edge2, "carol");
        await carol.JoinAsync(room);
        await alice.SendAsync(room, "after", "edge 2 is back");
        Assert.Equal("after", Assert.Single(await carol.WaitForMessagesAsync(room, 1)).ClientMessageId);
    }

    private static async Task<List<Guid>> OnlineAsync(ChatClient client, Guid room)
    {
        var body = await client.GetAsync($"/api/rooms/{room}/presence");
        return body.GetProperty("online").EnumerateArray().Select(u => u.GetProperty("userId").GetGuid()).ToList();
    }
}
