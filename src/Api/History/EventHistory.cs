using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Streams;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.History;

/// <summary>
/// Reads rooms' streams for catch-up: from the recent-event cache when it holds the whole range asked for, else
/// from the database. There is no time limit; only retention, which the answer reports, ends how far back it goes.
/// </summary>
public sealed class EventHistory(IRecentEvents recent, ChatDbContext db)
{
    public async Task<EventPage> ReadAsync(Guid roomId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        var bounds = await db.Rooms.AsNoTracking()
            .Where(r => r.Id == roomId)
            .Select(r => new { r.LastSeq, r.FirstSeq })
            .SingleAsync(cancellationToken);
        return await ReadAsync(roomId, afterSeq, limit, bounds.LastSeq, bounds.FirstSeq, cancellationToken);
    }

    /// <summary>Reads many rooms, looking up all their bounds in one query.</summary>
    public async Task<IReadOnlyDictionary<Guid, (long LastSeq, long FirstSeq)>> BoundsAsync(
        IReadOnlyCollection<Guid> roomIds, CancellationToken cancellationToken)
    {
        var rows = await db.Rooms.AsNoTracking()
            .Where(r => roomIds.Contains(r.Id))
            .Select(r => new { r.Id, r.LastSeq, r.FirstSeq })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => (r.LastSeq, r.FirstSeq));
    }

    public async Task<EventPage> ReadAsync(
        Guid roomId, long afterSeq, int limit, long lastSeq, long firstSeq, CancellationToken cancellationToken)
    {
        Truncation? truncated = null;
        var from = afterSeq;
        if (afterSeq + 1 < firstSeq && afterSeq < lastSeq)
        {
            truncated = new Truncation(firstSeq);
            from = firstSeq - 1;
        }

        var upTo = Math.Min(lastSeq, from + limit);
        if (upTo <= from)
        {
            // Nothing newer, or a limit of 0: a caller out of budget still learns that there is more.
            return new EventPage(roomId, [], lastSeq, from < lastSeq, truncated);
        }

        var cached = await recent.ReadAsync(roomId, cancellationToken);
        IReadOnlyList<RoomEvent> events;
        if (cached.Count > 0 && cached[0].Seq <= from + 1 && cached[^1].Seq >= upTo)
        {
            events = cached.Where(e => e.Seq > from && e.Seq <= upTo).ToList();
        }
        else
        {
            var rows = await db.Events.AsNoTracking()
                .Where(e => e.RoomId == roomId && e.Seq > from && e.Seq <= upTo)
                .OrderBy(e => e.Seq)
                .ToListAsync(cancellationToken);
            if (rows.Count != upTo - from)
            {
                // Retention removed part of the range between reading the bounds and the rows: read it again.
                return await ReadAsync(roomId, afterSeq, limit, cancellationToken);
            }

            events = rows.Select(RoomStream.Read).ToList();
        }

        return new EventPage(roomId, events, lastSeq, upTo < lastSeq, truncated);
    }
}
