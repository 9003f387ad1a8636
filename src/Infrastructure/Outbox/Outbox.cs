using System.Text.Json;
using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;

namespace EventChat.Infrastructure.Outbox;

/// <summary>
/// The transactional outbox: an event is added to the same <see cref="ChatDbContext"/> as the change it
/// announces, so both commit or neither does. <see cref="OutboxRelay"/> publishes it afterwards.
/// </summary>
public static class Outbox
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Add<T>(ChatDbContext db, T message, Guid messageId, Guid roomId)
        where T : class =>
        db.Outbox.Add(Row(message, messageId, roomId));

    /// <summary>The outbox row of <paramref name="message"/>, for a caller that writes rows itself.</summary>
    public static OutboxMessage Row<T>(T message, Guid messageId, Guid roomId)
        where T : class =>
        new()
        {
            MessageId = messageId,
            MessageType = typeof(T).Name,
            Payload = JsonSerializer.Serialize(message, Json),
            PartitionKey = roomId.ToString("N"),
            CreatedAt = DateTimeOffset.UtcNow,
        };

    /// <summary>Only contract types may come back out of the table, whatever a row says.</summary>
    internal static Type ResolveType(string name) =>
        typeof(RoomEvent).Assembly.GetType($"{typeof(RoomEvent).Namespace}.{name}", throwOnError: false)
        ?? throw new InvalidOperationException($"Outbox row names an unknown message type '{name}'.");
}
