using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>
/// Two users toggle the same emoji on the same message as fast as they can, from different edges, while a third
/// watches from the other edge. Every reaction event carries the count after it, so the counts race exactly where
/// a read-then-write would lose an update.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_two_users_react_concurrently(ClusterFixture cluster)
{
    private const string Emoji = "🎉";

    /// <summary>
    /// Each user alternates AddReaction and RemoveReaction, starting and ending with an add: 50 adds and 49 removes.
    /// Unlike 50 plain adds (one event and 49 no-ops), every call flips that user's reaction, so each of the 198
    /// calls must make exactly one event and the count moves between 0, 1 and 2 all along; the final count is 2.
    /// </summary>
    private const int AddsEach = 50;

    [Fact]
    public async Task Should_give_every_user_the_same_final_count_as_history()
    {
        await using var scene = await Scene.OpenAsync(cluster);
        var (alice, bob, carol, room, message, start) = scene;

        await Task.WhenAll(ToggleAsync(alice, room, message), ToggleAsync(bob, room, message));

        var last = start + (2 * ((2 * AddsEach) - 1));
        await carol.WaitForLastSeqAsync(room, last, ChatClient.Timeout);
        foreach (var user in new[] { alice, bob, carol })
        {
            var live = (await user.WaitForSeqAsync(room, last)).Where(e => e.Seq > start).ToList();
            Streams.AssertGapFree(live, start, last, $"{user.UserName}'s live stream");
            AssertCountsFollowTheUsers(live, message, [alice.UserId, bob.UserId]);
            Assert.Equal(2, live[^1].Count);
        }

        var history = await carol.MessageAsync(room, message);
        Assert.Equal([new Reaction(Emoji, 2)], history.Reactions);
    }

    /// <summary>
    /// The plain reading of the scenario: each user fires 50 AddReaction calls at once. A user holds one reaction of
    /// a kind, so the whole burst makes exactly two events, and a message sent once every call was acknowledged
    /// proves that no late duplicate follows them (each queue is handled in order).
    /// </summary>
    [Fact]
    public async Task Should_count_each_user_once_however_many_times_they_add_it_at_once()
    {
        await using var scene = await Scene.OpenAsync(cluster);
        var (alice, bob, carol, room, message, start) = scene;

        await Task.WhenAll(new[] { alice, bob }.SelectMany(user =>
            Enumerable.Range(0, AddsEach).Select(_ => user.ReactAsync(room, message, Emoji))));
        await alice.SendAsync(room, "burst-marker", "after every reaction");

        var last = start + 3;
        foreach (var user in new[] { alice, bob, carol })
        {
            var live = (await user.WaitForSeqAsync(room, last)).Where(e => e.Seq > start).ToList();
            Streams.AssertGapFree(live, start, last, $"{user.UserName}'s live stream");
            AssertCountsFollowTheUsers(live[..2], message, [alice.UserId, bob.UserId]);
            Assert.Equal("burst-marker", live[2].ClientMessageId);
        }

        Assert.Equal(start + 3, await carol.LastSeqAsync(room));
        Assert.Equal([new Reaction(Emoji, 2)], (await carol.MessageAsync(room, message)).Reactions);
    }

    private static async Task ToggleAsync(ChatClient user, Guid room, Guid message)
    {
        for (var i = 0; i < AddsEach; i++)
        {
            if (i > 0)
            {
                await user.UnreactAsync(room, message, Emoji);
            }

            await user.ReactAsync(room, message, Emoji);
        }
    }

    /// <summary>Replays the events: each one's count must be the number of users who hold the reaction after it.</summary>
    private static void AssertCountsFollowTheUsers(List<RoomEvent> events, Guid message, Guid[] users)
    {
        var holding = new HashSet<Guid>();
        foreach (var e in events)
        {
            Assert.Equal(message, e.MessageId);
            Assert.Equal(Emoji, e.Emoji);
            Assert.Contains(e.ActorId, users);
            switch (e.Type)
            {
                case RoomEvent.ReactionAdded:
                    Assert.True(holding.Add(e.ActorId), $"event {e.Seq}: {e.ActorName} added a reaction twice");
                    break;
                case RoomEvent.ReactionRemoved:
                    Assert.True(holding.Remove(e.ActorId), $"event {e.Seq}: {e.ActorName} removed a reaction twice");
                    break;
                default:
                    Assert.Fail($"event {e.Seq} is {e.Type}, not a reaction");
                    break;
            }

            Assert.True(holding.Count == e.Count, $"event {e.Seq} ({e.Type} by {e.ActorName}) says count {e.Count}, " +
                $"but {holding.Count} users hold the reaction after it");
        }
    }

    /// <summary>Alice (edge 1), Bob and Carol (edge 2) in a new room, and the message of Alice's they react to.</summary>
    private sealed record Scene(ChatClient Alice, ChatClient Bob, ChatClient Carol, Guid Room, Guid Message, long Start)
        : IAsyncDisposable
    {
        public static async Task<Scene> OpenAsync(ClusterFixture cluster)
        {
            var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
            var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
            var carol = await ChatClient.ConnectAsync(cluster.Edge2, "carol");
            var room = await alice.CreateRoomAsync();
            foreach (var user in new[] { alice, bob, carol })
            {
                await user.JoinAsync(room);
            }

            var message = await alice.SendAsync(room, "target", "react to this");
            var start = (await carol.WaitForMessagesAsync(room, 1))[0].Seq;
            await carol.WaitForLastSeqAsync(room, start);
            return new Scene(alice, bob, carol, room, message, start);
        }

        public async ValueTask DisposeAsync()
        {
            await Alice.DisposeAsync();
            await Bob.DisposeAsync();
            await Carol.DisposeAsync();
        }
    }
}
