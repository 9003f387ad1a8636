using EventChat.Infrastructure.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace EventChat.Infrastructure.Data;

/// <summary>
/// Rows a batch adds, held until <see cref="FlushAsync"/> writes them in the current transaction: with binary
/// COPY on PostgreSQL, which takes thousands of rows in the time EF Core takes for a few hundred, and through the
/// <see cref="ChatDbContext"/> elsewhere. Outbox rows are written in the order they were added, so their ids keep
/// each room's events in order.
/// </summary>
public sealed class NewRows(ChatDbContext db)
{
    private readonly List<InboxMessage> _inbox = [];
    private readonly List<StoredEvent> _events = [];
    private readonly List<StoredMessage> _messages = [];
    private readonly List<OutboxMessage> _outbox = [];

    public void Add(InboxMessage row) => _inbox.Add(row);

    public void Add(StoredEvent row) => _events.Add(row);

    public void Add(StoredMessage row) => _messages.Add(row);

    public void Add(OutboxMessage row) => _outbox.Add(row);

    /// <summary>Writes what was added since the last flush. Messages go before the events that name them.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (db.IsPostgres)
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await CopyAsync(connection, "inbox_messages (consumer, message_id, processed_at)", _inbox,
                async (w, r, ct) =>
                {
                    await w.WriteAsync(r.Consumer, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(r.MessageId, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(r.ProcessedAt, NpgsqlDbType.TimestampTz, ct);
                }, cancellationToken);
            await CopyAsync(connection,
                "messages (room_id, seq, message_id, client_message_id, sender_id, sender_name, text, " +
                "reply_to_message_id, sent_at, posted_at)", _messages,
                async (w, r, ct) =>
                {
                    await w.WriteAsync(r.RoomId, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(r.Seq, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(r.MessageId, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(r.ClientMessageId, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(r.SenderId, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(r.SenderName, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(r.Text, NpgsqlDbType.Text, ct);
                    await WriteNullableAsync(w, r.ReplyToMessageId, ct);
                    await w.WriteAsync(r.SentAt, NpgsqlDbType.TimestampTz, ct);
                    await w.WriteAsync(r.PostedAt, NpgsqlDbType.TimestampTz, ct);
                }, cancellationToken);
            await CopyAsync(connection, "room_events (room_id, seq, type, message_id, payload, occurred_unix_ms)",
                _events,
                async (w, r, ct) =>
                {
                    await w.WriteAsync(r.RoomId, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(r.Seq, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(r.Type, NpgsqlDbType.Text, ct);
                    await WriteNullableAsync(w, r.MessageId, ct);
                    await w.WriteAsync(r.Payload, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(r.OccurredUnixMs, NpgsqlDbType.Bigint, ct);
                }, cancellationToken);
            await CopyAsync(connection, "outbox_messages (message_id, message_type, payload, partition_key, created_at)",
                _outbox,
                async (w, r, ct) =>
                {
                    await w.WriteAsync(r.MessageId, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(r.MessageType, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(r.Payload, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(r.PartitionKey, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                }, cancellationToken);
        }
        else
        {
            db.Inbox.AddRange(_inbox);
            db.Messages.AddRange(_messages);
            db.Events.AddRange(_events);
            db.Outbox.AddRange(_outbox);
            await db.SaveChangesAsync(cancellationToken);
        }

        _inbox.Clear();
        _messages.Clear();
        _events.Clear();
        _outbox.Clear();
    }

    private static async Task CopyAsync<T>(
        NpgsqlConnection connection,
        string table,
        List<T> rows,
        Func<NpgsqlBinaryImporter, T, CancellationToken, Task> write,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {table} FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            await write(importer, row, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, Guid? value, CancellationToken ct) =>
        value is Guid id ? writer.WriteAsync(id, NpgsqlDbType.Uuid, ct) : writer.WriteNullAsync(ct);
}
