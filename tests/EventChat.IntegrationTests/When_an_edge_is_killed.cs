using System.Text.Json;
using EventChat.IntegrationTests.Support;
using Xunit.Abstractions;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_an_edge_is_killed(ClusterFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_drop_its_users_from_presence_within_the_edge_timeout()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        Assert.Equal([alice.UserId, bob.UserId], (await OnlineAsync(alice, room)).Order());

        await cluster.Process("edge2").KillAsync();
        try
        {
            var took = await Eventually.HoldsAsync(
                async () => !(await OnlineAsync(alice, room)).Contains(bob.UserId),
                ClusterFixture.EdgeTimeout + TimeSpan.FromSeconds(5),
                "bob leaves presence after his edge was killed");
            output.WriteLine($"bob left presence {took.TotalSeconds:0.0} s after edge 2 was killed " +
                $"(edge timeout {ClusterFixture.EdgeTimeout.TotalSeconds} s)");
            Assert.Equal([alice.UserId], await OnlineAsync(alice, room));
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
