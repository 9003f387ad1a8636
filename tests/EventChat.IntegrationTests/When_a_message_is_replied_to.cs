using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_a_message_is_replied_to(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_link_each_reply_to_its_message_and_list_them_in_order()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        var root = await alice.SendAsync(room, "root", "what do you think?");
        var other = await alice.SendAsync(room, "other", "an unrelated message");
        await bob.WaitForMessagesAsync(room, 2);

        var first = await bob.ReplyAsync(room, "r1", "I think yes", root);
        await alice.WaitForMessagesAsync(room, 3);
        var nested = await alice.ReplyAsync(room, "r2", "a reply to the reply", first);
        var second = await alice.ReplyAsync(room, "r3", "and I agree", root);

        var live = await bob.WaitForMessagesAsync(room, 5);
        Assert.Equal([null, null, root, first, root], live.Select(e => e.ReplyToMessageId));
        Assert.Equal([root, other, first, nested, second], live.Select(e => e.MessageId!.Value));

        var replies = await bob.RepliesAsync(room, root);
        Assert.Equal([first, second], replies.Select(m => m.MessageId));
        Assert.All(replies, m => Assert.Equal(root, m.ReplyToMessageId));
        Assert.Equal(replies.OrderBy(m => m.Seq).Select(m => m.Seq), replies.Select(m => m.Seq));
        Assert.Equal(live.Select(e => e.AsPosted()), (await bob.FullHistoryAsync(room)).Select(m => m.AsPosted()));

        await Assert.ThrowsAsync<HubException>(() => bob.ReplyAsync(room, "x1", "to nothing", Guid.NewGuid()));
        var elsewhere = await alice.CreateRoomAsync();
        await bob.JoinAsync(elsewhere);
        await Assert.ThrowsAsync<HubException>(() => bob.ReplyAsync(elsewhere, "x2", "to another room", root));
    }
}
