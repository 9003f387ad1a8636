using EventChat.Api.Chat;
using EventChat.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.History;

/// <summary>Reads a room's messages from the recent-message cache when it can answer, else from the database.</summary>
public sealed class MessageHistory(IRecentMessages recent, ChatDbContext db)
{
    public async Task<IReadOnlyList<MessageView>> ReadAsync(
        Guid roomId, long? afterSeq, long? beforeSeq, int limit, CancellationToken cancellationToken)
    {
        var cached = await recent.ReadAsync(roomId, cancellationToken);
        var hit = HistoryWindow.TrySelect(cached, afterSeq, beforeSeq, limit);
        if (hit is not null)
        {
            return hit;
        }

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
        return rows.Select(MessageView.From).ToList();
    }
}
