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
/// Applies approved messages and changes to the store, a batch at a time, in the order given. A batch commits in
/// one transaction with its inbox entries, its room events (each room's next sequence numbers) and the events'
/// outbox rows, so each item is applied once with a gap-free number, or not at all, whatever dies when. A change
/// that turns out to change nothing (a second identical reaction, a delete of a deleted message) commits its
/// inbox entry and no event.
/// </summary>
/// <remarks>
/// Every room the batch touches is locked up front, in id order, so concurrent writers to one room, in any number
/// of processes, queue up behind each other without deadlocking, and each change sees the state the previous one
/// left.
/// </remarks>
public sealed class MessageStore(ChatDbContext db, OutboxSignal outboxSignal, TimeProvider clock)
{
    public const string InboxName = "persistence";

    private readonly Dictionary<Guid, Guid> _roomOfMessage = [];
    private readonly NewRows _rows = new(db);
    private RoomCounters _counters = null!;

    /// <summary>
    /// Applies <paramref name="items"/>, each a <see cref="MessageApproved"/> or a
    /// <see cref="MessageChangeApproved"/>, in order. Throws, storing nothing, when a message names a room that
    /// does not exist.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<object> items, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var seen = await InboxLog.SeenAsync(db, InboxName, items.Select(IdOf), cancellationToken);
        var fresh = items.Where(item => seen.Add(IdOf(item))).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        foreach (var item in fresh)
        {
            _rows.Add(InboxLog.Entry(InboxName, IdOf(item)));
        }

        _counters = await RoomStream.LockAsync(db, fresh.Select(RoomOf).Distinct(), cancellationToken);
        await FindRepliedToAsync(fresh.OfType<MessageApproved>(), cancellationToken);
        foreach (var item in fresh)
        {
            switch (item)
            {
                case MessageApproved message:
                    Store(message);
                    break;
                case MessageChangeApproved change:
                    // A change reads the store, so what the batch wrote before it must be there to read.
                    await _rows.FlushAsync(cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                    await ApplyAsync(change, cancellationToken);
                    break;
            }
        }

        await _rows.FlushAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await _counters.SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
    }

    private static Guid IdOf(object item) => item switch
    {
        MessageApproved message => message.MessageId,
        MessageChangeApproved change => change.ChangeId,
        _ => throw new ArgumentException($"{item.GetType().Name} is not stored here.", nameof(item)),
    };

    private static Guid RoomOf(object item) => item is MessageApproved message
        ? message.RoomId
        : ((MessageChangeApproved)item).RoomId;

    private async Task FindRepliedToAsync(IEnumerable<MessageApproved> messages, CancellationToken cancellationToken)
    {
        var parents = messages.Where(m => m.ReplyToMessageId is not null)
            .Select(m => m.ReplyToMessageId!.Value)
            .Distinct()
            .ToList();
        if (parents.Count == 0)
        {
            return;
        }

        var found = await db.Messages
            .Where(m => parents.Contains(m.MessageId))
            .Select(m => new { m.MessageId, m.RoomId })
            .ToListAsync(cancellationToken);
        foreach (var parent in found)
        {
            _roomOfMessage[parent.MessageId] = parent.RoomId;
        }
    }

    private void Store(MessageApproved message)
    {
        if (!_counters.Has(message.RoomId))
        {
            throw new InvalidOperationException(
                $"Message {message.MessageId} names room {message.RoomId}, which does not exist.");
        }

        if (message.ReplyToMessageId is Guid parent
            && (!_roomOfMessage.TryGetValue(parent, out var parentRoom) || parentRoom != message.RoomId))
        {
            _rows.Add(OutboxLog.Row(new MessageRejected(message.MessageId, message.RoomId, message.ClientMessageId,
                message.SenderId, "The message replied to does not exist.", clock.GetUtcNow()),
                Guid.CreateVersion7(), message.RoomId));
            return;
        }

        var now = RoomStream.Now(clock);
        var posted = Append(new RoomEvent(message.RoomId, 0, RoomEventTypes.MessagePosted, now, message.SenderId,
            message.SenderName, message.MessageId, message.ClientMessageId, message.Text, message.ReplyToMessageId,
            message.SentAt));
        _rows.Add(new StoredMessage
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
        _roomOfMessage[message.MessageId] = message.RoomId;
    }

    /// <summary>
    /// Applies an edit, delete or reaction. Its room is locked, so it sees the state the previous change to the
    /// room left, and a reaction's count in its event is the count at that point of the stream.
    /// </summary>
    private async Task ApplyAsync(MessageChangeApproved change, CancellationToken cancellationToken)
    {
        var message = await db.Messages.SingleOrDefaultAsync(
            m => m.MessageId == change.MessageId && m.RoomId == change.RoomId, cancellationToken);
        var refusal = message is null
            ? "The message does not exist."
            : change.Change switch
            {
                MessageChanges.Edit => Edit(message, change),
                MessageChanges.Delete => await DeleteAsync(message, change, cancellationToken),
                MessageChanges.React => await ReactAsync(message, change, cancellationToken),
                MessageChanges.Unreact => await UnreactAsync(message, change, cancellationToken),
                _ => $"'{change.Change}' is not a change to a message.",
            };
        if (refusal is not null)
        {
            _rows.Add(OutboxLog.Row(new MessageRejected(change.MessageId, change.RoomId, change.ChangeId.ToString("D"),
                change.ActorId, refusal, clock.GetUtcNow(), change.Change), Guid.CreateVersion7(), change.RoomId));
        }
    }

    private string? Edit(StoredMessage message, MessageChangeApproved change)
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
        Append(change, RoomEventTypes.MessageEdited, now, text: change.Text);
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
        ForgetReactions(r => r.MessageId == message.MessageId);
        await RoomStream.EraseTextAsync(db, message.RoomId, message.MessageId, ct);
        Append(change, RoomEventTypes.MessageDeleted, now);
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
        Append(change, RoomEventTypes.ReactionAdded, now, emoji: emoji, count: count);
        return null;
    }

    private async Task<string?> UnreactAsync(StoredMessage message, MessageChangeApproved change, CancellationToken ct)
    {
        var emoji = change.Emoji!;
        var reactions = db.Reactions.Where(r => r.MessageId == message.MessageId && r.Emoji == emoji);
        var removed = await reactions.Where(r => r.UserId == change.ActorId).ExecuteDeleteAsync(ct);
        ForgetReactions(r => r.MessageId == message.MessageId && r.Emoji == emoji && r.UserId == change.ActorId);
        if (removed == 0)
        {
            return null;
        }

        var count = await reactions.CountAsync(ct);
        Append(change, RoomEventTypes.ReactionRemoved, RoomStream.Now(clock), emoji: emoji, count: count);
        return null;
    }

    /// <summary>
    /// Stops tracking reactions a bulk delete removed, so that adding one again later in the same batch is an
    /// insert rather than a clash with the removed row's tracked copy.
    /// </summary>
    private void ForgetReactions(Func<MessageReaction, bool> removed)
    {
        foreach (var entry in db.ChangeTracker.Entries<MessageReaction>().Where(e => removed(e.Entity)).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    private void Append(
        MessageChangeApproved change, string type, DateTimeOffset now, string? text = null, string? emoji = null,
        int? count = null) =>
        Append(new RoomEvent(change.RoomId, 0, type, now, change.ActorId, change.ActorName, change.MessageId,
            Text: text, Emoji: emoji, Count: count));

    private RoomEvent Append(RoomEvent draft) =>
        RoomStream.Stage(_rows, draft with { Seq = _counters.Next(draft.RoomId) });
}
