using System.Collections.Concurrent;
using EventChat.Api.Chat;

namespace EventChat.Api.History;

/// <summary>The embedded default's cache, with the same rules as the Redis one.</summary>
public sealed class InMemoryRecentMessages : IRecentMessages
{
    private readonly ConcurrentDictionary<Guid, List<MessageView>> _rooms = new();

    public Task<bool> AppendAsync(MessageView message, CancellationToken cancellationToken)
    {
        var room = _rooms.GetOrAdd(message.RoomId, _ => []);
        lock (room)
        {
            var last = room.Count == 0 ? 0 : room[^1].Seq;
            if (message.Seq <= last)
            {
                return Task.FromResult(false);
            }

            if (message.Seq != last + 1)
            {
                room.Clear();
            }

            room.Add(message);
            if (room.Count > IRecentMessages.Capacity)
            {
                room.RemoveRange(0, room.Count - IRecentMessages.Capacity);
            }

            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<MessageView>> ReadAsync(Guid roomId, CancellationToken cancellationToken)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return Task.FromResult<IReadOnlyList<MessageView>>([]);
        }

        lock (room)
        {
            return Task.FromResult<IReadOnlyList<MessageView>>(room.ToList());
        }
    }
}
