using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_a_client_syncs_many_rooms(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_answer_each_room_in_one_call_and_refuse_only_the_unreadable_one()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        var readable = new List<Guid>();
        for (var r = 0; r < 4; r++)
        {
            var room = await bob.CreateRoomAsync();
            await alice.JoinAsync(room);
            for (var i = 0; i <= r; i++)
            {
                await bob.SendAsync(room, $"r{r}m{i}", $"message {i} in room {r}");
            }

            await bob.WaitForLastSeqAsync(room, r + 2);
            readable.Add(room);
        }

        var secret = await bob.CreateRoomAsync("private");
        await bob.SendAsync(secret, "secret", "not for alice");
        var missing = Guid.NewGuid();

        var request = readable.Select((room, r) => (room, (long)r)).Append((secret, 0L)).Append((missing, 0L)).ToList();
        var pages = await alice.SyncAsync(request);

        Assert.Equal(request.Select(r => r.Item1), pages.Select(p => p.RoomId));
        for (var r = 0; r < readable.Count; r++)
        {
            var page = pages[r];
            Assert.Null(page.Error);
            Assert.Equal(r + 2, page.LastSeq);
            Streams.AssertGapFree(page.EventsOrEmpty, r, r + 2, $"room {r}");
            Assert.Equal(RoomEvent.Posted, page.EventsOrEmpty[^1].Type);
        }

        foreach (var refused in pages.Skip(readable.Count))
        {
            Assert.False(string.IsNullOrWhiteSpace(refused.Error), $"room {refused.RoomId} should carry an error");
            Assert.Empty(refused.EventsOrEmpty);
            Assert.DoesNotContain(refused.EventsOrEmpty, e => e.Text == "not for alice");
        }

        var again = await alice.SyncAsync(readable.Select(room => (room, 0L)));
        Assert.All(again, p => Assert.Null(p.Error));
        var events = await alice.EventsAsync(readable[2]);
        Assert.Equal(events.EventsOrEmpty, again[2].EventsOrEmpty);
        Assert.Equal(events.LastSeq, again[2].LastSeq);

        var twice = await alice.SyncAsync([(readable[3], 0L), (readable[3], 0L)]);
        Assert.Null(twice[0].Error);
        Assert.Equal(5, twice[0].EventsOrEmpty.Count);
        Assert.Equal($"Room {readable[3]} is asked for more than once in this call.", twice[1].Error);
        Assert.Empty(twice[1].EventsOrEmpty);
    }
}
