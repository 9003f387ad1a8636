using System.Net;
using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>
/// Retention removes a room's events older than its retentionDays. Rather than wait days, the test ages the
/// first events in the database and lets the retention role, which runs every
/// <see cref="ClusterFixture.RetentionInterval"/> here, find them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_retention_removes_old_events(ClusterFixture cluster)
{
    private const int Aged = 3;

    [Fact]
    public async Task Should_tell_a_client_syncing_from_before_the_cut_where_the_stream_now_starts()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        var room = await alice.CreateRoomAsync();
        var kept = await alice.CreateRoomAsync();
        foreach (var r in new[] { room, kept })
        {
            for (var i = 0; i < 5; i++)
            {
                await alice.SendAsync(r, $"{r:N}-{i}", $"message {i}");
            }

            await alice.WaitForLastSeqAsync(r, 5);
        }

        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Patch, $"/api/rooms/{kept}", new { retentionDays = 1 });
        await alice.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Patch, $"/api/rooms/{room}", new { retentionDays = -1 });
        await alice.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Patch, $"/api/rooms/{room}", new { retentionDays = "5" });
        await alice.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Patch, $"/api/rooms/{room}",
            new { retentionDays = 36501 });
        var patched = await alice.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/rooms/{room}",
            new { retentionDays = 1 });
        Assert.Equal(1, patched.GetProperty("retentionDays").GetInt32());

        var agedAt = DateTimeOffset.UtcNow;
        var old = agedAt.AddDays(-2);
        foreach (var r in new[] { room, kept })
        {
            Assert.Equal(Aged, await cluster.ExecuteSqlAsync(
                "UPDATE room_events SET occurred_unix_ms = @old WHERE room_id = @room AND seq <= @aged",
                ("old", old.ToUnixTimeMilliseconds()), ("room", r), ("aged", (long)Aged)));
            await cluster.ExecuteSqlAsync(
                "UPDATE messages SET sent_at = @old, posted_at = @old WHERE room_id = @room AND seq <= @aged",
                ("old", old), ("room", r), ("aged", (long)Aged));
        }

        await Eventually.HoldsAsync(
            async () => (await alice.GetAsync($"/api/rooms/{room}")).GetProperty("firstSeq").GetInt64() == Aged + 1,
            TimeSpan.FromSeconds(20), $"retention raises the room's firstSeq to {Aged + 1}");
        var runs = (await alice.GetAsync("/api/retention/runs?limit=20")).GetProperty("runs").EnumerateArray().ToList();
        Assert.Contains(runs, run => run.GetProperty("startedAt").GetDateTimeOffset() >= agedAt.AddSeconds(-3)
            && run.GetProperty("roomsTruncated").GetInt32() >= 1
            && run.GetProperty("eventsDeleted").GetInt64() >= Aged);

        var fromStart = Assert.Single(await alice.SyncAsync([(room, 0L)]));
        Assert.Null(fromStart.Error);
        Assert.Equal(Aged + 1, fromStart.Truncated?.FirstAvailableSeq);
        Streams.AssertGapFree(fromStart.EventsOrEmpty, Aged, 5, "Sync from 0 after retention");

        var fromCut = Assert.Single(await alice.SyncAsync([(room, (long)Aged)]));
        Assert.Null(fromCut.Truncated);
        Streams.AssertGapFree(fromCut.EventsOrEmpty, Aged, 5, "Sync from the cut");

        Assert.Equal(Aged + 1, (await alice.EventsAsync(room)).Truncated?.FirstAvailableSeq);
        Assert.Equal([4L, 5L], (await alice.FullHistoryAsync(room)).Select(m => m.Seq));

        await alice.SendAsync(room, "after", "numbered on from where the stream was");
        await alice.WaitForLastSeqAsync(room, 6);

        var untouched = Assert.Single(await alice.SyncAsync([(kept, 0L)]));
        Assert.Null(untouched.Truncated);
        Assert.Equal(1, (await alice.GetAsync($"/api/rooms/{kept}")).GetProperty("firstSeq").GetInt64());
        Assert.Equal(5, (await alice.FullHistoryAsync(kept)).Count);
    }
}
