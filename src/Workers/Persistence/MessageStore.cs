using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Outbox;
using EventChat.Infrastructure.Streams;
using Microsoft.EntityFrameworkCore;
using InboxLog = EventChat.Infrastructure.Inbox.Inbox;
using OutboxLog = EventChat.Infrastructure.Outbox.Outbox;

namespace EventChat.Workers.Persistence;

/// <summary>
/// Applies approved messages and changes to the store. Each one commits in one transaction with its inbox entry,
/// its room event (the room's next sequence number) and the event's outbox row, so it is applied once with a
/// gap-free number, or not at all, whatever dies when. A change that turns out to change nothing (a second
/// identical reaction, a delete of a deleted message) commits its inbox entry and no event.
/// </summary>
public sealed class MessageStore(ChatDbContext db, OutboxSignal outboxSignal, TimeProvider clock)
{
    public const string InboxName = "persistence";

    /// <summary>Returns false, storing nothing, when the message's room does not exist.</summary>
    public async Task<bool> StoreAsync(MessageApproved message, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await InboxLog.TryRecordAsync(db, InboxName, message.MessageId, cancellationToken))
        {
            return true;
        }

        if (message.ReplyToMessageId is Guid parent)
        {
            await RoomStream.LockAsync(db, message.RoomId, cancellationToken);
            if (!await db.Messages.AnyAsync(m => m.MessageId == parent && m.RoomId == message.RoomId, cancellationToken))
            {
                OutboxLog.Add(db, new MessageRejected(message.MessageId, message.RoomId, message.ClientMessageId,
                    message.SenderId, "The message replied to does not exist.", clock.GetUtcNow()),
                    Guid.CreateVersion7(), message.RoomId);
                await CommitAsync(transaction, cancellationToken);
                return true;
            }
        }

        var now = RoomStream.Now(clock);
        var posted = await RoomStream.AppendAsync(db, new RoomEvent(message.RoomId, 0, RoomEventTypes.MessagePosted,
            now, message.SenderId, message.SenderName, message.MessageId, message.ClientMessageId, message.Text,
            message.ReplyToMessageId, message.SentAt), cancellationToken);
        if (posted is null)
        {
            return false;
        }

        db.Messages.Add(new StoredMessage
        {
            RoomId = message.RoomId,
            Seq = posted.Seq,
            MessageId = message.MessageId,
            ClientMessageId = message.ClientMessageId,
            SenderId = message.SenderId,
            SenderName = message.SenderName,
            Text = message.Text,
            ReplyToMessageId = message.ReplyToMessageId,
            SentAt = message.SentAt,
            PostedAt = now,
        });

