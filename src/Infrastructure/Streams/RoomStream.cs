using System.Text.Json;
using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.EntityFrameworkCore;
using OutboxLog = EventChat.Infrastructure.Outbox.Outbox;

namespace EventChat.Infrastructure.Streams;

/// <summary>
/// Appends to a room's event stream. Whoever changes a room (the persistence worker for messages, an edge for
/// membership) calls this inside the transaction that makes the change, so the change, its event and the
/// event's outbox row commit together.
/// </summary>
public static class RoomStream
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Gives <paramref name="draft"/> the room's next number and stages it with its outbox row. Returns null,
    /// staging nothing, when the room does not exist. On PostgreSQL the counter's row lock is held until the
    /// caller commits, so concurrent writers to one room, in any number of processes, queue up behind it: numbers
    /// are never shared and, because a rolled-back increment is rolled back too, never skipped.
    /// </summary>
    public static async Task<RoomEvent?> AppendAsync(ChatDbContext db, RoomEvent draft, CancellationToken cancellationToken)
    {
        long? seq;
        if (db.IsPostgres)
        {
            // Taken as it comes: EF Core cannot wrap an UPDATE in a query of its own.
            var returned = await db.Database
                .SqlQuery<long>($"UPDATE rooms SET last_seq = last_seq + 1 WHERE id = {draft.RoomId} RETURNING last_seq AS \"Value\"")
                .ToListAsync(cancellationToken);
            seq = returned.Count == 0 ? null : returned[0];
        }
        else
        {
            var updated = await db.Rooms
                .Where(r => r.Id == draft.RoomId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, r => r.LastSeq + 1), cancellationToken);
            seq = updated == 0
                ? null
                : await db.Rooms.Where(r => r.Id == draft.RoomId).Select(r => r.LastSeq).SingleAsync(cancellationToken);
        }

        return seq is long next ? Stage(db, draft with { Seq = next }) : null;
    }

    /// <summary>Stages an event that already has its number, with its outbox row.</summary>
    public static RoomEvent Stage(ChatDbContext db, RoomEvent numbered)
    {
        db.Events.Add(Row(numbered));
        OutboxLog.Add(db, numbered, EventId(numbered.RoomId, numbered.Seq), numbered.RoomId);
        return numbered;
    }

    /// <summary>Adds an event that already has its number, with its outbox row, to a batch's new rows.</summary>
    public static RoomEvent Stage(NewRows rows, RoomEvent numbered)
    {
        rows.Add(Row(numbered));
        rows.Add(OutboxLog.Row(numbered, EventId(numbered.RoomId, numbered.Seq), numbered.RoomId));
        return numbered;
    }

    private static StoredEvent Row(RoomEvent numbered) => new()
    {
        RoomId = numbered.RoomId,
        Seq = numbered.Seq,
        Type = numbered.Type,
        MessageId = numbered.MessageId,
        Payload = JsonSerializer.Serialize(numbered, Json),
        OccurredUnixMs = numbered.OccurredAt.ToUnixTimeMilliseconds(),
    };

    /// <summary>
    /// Locks the rooms of a batch for the rest of the transaction, in id order so that two batches never wait on
    /// each other, and reads their counters. Rooms that do not exist are left out.
    /// </summary>
    public static async Task<RoomCounters> LockAsync(
        ChatDbContext db, IEnumerable<Guid> roomIds, CancellationToken cancellationToken)
    {
        var ids = roomIds.ToArray();
        var counters = db.IsPostgres
            ? await db.Database
                .SqlQuery<RoomCounter>(
                    $"SELECT id AS \"RoomId\", last_seq AS \"LastSeq\" FROM rooms WHERE id = ANY({ids}) ORDER BY id FOR UPDATE")
                .ToListAsync(cancellationToken)
            : await db.Rooms
                .Where(r => ids.Contains(r.Id))
                .Select(r => new RoomCounter { RoomId = r.Id, LastSeq = r.LastSeq })
                .ToListAsync(cancellationToken);
        return new RoomCounters(db, counters);
    }

    /// <summary>
    /// The broker message id of a room event: the same for every publish of the event, so a consumer, or an
    /// integrator, can recognise a relay's republish by its id alone.
    /// </summary>
    public static Guid EventId(Guid roomId, long seq)
    {
        Span<byte> input = stackalloc byte[24];
        roomId.TryWriteBytes(input);
        BitConverter.TryWriteBytes(input[16..], seq);
        return new Guid(System.IO.Hashing.XxHash128.Hash(input));
    }

    /// <summary>
    /// Takes the room's row lock for the rest of the transaction before the caller reads state it will change. On
    /// SQLite, the embedded default, one writer at a time is the database's own rule.
    /// </summary>
    public static async Task LockAsync(ChatDbContext db, Guid roomId, CancellationToken cancellationToken)
    {
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM rooms WHERE id = {roomId} FOR UPDATE", cancellationToken);
        }
    }

    /// <summary>The current time at PostgreSQL's precision, so stored and pushed copies of an event agree.</summary>
    public static DateTimeOffset Now(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    /// <summary>
    /// Erases a deleted message's text from the stored events that carried it (its post and its edits), so that
    /// after a delete the text is nowhere in storage and catch-up replays the post as a tombstone's start.
    /// </summary>
    public static async Task EraseTextAsync(
        ChatDbContext db, Guid roomId, Guid messageId, CancellationToken cancellationToken)
    {
        var carriers = await db.Events
            .Where(e => e.RoomId == roomId && e.MessageId == messageId
                        && (e.Type == RoomEventTypes.MessagePosted || e.Type == RoomEventTypes.MessageEdited))
            .ToListAsync(cancellationToken);
        foreach (var stored in carriers)
        {
            stored.Payload = JsonSerializer.Serialize(Read(stored) with { Text = null }, Json);
        }
    }

    public static RoomEvent Read(StoredEvent stored) =>
        JsonSerializer.Deserialize<RoomEvent>(stored.Payload, Json)
        ?? throw new InvalidOperationException($"Event {stored.RoomId}#{stored.Seq} has an empty payload.");

    /// <summary>The room's name as written in events and lists: lower case, for finding it by name.</summary>
    public static string NormalizeName(string name) => name.Trim().ToLowerInvariant();
}
