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

        var elsewhere = await alice.CreateRoomAsync();
        await bob.JoinAsync(elsewhere);
        var toAnotherRoom = await Assert.ThrowsAsync<HubException>(
            () => bob.ReplyAsync(elsewhere, "x2", "to another room", root));
        Assert.Contains($"Message {root} is not in room {elsewhere}.", toAnotherRoom.Message, StringComparison.Ordinal);
        var reactionElsewhere = await Assert.ThrowsAsync<HubException>(() => bob.ReactAsync(elsewhere, root, "👍"));
        Assert.Contains($"Message {root} is not in room {elsewhere}.", reactionElsewhere.Message, StringComparison.Ordinal);

        var toNothing = await bob.ReplyAsync(room, "x1", "to nothing", Guid.NewGuid());
        var neverSent = Guid.NewGuid();
        var editOfNothing = await bob.EditMessageAsync(room, neverSent, "no such message");
        var reactionToNothing = await bob.ReactAsync(room, neverSent, "👍");

        await Eventually.HoldsAsync(() => Task.FromResult(bob.Rejected.Count >= 3), ChatClient.Soon,
            "bob is told that three requests named no message at all");
        Assert.Equal(
            new[]
            {
                (toNothing, "x1", "send", "The message replied to does not exist."),
                (neverSent, editOfNothing.ToString("D"), "edit", "The message does not exist."),
                (neverSent, reactionToNothing.ToString("D"), "react", "The message does not exist."),
            }.Order(),
            bob.Rejected.Select(r => (r.MessageId, r.ClientMessageId, r.Request ?? "", r.Reason)).Order());
        Assert.Equal(live[^1].Seq, await bob.LastSeqAsync(room));
        Assert.Equal(1, await bob.LastSeqAsync(elsewhere));
    }

    /// <summary>
    /// A bot answers its own message the moment the send is acknowledged, before persistence has stored it: the
    /// reply, edit and reaction queue up behind the message instead of being refused.
    /// </summary>
    [Fact]
    public async Task Should_take_a_reply_edit_and_reaction_sent_the_moment_the_message_was_acknowledged()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        var root = await alice.SendAsync(room, "quick-root", "first");
        var reply = await alice.ReplyAsync(room, "quick-reply", "and at once a reply", root);
        await alice.EditMessageAsync(room, root, "first, edited at once");
        await alice.ReactAsync(room, root, "👀");

        var last = pair.StartSeq + 4;
        await bob.WaitForLastSeqAsync(room, last);
        Assert.Empty(alice.Rejected);
        var history = await bob.FullHistoryAsync(room);
        Assert.Equal([root, reply], history.Select(m => m.MessageId));
        Assert.Equal("first, edited at once", history[0].Text);
        Assert.Equal([new Reaction("👀", 1)], history[0].Reactions);
        Assert.Equal(root, history[1].ReplyToMessageId);
    }
}
