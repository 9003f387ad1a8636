using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_users_react_to_a_message(ClusterFixture cluster)
{
    private const string ThumbsUp = "👍";
    private const string Heart = "❤️";

    [Fact]
    public async Task Should_count_one_reaction_per_user_and_emoji_live_and_in_history()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        var message = await alice.SendAsync(room, "m", "react to me");
        await bob.WaitForMessagesAsync(room, 1);
        var seq = pair.StartSeq + 1;

        await bob.ReactAsync(room, message, ThumbsUp);
        await AssertNextAsync(alice, room, ++seq, RoomEvent.ReactionAdded, bob, ThumbsUp, 1);
        await alice.ReactAsync(room, message, ThumbsUp);
        await AssertNextAsync(alice, room, ++seq, RoomEvent.ReactionAdded, alice, ThumbsUp, 2);

        // Adding again is a no-op: the next event is bob's following request, which his first cannot overtake.
        await bob.ReactAsync(room, message, ThumbsUp);
        await bob.ReactAsync(room, message, Heart);
        await AssertNextAsync(alice, room, ++seq, RoomEvent.ReactionAdded, bob, Heart, 1);

        await bob.UnreactAsync(room, message, ThumbsUp);
        await AssertNextAsync(alice, room, ++seq, RoomEvent.ReactionRemoved, bob, ThumbsUp, 1);

        var stored = await bob.MessageAsync(room, message);
        Assert.Equal([new Reaction(Heart, 1), new Reaction(ThumbsUp, 1)], stored.Reactions);
        Assert.Equal(seq, await bob.LastSeqAsync(room));
        Assert.Equal(seq, (await bob.WaitForSeqAsync(room, seq))[^1].Seq);
    }

    [Theory]
    [InlineData("")]
    [InlineData("thumbs up")]
    [InlineData("tab\there")]
    [InlineData("123456789012345678901234567890123")]
    public async Task Should_refuse_an_emoji_that_is_empty_too_long_or_has_whitespace(string emoji)
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        var message = await alice.SendAsync(room, "m", "react to me");
        await bob.WaitForMessagesAsync(room, 1);

        await Assert.ThrowsAsync<HubException>(() => bob.ReactAsync(room, message, emoji));
        await Assert.ThrowsAsync<HubException>(() => bob.UnreactAsync(room, message, emoji));
        await bob.ReactAsync(room, message, new string('x', 32));
        await alice.WaitForEventAsync(room, e => e.Type == RoomEvent.ReactionAdded, "the 32-character reaction");
    }

    private static async Task AssertNextAsync(
        ChatClient observer, Guid room, long seq, string type, ChatClient actor, string emoji, int count)
    {
        var e = (await observer.WaitForSeqAsync(room, seq)).Single(x => x.Seq == seq);
        Assert.Equal((type, actor.UserId, emoji, count), (e.Type, e.ActorId, e.Emoji!, e.Count ?? -1));
    }
}
