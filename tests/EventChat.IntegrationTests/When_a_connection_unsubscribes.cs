using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_a_connection_unsubscribes(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_stop_the_live_feed_on_that_connection_but_keep_the_membership()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        await alice.SendAsync(room, "before", "bob hears this");
        await bob.WaitForMessagesAsync(room, 1);

        await bob.UnsubscribeAsync(room);
        await alice.SendAsync(room, "after", "bob reads this later");
        await alice.WaitForMessagesAsync(room, 2);
        await Task.Delay(500);

        Assert.Equal(["before"], bob.Posted(room).Select(e => e.ClientMessageId));
        Assert.Equal("member", (await bob.RoomEntryAsync(room))?.GetProperty("role").GetString());
        var page = Assert.Single(await bob.SyncAsync([(room, pair.StartSeq + 1)]));
        Assert.Equal("after", Assert.Single(page.EventsOrEmpty).ClientMessageId);
        Assert.Equal(pair.StartSeq + 2, await bob.LastSeqAsync(room));
    }
}
