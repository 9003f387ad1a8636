using System.Collections.Concurrent;
using EventChat.Contracts;

namespace EventChat.Api.History;

/// <summary>The embedded default's cache, with the same rules as the Redis one.</summary>
public sealed class InMemoryRecentEvents : IRecentEvents
{
    private readonly ConcurrentDictionary<Guid, List<RoomEvent>> _rooms = new();

    public Task<IReadOnlyList<bool>> AppendAsync(
        IReadOnlyList<RoomEvent> roomEvents, CancellationToken cancellationToken)
    {
        var fresh = new bool[roomEvents.Count];
        for (var i = 0; i < roomEvents.Count; i++)
        {
            fresh[i] = Append(roomEvents[i]);
        }

        return Task.FromResult<IReadOnlyList<bool>>(fresh);
    }

    private bool Append(RoomEvent roomEvent)
    {
        var room = _rooms.GetOrAdd(roomEvent.RoomId, _ => []);
        lock (room)
        {
            var last = room.Count == 0 ? 0 : room[^1].Seq;
            if (roomEvent.Seq <= last)
            {
                return false;
            }

            if (roomEvent.Seq != last + 1)
            {
                room.Clear();
            }

            room.Add(roomEvent);
            if (room.Count > IRecentEvents.Capacity)
            {
                room.RemoveRange(0, room.Count - IRecentEvents.Capacity);
            }

            return true;
        }
    }

    public Task EraseTextAsync(Guid roomId, Guid messageId, CancellationToken cancellationToken)
    {
        if (_rooms.TryGetValue(roomId, out var room))
        {
            lock (room)
            {
                for (var i = 0; i < room.Count; i++)
                {
                    if (room[i].MessageId == messageId && room[i].Text is not null)
                    {
                        room[i] = room[i] with { Text = null };
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RoomEvent>> ReadAsync(Guid roomId, CancellationToken cancellationToken)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return Task.FromResult<IReadOnlyList<RoomEvent>>([]);
        }

        lock (room)
        {
            return Task.FromResult<IReadOnlyList<RoomEvent>>(room.ToList());
        }
    }
}
