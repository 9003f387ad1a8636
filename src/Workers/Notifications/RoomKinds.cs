using System.Collections.Concurrent;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Workers.Notifications;

/// <summary>
/// Whether each room is a channel, a direct room or a group. A room's kind is fixed when it is created, so each is
/// read once; a busy channel's messages then cost no query unless they name someone or answer a message.
/// </summary>
public sealed class RoomKinds
{
    private const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<Guid, RoomKind> _kinds = new();

    /// <summary>The room's kind, or null when no such room exists (a room that does not exist is not remembered).</summary>
    public async Task<RoomKind?> KindAsync(ChatDbContext db, Guid roomId, CancellationToken cancellationToken)
    {
        if (_kinds.TryGetValue(roomId, out var known))
        {
            return known;
        }

        var kind = await db.Rooms.AsNoTracking()
            .Where(r => r.Id == roomId)
            .Select(r => (RoomKind?)r.Kind)
            .SingleOrDefaultAsync(cancellationToken);
        if (kind is { } found)
        {
            if (_kinds.Count >= MaxRemembered)
            {
                _kinds.Clear();
            }

            _kinds[roomId] = found;
        }

        return kind;
    }
}
