using EventChat.IntegrationTests.Support;
using Xunit.Abstractions;

namespace EventChat.IntegrationTests;

/// <summary>
/// Alice goes offline while three of her rooms move on by 300 events: posts, replies, edits, deletes and
/// reactions, some of them her own from another device. She comes back on the other edge and must be able to
/// rebuild exactly what history shows from one Sync call, without reloading anything.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_a_client_catches_up_after_a_disconnect(ClusterFixture cluster, ITestOutputHelper output)
{
    private const int Rooms = 3;
    private const int EventsPerRoom = 100;
    private const int Posts = 40;
    private const string ThumbsUp = "👍";
    private const string Heart = "❤️";

    [Fact]
    public async Task Should_rebuild_every_room_from_one_sync_exactly_as_history_shows_it()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        var rooms = new List<Guid>();
        for (var r = 0; r < Rooms; r++)
        {
            var room = await bob.CreateRoomAsync();
            await bob.JoinAsync(room);
            await alice.JoinAsync(room);
            await bob.SendAsync(room, $"seed{r}", $"before the disconnect, room {r}");
            rooms.Add(room);
        }

        // Alice's state before she drops: her model from history, and the newest seq she was pushed per room.
        var models = new Dictionary<Guid, RoomModel>();
        var afterSeq = new Dictionary<Guid, long>();
        foreach (var room in rooms)
        {
            await alice.WaitForMessagesAsync(room, 1);
            afterSeq[room] = await bob.LastSeqAsync(room);
            Assert.Equal(afterSeq[room], (await alice.WaitForSeqAsync(room, afterSeq[room]))[^1].Seq);
            models[room] = RoomModel.From(await alice.FullHistoryAsync(room));
        }

        await alice.CloseHubAsync();
        await using var alicePhone = await alice.ConnectAgainAsync(cluster.Edge2);
        await Task.WhenAll(rooms.Select((room, r) => MoveOnAsync(r, room, afterSeq[room], bob, alicePhone)));

        await alice.OpenHubAsync(cluster.Edge2);
        foreach (var room in rooms)
        {
            await alice.JoinAsync(room);
        }

        var pages = await alice.SyncAsync(rooms.Select(room => (room, afterSeq[room])));

        Assert.Equal(rooms, pages.Select(p => p.RoomId));
        foreach (var page in pages)
        {
            var room = page.RoomId;
            Assert.Null(page.Error);
            Assert.Null(page.Truncated);
            Assert.False(page.HasMore);
            Assert.Equal(afterSeq[room] + EventsPerRoom, page.LastSeq);
            Streams.AssertGapFree(page.EventsOrEmpty, afterSeq[room], page.LastSeq, $"Sync of room {room}");
            Assert.All(page.EventsOrEmpty, e => Assert.Equal(room, e.RoomId));

            foreach (var e in page.EventsOrEmpty)
            {
                models[room].Apply(e);
            }

            var history = await bob.FullHistoryAsync(room);
            Assert.Equal(history.Select(m => m.AsState()), models[room].Snapshot());
            AssertEverythingHappened(history);
            output.WriteLine($"room {room}: {page.EventsOrEmpty.Count} events after seq {afterSeq[room]}, " +
                $"{history.Count} messages, {history.Count(m => m.Deleted)} deleted, " +
                $"{history.Count(m => m.EditedAt is not null)} edited, " +
                $"{history.Count(m => m.Reactions.Count > 0)} with reactions");
        }
    }

    /// <summary>Guards against a model and a history that agree only because both missed the same changes.</summary>
    private static void AssertEverythingHappened(List<Message> history)
    {
        Assert.Equal(1 + Posts + 5, history.Count);
        Assert.Equal(10, history.Count(m => m is { Deleted: true, Text: null, Reactions: [] }));
        Assert.Equal(15, history.Count(m => m.EditedAt is not null));
        Assert.Equal(5, history.Count(m => m.Text?.EndsWith("edited twice", StringComparison.Ordinal) == true));
        Assert.Equal(5, history.Count(m => m.ReplyToMessageId is not null));
        Assert.Equal(5, history.Count(m => m.Reactions.SequenceEqual([new Reaction(ThumbsUp, 2)])));
        Assert.Equal(5, history.Count(m => m.Reactions.SequenceEqual([new Reaction(Heart, 1)])));
    }

    /// <summary>
    /// Exactly <see cref="EventsPerRoom"/> events, each request certain to make one: later steps touch only messages
    /// that earlier steps have already stored, and no two requests in flight together touch the same reaction.
    /// Bob owns the room, so he may also delete Alice's messages. A client message id names one message of its
    /// sender whatever the room, so each room's get a prefix of their own.
    /// </summary>
    private static async Task MoveOnAsync(int r, Guid room, long startSeq, ChatClient bob, ChatClient alice)
    {
        ChatClient AuthorOf(int i) => i % 5 == 4 ? alice : bob;
        var ids = new Guid[Posts];
        for (var i = 0; i < Posts; i++)
        {
            ids[i] = await AuthorOf(i).SendAsync(room, $"r{r}m{i}", $"message {i} by {AuthorOf(i).UserName}");
        }

        var seq = startSeq + Posts;
        await bob.WaitForLastSeqAsync(room, seq);

        for (var i = 0; i < 15; i++)
        {
            await AuthorOf(i).EditMessageAsync(room, ids[i], $"message {i}, edited");
        }

        for (var i = 15; i < 25; i++)
        {
            await bob.DeleteMessageAsync(room, ids[i]);
        }

        for (var i = 25; i < 30; i++)
        {
            await bob.ReplyAsync(room, $"r{r}re{i}", $"a reply to message {i}", ids[i]);
            await alice.ReactAsync(room, ids[i], ThumbsUp);
        }

        for (var i = 25; i < 35; i++)
        {
            await bob.ReactAsync(room, ids[i], ThumbsUp);
        }

        for (var i = 35; i < 40; i++)
        {
            await bob.ReactAsync(room, ids[i], Heart);
        }

        seq += 15 + 10 + 5 + 5 + 10 + 5;
        await bob.WaitForLastSeqAsync(room, seq);

        for (var i = 0; i < 5; i++)
        {
            await AuthorOf(i).EditMessageAsync(room, ids[i], $"message {i}, edited twice");
        }

        for (var i = 30; i < 35; i++)
        {
            await bob.UnreactAsync(room, ids[i], ThumbsUp);
        }

        await bob.WaitForLastSeqAsync(room, startSeq + EventsPerRoom);
    }
}
