using EventChat.Api.Chat;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.History;

/// <summary>
/// Reads messages in their current state from the database. The live stream and catch-up carry the changes;
/// this is the state they add up to, which a client loads first or reloads after a truncation.
/// </summary>
public sealed class MessageHistory(ChatDbContext db)
{
    public async Task<IReadOnlyList<MessageView>> ReadAsync(
        Guid roomId, long? afterSeq, long? beforeSeq, int limit, CancellationToken cancellationToken)
    {
        var query = db.Messages.AsNoTracking().Where(m => m.RoomId == roomId);
        if (afterSeq is long after)
        {
            query = query.Where(m => m.Seq > after);
        }

        if (beforeSeq is long before)
        {
            query = query.Where(m => m.Seq < before);
        }

        var rows = afterSeq is null
            ? (await query.OrderByDescending(m => m.Seq).Take(limit).ToListAsync(cancellationToken))
                .OrderBy(m => m.Seq).ToList()
            : await query.OrderBy(m => m.Seq).Take(limit).ToListAsync(cancellationToken);
        return await WithReactionsAsync(rows, cancellationToken);
    }

    /// <summary>The direct replies to a message, oldest first.</summary>
    public async Task<IReadOnlyList<MessageView>> RepliesAsync(
        Guid roomId, Guid messageId, int limit, CancellationToken cancellationToken)
    {
        var rows = await db.Messages.AsNoTracking()
            .Where(m => m.RoomId == roomId && m.ReplyToMessageId == messageId)
            .OrderBy(m => m.Seq)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return await WithReactionsAsync(rows, cancellationToken);
    }

    /// <summary>The message with that id, in whatever room: ids are unique across rooms.</summary>
    public Task<StoredMessage?> FindAnywhereAsync(Guid messageId, CancellationToken cancellationToken) =>
        db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.MessageId == messageId, cancellationToken);

    public Task<StoredMessage?> FindAsync(Guid roomId, Guid messageId, CancellationToken cancellationToken) =>
        db.Messages.AsNoTracking().SingleOrDefaultAsync(
            m => m.RoomId == roomId && m.MessageId == messageId, cancellationToken);

    private async Task<IReadOnlyList<MessageView>> WithReactionsAsync(
        List<StoredMessage> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Where(m => m.DeletedAt is null).Select(m => m.MessageId).ToList();
        var counts = ids.Count == 0
            ? []
            : await db.Reactions.AsNoTracking()
                .Where(r => ids.Contains(r.MessageId))
                .GroupBy(r => new { r.MessageId, r.Emoji })
                .Select(g => new { g.Key.MessageId, g.Key.Emoji, Count = g.Count() })
                .ToListAsync(cancellationToken);
        var byMessage = counts
            .GroupBy(c => c.MessageId)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<ReactionCount>)g.OrderBy(c => c.Emoji, StringComparer.Ordinal)
                    .Select(c => new ReactionCount(c.Emoji, c.Count)).ToList());
        return rows.Select(m => MessageView.From(m, byMessage.GetValueOrDefault(m.MessageId, []))).ToList();
    }
}
