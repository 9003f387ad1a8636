using System.Text.Json;
using EventChat.IntegrationTests.Support;
using Npgsql;

namespace EventChat.IntegrationTests;

/// <summary>
/// Leaves the database exactly as a persistence worker leaves it when SIGKILL lands after its commit and before
/// its relay publishes: the message row, its room event and the outbox row, and nobody told to publish them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_a_process_dies_between_commit_and_publish(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_publish_the_orphaned_outbox_row_once_from_another_process()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        await alice.SendAsync(room, "before", "stored the normal way");
        await bob.WaitForMessagesAsync(room, 1);
        await bob.WaitForLastSeqAsync(room, pair.StartSeq + 1);

        var messageId = Guid.NewGuid();
        await CommitWithoutPublishingAsync(room, alice, messageId, "orphan", "committed, never published");

        var live = await bob.WaitForMessagesAsync(room, 2);
        Assert.Equal(["before", "orphan"], live.Select(m => m.ClientMessageId));
        Assert.Equal(pair.NextSeqs(2), live.Select(m => m.Seq));

        await Task.Delay(1500);
        Assert.Equal(2, bob.Posted(room).Count);
        Assert.Equal(live.Select(e => e.AsPosted()), (await bob.FullHistoryAsync(room)).Select(m => m.AsPosted()));
        Assert.Equal(0, await OutboxRowsAsync());
    }

    /// <summary>The message row, its room event and the event's outbox row, committed together as
    /// <c>RoomStream.AppendAsync</c> stages them.</summary>
    private async Task CommitWithoutPublishingAsync(
        Guid room, ChatClient sender, Guid messageId, string clientMessageId, string text)
    {
        var now = DateTimeOffset.UtcNow;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        await using var db = new NpgsqlConnection(cluster.PostgresConnectionString);
        await db.OpenAsync();
        await using var transaction = await db.BeginTransactionAsync();

        await using var next = new NpgsqlCommand(
            "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = @room RETURNING last_seq", db, transaction);
        next.Parameters.AddWithValue("room", room);
        var seq = (long)(await next.ExecuteScalarAsync())!;

        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO messages (room_id, seq, message_id, client_message_id, sender_id, sender_name, text, sent_at, posted_at)
            VALUES (@room, @seq, @id, @client, @sender, @name, @text, @now, @now);
            INSERT INTO room_events (room_id, seq, type, payload, occurred_unix_ms)
            VALUES (@room, @seq, 'message.posted', @payload, @unixMs);
            INSERT INTO outbox_messages (message_id, message_type, payload, partition_key, created_at)
            VALUES (@outboxId, 'RoomEvent', @payload, @partition, @now);
            """, db, transaction);
        var payload = JsonSerializer.Serialize(new
        {
            roomId = room, seq, type = "message.posted", occurredAt = now, actorId = sender.UserId,
            actorName = sender.UserName, messageId, clientMessageId, text, sentAt = now,
        });
        insert.Parameters.AddWithValue("room", room);
        insert.Parameters.AddWithValue("seq", seq);
        insert.Parameters.AddWithValue("id", messageId);
        insert.Parameters.AddWithValue("client", clientMessageId);
        insert.Parameters.AddWithValue("sender", sender.UserId);
        insert.Parameters.AddWithValue("name", sender.UserName);
        insert.Parameters.AddWithValue("text", text);
        insert.Parameters.AddWithValue("now", now);
        insert.Parameters.AddWithValue("unixMs", now.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("outboxId", Guid.CreateVersion7());
        insert.Parameters.AddWithValue("payload", payload);
        insert.Parameters.AddWithValue("partition", room.ToString("N"));
        await insert.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private async Task<long> OutboxRowsAsync()
    {
        await using var db = new NpgsqlConnection(cluster.PostgresConnectionString);
        await db.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM outbox_messages", db);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
