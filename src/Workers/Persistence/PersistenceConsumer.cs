using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using InboxLog = EventChat.Infrastructure.Inbox.Inbox;
using OutboxLog = EventChat.Infrastructure.Outbox.Outbox;

namespace EventChat.Workers.Persistence;

/// <summary>
/// Stores an approved message as the room's next sequence number. The increment of the room's counter, the
/// message row, the inbox entry and the <see cref="MessagePosted"/> outbox row commit in one transaction, so a
/// message is stored once with a gap-free number, or not at all, whatever dies when.
/// </summary>
public sealed partial class PersistenceConsumer(
    ChatDbContext db,
    OutboxSignal outboxSignal,
    TimeProvider clock,
    ILogger<PersistenceConsumer> logger) : IConsumer<MessageApproved>
{
    public const string InboxName = "persistence";

    public async Task Consume(ConsumeContext<MessageApproved> context)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await InboxLog.TryRecordAsync(db, InboxName, message.MessageId, cancellationToken))
        {
            Log.Duplicate(logger, message.MessageId);
            return;
        }

        // The edge checked membership, so a missing room is a fault for an operator to see in the error queue.
        var seq = await NextSeqAsync(message.RoomId, cancellationToken)
            ?? throw new InvalidOperationException(
                $"Message {message.MessageId} names room {message.RoomId}, which does not exist.");

        var postedAt = clock.GetUtcNow();
        db.Messages.Add(new StoredMessage
        {
            RoomId = message.RoomId,
            Seq = seq,
            MessageId = message.MessageId,
            ClientMessageId = message.ClientMessageId,
            SenderId = message.SenderId,
            SenderName = message.SenderName,
            Text = message.Text,
            SentAt = message.SentAt,
            PostedAt = postedAt,
        });
        var posted = new MessagePosted(message.MessageId, message.RoomId, seq, message.ClientMessageId,
            message.SenderId, message.SenderName, message.Text, message.SentAt, postedAt);
        OutboxLog.Add(db, posted, message.MessageId, message.RoomId);

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
        Log.Stored(logger, message.MessageId, message.RoomId, seq);
    }

    /// <summary>
    /// Increments the room's counter. On PostgreSQL the update holds the room's row lock until commit, so
    /// concurrent writers to one room queue up behind it and no two messages share a number.
    /// </summary>
    private async Task<long?> NextSeqAsync(Guid roomId, CancellationToken cancellationToken)
    {
        var updated = await db.Rooms
            .Where(r => r.Id == roomId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, r => r.LastSeq + 1), cancellationToken);
        if (updated == 0)
        {
            return null;
        }

        return await db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, EventName = "MessageStored", Level = LogLevel.Trace,
            Message = "Stored message {MessageId} as {RoomId}#{Seq}")]
        public static partial void Stored(ILogger logger, Guid messageId, Guid roomId, long seq);

        [LoggerMessage(EventId = 3002, EventName = "DuplicateMessage", Level = LogLevel.Debug,
            Message = "Message {MessageId} was already stored; the redelivery changes nothing")]
        public static partial void Duplicate(ILogger logger, Guid messageId);
    }
}
