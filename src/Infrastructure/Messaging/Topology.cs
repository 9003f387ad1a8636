using EventChat.Contracts;
using MassTransit;

namespace EventChat.Infrastructure.Messaging;

/// <summary>
/// Every event goes to its own topic exchange, named for integrators, with the routing key
/// <c>room.&lt;roomId&gt;</c>; a queue binds <c>room.#</c> for all rooms or one room's key for that room.
/// </summary>
public static class Topology
{
    public const string AllRooms = "room.#";

    public static string RoutingKey(Guid roomId) => $"room.{roomId:D}";

    public static string ExchangeFor<T>() => ExchangeFor(typeof(T));

    public static string ExchangeFor(Type messageType) => messageType.Name switch
    {
        nameof(MessageSent) => "eventchat.message-sent",
        nameof(MessageApproved) => "eventchat.message-approved",
        nameof(MessageRejected) => "eventchat.message-rejected",
        nameof(MessageChangeRequested) => "eventchat.message-change-requested",
        nameof(MessageChangeApproved) => "eventchat.message-change-approved",
        nameof(RoomEvent) => "eventchat.room-event",
        nameof(RoomJoined) => "eventchat.room-joined",
        nameof(NotificationCreated) => "eventchat.notification-created",
        nameof(ModerationActionTaken) => "eventchat.moderation-action",
        _ => throw new ArgumentOutOfRangeException(nameof(messageType), messageType.Name, "Not a chat event."),
    };

    internal static void Apply(IBusFactoryConfigurator cfg)
    {
        Route<MessageSent>(cfg, m => m.RoomId);
        Route<MessageApproved>(cfg, m => m.RoomId);
        Route<MessageRejected>(cfg, m => m.RoomId);
        Route<MessageChangeRequested>(cfg, m => m.RoomId);
        Route<MessageChangeApproved>(cfg, m => m.RoomId);
        Route<RoomEvent>(cfg, m => m.RoomId);
        Route<RoomJoined>(cfg, m => m.RoomId);
        Route<NotificationCreated>(cfg, m => m.RoomId);
        Route<ModerationActionTaken>(cfg, m => m.RoomId);
    }

    private static void Route<T>(IBusFactoryConfigurator cfg, Func<T, Guid> roomOf)
        where T : class
    {
        cfg.Message<T>(m => m.SetEntityName(ExchangeFor<T>()));
        if (cfg is IRabbitMqBusFactoryConfigurator rabbit)
        {
            rabbit.Publish<T>(p => p.ExchangeType = "topic");
            rabbit.Send<T>(s => s.UseRoutingKeyFormatter(c => RoutingKey(roomOf(c.Message))));
        }
    }
}
