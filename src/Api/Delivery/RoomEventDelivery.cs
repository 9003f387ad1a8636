using EventChat.Api.Chat;
using EventChat.Api.History;
using EventChat.Contracts;
using EventChat.Infrastructure.Presence;
using MassTransit;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.Api.Delivery;

/// <summary>
/// Sends a room event to the room. The recent-event cache is written first, so a client that sees an event live
/// finds it in catch-up too; the Redis backplane carries the send to every edge. A member who leaves or is
/// removed gets the event, then their connections stop receiving the room.
/// </summary>
public sealed partial class RoomEventDelivery(
    IRecentEvents recent,
    IHubContext<ChatHub, IChatClient> hub,
    IPresenceStore presence,
    ILogger<RoomEventDelivery> logger) : IConsumer<RoomEvent>
{
    public async Task Consume(ConsumeContext<RoomEvent> context)
    {
        var roomEvent = context.Message;
        var fresh = await recent.AppendAsync(roomEvent, context.CancellationToken);

        // A number already in the cache was delivered before, unless that attempt failed after writing the
        // cache: then the broker redelivers, or the retry filter tries again, and it must go out.
        if (!fresh && !context.ReceiveContext.Redelivered && context.GetRetryAttempt() == 0)
        {
            Log.Duplicate(logger, roomEvent.RoomId, roomEvent.Seq);
            return;
        }

        if (roomEvent is { Type: RoomEventTypes.MessageDeleted, MessageId: Guid deleted })
        {
            await recent.EraseTextAsync(roomEvent.RoomId, deleted, context.CancellationToken);
        }

        var group = ChatHub.GroupName(roomEvent.RoomId);
        var room = hub.Clients.Group(group);
        await (roomEvent.Type == RoomEventTypes.MessagePosted ? room.MessageReceived(roomEvent) : room.RoomEvent(roomEvent));
        if (roomEvent.Type is RoomEventTypes.MemberLeft or RoomEventTypes.MemberRemoved && roomEvent.UserId is Guid gone)
        {
            foreach (var connectionId in await presence.ConnectionsInRoomAsync(roomEvent.RoomId, gone, context.CancellationToken))
            {
                await hub.Groups.RemoveFromGroupAsync(connectionId, group, context.CancellationToken);
            }
        }

        Log.Delivered(logger, roomEvent.RoomId, roomEvent.Seq, roomEvent.Type);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, EventName = "EventDelivered", Level = LogLevel.Trace,
            Message = "Delivered {RoomId}#{Seq} ({Type})")]
        public static partial void Delivered(ILogger logger, Guid roomId, long seq, string type);

        [LoggerMessage(EventId = 6002, EventName = "DuplicateDelivery", Level = LogLevel.Debug,
            Message = "Skipped {RoomId}#{Seq}: already delivered")]
        public static partial void Duplicate(ILogger logger, Guid roomId, long seq);
    }
}