        await CommitAsync(transaction, cancellationToken);
        return true;
    }

    /// <summary>
    /// Applies an edit, delete or reaction. The room's row is locked before the message is read, so concurrent
    /// changes to one room, from any number of workers, each see the state the previous one left, and a
    /// reaction's count in its event is the count at that point of the stream.
    /// </summary>
    public async Task ApplyAsync(MessageChangeApproved change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await InboxLog.TryRecordAsync(db, InboxName, change.ChangeId, cancellationToken))
        {
            return;
        }

        await RoomStream.LockAsync(db, change.RoomId, cancellationToken);
        var message = await db.Messages.SingleOrDefaultAsync(
            m => m.MessageId == change.MessageId && m.RoomId == change.RoomId, cancellationToken);
        var refusal = message is null
            ? "The message does not exist."
            : change.Change switch
            {
                MessageChanges.Edit => await EditAsync(message, change, cancellationToken),
                MessageChanges.Delete => await DeleteAsync(message, change, cancellationToken),
                MessageChanges.React => await ReactAsync(message, change, cancellationToken),
                MessageChanges.Unreact => await UnreactAsync(message, change, cancellationToken),
                _ => $"'{change.Change}' is not a change to a message.",
            };
        if (refusal is not null)
        {
            OutboxLog.Add(db, new MessageRejected(change.MessageId, change.RoomId, change.ChangeId.ToString("D"),
                change.ActorId, refusal, clock.GetUtcNow(), change.Change), Guid.CreateVersion7(), change.RoomId);
        }

        await CommitAsync(transaction, cancellationToken);
    }

    private async Task<string?> EditAsync(StoredMessage message, MessageChangeApproved change, CancellationToken ct)
    {
        if (message.SenderId != change.ActorId)
        {
            return "Only the author may edit a message.";
        }

        if (message.DeletedAt is not null)
        {
            return "The message was deleted.";
        }

        if (message.Text == change.Text)
        {
            return null;
        }

        var now = RoomStream.Now(clock);
        message.Text = change.Text!;
        message.EditedAt = now;
        await AppendAsync(change, RoomEventTypes.MessageEdited, now, ct, text: change.Text);
        return null;
    }

    private async Task<string?> DeleteAsync(StoredMessage message, MessageChangeApproved change, CancellationToken ct)
    {
        if (message.DeletedAt is not null)
        {
            return null;
        }

        if (message.SenderId != change.ActorId)
        {
            var role = await db.RoomMembers
                .Where(m => m.RoomId == change.RoomId && m.UserId == change.ActorId)
                .Select(m => (RoomRole?)m.Role)
                .SingleOrDefaultAsync(ct);
            if (role is not (RoomRole.Admin or RoomRole.Owner))
            {
                return "Only the author or a room admin may delete a message.";
            }
        }

        // The text leaves storage with the delete; only the tombstone stays.
        var now = RoomStream.Now(clock);
        message.Text = string.Empty;
        message.DeletedAt = now;
        await db.Reactions.Where(r => r.MessageId == message.MessageId).ExecuteDeleteAsync(ct);
        await RoomStream.EraseTextAsync(db, message.RoomId, message.MessageId, ct);
        await AppendAsync(change, RoomEventTypes.MessageDeleted, now, ct);
        return null;
    }

    private async Task<string?> ReactAsync(StoredMessage message, MessageChangeApproved change, CancellationToken ct)
    {
        if (message.DeletedAt is not null)
        {
            return "The message was deleted.";
        }

        var emoji = change.Emoji!;
        var reactions = db.Reactions.Where(r => r.MessageId == message.MessageId && r.Emoji == emoji);
        if (await reactions.AnyAsync(r => r.UserId == change.ActorId, ct))
        {
            return null;
        }

        var now = RoomStream.Now(clock);
        var count = await reactions.CountAsync(ct) + 1;
        db.Reactions.Add(new MessageReaction
        {
            MessageId = message.MessageId,
            Emoji = emoji,
            UserId = change.ActorId,
            CreatedAt = now,
        });
        await AppendAsync(change, RoomEventTypes.ReactionAdded, now, ct, emoji: emoji, count: count);
        return null;
    }

    private async Task<string?> UnreactAsync(StoredMessage message, MessageChangeApproved change, CancellationToken ct)
    {
        var emoji = change.Emoji!;
        var reactions = db.Reactions.Where(r => r.MessageId == message.MessageId && r.Emoji == emoji);
        var removed = await reactions.Where(r => r.UserId == change.ActorId).ExecuteDeleteAsync(ct);
        if (removed == 0)
        {
            return null;
        }

        var count = await reactions.CountAsync(ct);
        await AppendAsync(change, RoomEventTypes.ReactionRemoved, RoomStream.Now(clock), ct, emoji: emoji,
            count: count);
        return null;
    }

    private Task<RoomEvent?> AppendAsync(
        MessageChangeApproved change, string type, DateTimeOffset now, CancellationToken ct, string? text = null,
        string? emoji = null, int? count = null) =>
        RoomStream.AppendAsync(db, new RoomEvent(change.RoomId, 0, type, now, change.ActorId, change.ActorName,
            change.MessageId, Text: text, Emoji: emoji, Count: count), ct);

    private async Task CommitAsync(
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
    }
}
