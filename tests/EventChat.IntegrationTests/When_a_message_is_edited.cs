using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_a_message_is_edited(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_let_only_the_author_edit_and_show_the_new_text_everywhere()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        var message = await bob.SendAsync(room, "m", "the first wording");
        await alice.WaitForMessagesAsync(room, 1);

        var notAuthor = await Assert.ThrowsAsync<HubException>(() => alice.EditMessageAsync(room, message, "mine now"));
        Assert.Contains("Only the author may edit a message.", notAuthor.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => bob.EditMessageAsync(room, message, "  "));

        await bob.EditMessageAsync(room, message, "the second wording");
        var edited = await alice.WaitForEventAsync(room, e => e.Type == RoomEvent.Edited, "message.edited");
        Assert.Equal(message, edited.MessageId);
        Assert.Equal("the second wording", edited.Text);
        Assert.Equal(bob.UserId, edited.ActorId);
        Assert.Equal(pair.StartSeq + 2, edited.Seq);

        var stored = await alice.MessageAsync(room, message);
        Assert.Equal("the second wording", stored.Text);
        Assert.NotNull(stored.EditedAt);
        Assert.Equal(pair.StartSeq + 1, stored.Seq);
        Assert.False(stored.Deleted);
    }

    [Fact]
    public async Task Should_reject_an_edit_with_a_blocked_word_and_keep_the_old_text()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        var message = await bob.SendAsync(room, "m", "perfectly polite");
        await alice.WaitForMessagesAsync(room, 1);

        var change = await bob.EditMessageAsync(room, message, $"now {ClusterFixture.BlockedWord} after all");

        await Eventually.HoldsAsync(() => Task.FromResult(!bob.Rejected.IsEmpty), ChatClient.Soon,
            "bob is told his edit was rejected");
        var rejection = Assert.Single(bob.Rejected);
        Assert.Equal("edit", rejection.Request);
        Assert.Equal(change.ToString(), rejection.ClientMessageId);
        Assert.Equal(message, rejection.MessageId);
        Assert.Contains("blocked word", rejection.Reason, StringComparison.Ordinal);
        Assert.Empty(alice.Rejected);

        await Task.Delay(500);
        Assert.DoesNotContain(alice.Events, e => e.Type == RoomEvent.Edited);
        Assert.Equal(pair.StartSeq + 1, await alice.LastSeqAsync(room));
        var stored = await alice.MessageAsync(room, message);
        Assert.Equal("perfectly polite", stored.Text);
        Assert.Null(stored.EditedAt);
    }
}
