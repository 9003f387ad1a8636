using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>
/// The hub event names are part of the contract: clients and load tools of the first version listen for new
/// messages as <c>MessageReceived</c>, with their <c>clientMessageId</c>, and everything else arrives as
/// <c>RoomEvent</c>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_the_live_stream_is_pushed(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_push_new_messages_as_MessageReceived_and_every_other_change_as_RoomEvent()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        var message = await alice.SendAsync(room, "contract", "pushed as MessageReceived");
        await alice.ReplyAsync(room, "contract-reply", "a reply is a new message too", message);
        await alice.EditMessageAsync(room, message, "edited, pushed as RoomEvent");
        await bob.ReactAsync(room, message, "👍");

        var last = pair.StartSeq + 4;
        var live = (await bob.WaitForSeqAsync(room, last)).Where(e => e.Seq > pair.StartSeq).ToList();
        Streams.AssertGapFree(live, pair.StartSeq, last, "bob's live stream");
        Assert.Equal(
            [
                (RoomEvent.Posted, "MessageReceived", "contract"),
                (RoomEvent.Posted, "MessageReceived", "contract-reply"),
                (RoomEvent.Edited, "RoomEvent", null),
                (RoomEvent.ReactionAdded, "RoomEvent", null),
            ],
            live.Select(e => (e.Type, bob.PushedAs[(room, e.Seq)], e.ClientMessageId)));
    }
}
