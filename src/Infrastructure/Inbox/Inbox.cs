using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Infrastructure.Inbox;

/// <summary>
/// The consumer inbox: a consumer records a message id in the same transaction as its effects. A redelivered
/// message finds its id and is skipped; two deliveries racing each other collide on the primary key, the loser's
/// transaction fails, and its retry then finds the id.
/// </summary>
public static class Inbox
{
    /// <summary>Returns false when <paramref name="consumer"/> has already handled <paramref name="messageId"/>.</summary>
    public static async Task<bool> TryRecordAsync(
        ChatDbContext db, string consumer, Guid messageId, CancellationToken cancellationToken)
    {
        var seen = await db.Inbox.AnyAsync(m => m.Consumer == consumer && m.MessageId == messageId, cancellationToken);
        if (seen)
        {
            return false;
        }

        Record(db, consumer, messageId);
        return true;
    }

    /// <summary>The ids among <paramref name="messageIds"/> that <paramref name="consumer"/> has already handled.</summary>
    public static async Task<HashSet<Guid>> SeenAsync(
        ChatDbContext db, string consumer, IEnumerable<Guid> messageIds, CancellationToken cancellationToken)
    {
        var ids = messageIds.Distinct().ToList();
        var seen = await db.Inbox
            .Where(m => m.Consumer == consumer && ids.Contains(m.MessageId))
            .Select(m => m.MessageId)
            .ToListAsync(cancellationToken);
        return [.. seen];
    }

    /// <summary>Stages the entry that marks <paramref name="messageId"/> as handled by <paramref name="consumer"/>.</summary>
    public static void Record(ChatDbContext db, string consumer, Guid messageId) =>
        db.Inbox.Add(Entry(consumer, messageId));

    /// <summary>The entry that marks <paramref name="messageId"/> as handled, for a caller that writes rows itself.</summary>
    public static InboxMessage Entry(string consumer, Guid messageId) =>
        new() { Consumer = consumer, MessageId = messageId, ProcessedAt = DateTimeOffset.UtcNow };
}
