using EventChat.Api.Chat;
using EventChat.Api.History;
using EventChat.Api.Notifications;
using EventChat.Contracts;
using EventChat.Infrastructure.Presence;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.Api.Delivery;

/// <summary>A message from the edges' queue, and whether it may have been handled before.</summary>
/// <param name="MayRepeat">True for a broker redelivery or a retry: an event that looks delivered goes out again.</param>
public sealed record Delivery(object Message, bool MayRepeat);

/// <summary>
/// Sends what the edges' queue carries to clients, a batch at a time: each room's events one after another, in
/// the order given, rooms side by side, and rejections and notifications in a lane of their own.
/// </summary>
/// <remarks>
/// A room event goes to the room. The recent-event cache is written first (a room's events of one batch at once),
/// so a client that sees an event live finds it in catch-up too; the Redis backplane carries the send to every
/// edge. A member who leaves or is removed or banned gets the event, then their connections stop receiving the
/// room. A rejection goes to its sender's devices, a notification to its user's.
/// </remarks>
public sealed partial class EdgeDeliverer(
    IRecentEvents recent,
    IHubContext<ChatHub, IChatClient> hub,
    IPresenceStore presence,
    ILogger<EdgeDeliverer> logger)
{
    public Task DeliverAsync(IReadOnlyList<Delivery> batch, CancellationToken cancellationToken) =>
        Task.WhenAll(batch
            .GroupBy(d => d.Message is RoomEvent e ? e.RoomId : Guid.Empty)
            .Select(lane => lane.Key == Guid.Empty
                ? DeliverToUsersAsync(lane, cancellationToken)
                : DeliverToRoomAsync(lane.ToList(), cancellationToken)));

    private async Task DeliverToUsersAsync(IEnumerable<Delivery> lane, CancellationToken cancellationToken)
    {
        foreach (var delivery in lane)
        {
            await (delivery.Message switch
            {
                MessageRejected m => hub.Clients.User(m.SenderId.ToString("D"))
                    .MessageRejected(new RejectionView(m.RoomId, m.ClientMessageId, m.MessageId, m.Reason, m.Request)),
                NotificationCreated n => hub.Clients.User(n.UserId.ToString("D")).NotificationReceived(
                    new NotificationView(n.NotificationId, n.Kind, n.RoomId, n.MessageId, n.Seq, n.SenderId,
                        n.SenderName, n.CreatedAt, null)),
                var other => throw new ArgumentException(
                    $"{other.GetType().Name} is not delivered here.", nameof(lane)),
            });
        }
    }

    /// <summary>
    /// One room's events of the batch: the whole run goes into the recent-event cache in one round trip, then
    /// each goes out in turn.
    /// </summary>
    private async Task DeliverToRoomAsync(List<Delivery> lane, CancellationToken cancellationToken)
    {
        var events = lane.Select(d => (RoomEvent)d.Message).ToList();
        var fresh = await recent.AppendAsync(events, cancellationToken);
        for (var i = 0; i < events.Count; i++)
        {
            // A number already in the cache was delivered before, unless that attempt failed after writing the
            // cache: then the broker redelivers, or the retry filter tries again, and it must go out.
            if (!fresh[i] && !lane[i].MayRepeat)
            {
                Log.Duplicate(logger, events[i].RoomId, events[i].Seq);
                continue;
            }

            await SendAsync(events[i], cancellationToken);
        }
    }

    private async Task SendAsync(RoomEvent roomEvent, CancellationToken cancellationToken)
    {
        if (roomEvent is { Type: RoomEventTypes.MessageDeleted, MessageId: Guid deleted })
        {
            await recent.EraseTextAsync(roomEvent.RoomId, deleted, cancellationToken);
        }

        var group = ChatHub.GroupName(roomEvent.RoomId);
        var room = hub.Clients.Group(group);
        await (roomEvent.Type == RoomEventTypes.MessagePosted ? room.MessageReceived(roomEvent) : room.RoomEvent(roomEvent));
        if (roomEvent.Type is RoomEventTypes.MemberLeft or RoomEventTypes.MemberRemoved or RoomEventTypes.MemberBanned
            && roomEvent.UserId is Guid gone)
        {
            // For a connection on another edge the backplane sends the removal at once and then waits for that
            // edge to acknowledge it; a connection that has just closed never does, and SignalR waits 30 s. Waiting
            // here would hold every room's delivery behind it, so only a failed acknowledgement is logged.
            foreach (var connectionId in await presence.ConnectionsInRoomAsync(roomEvent.RoomId, gone, cancellationToken))
            {
                _ = RemoveFromGroupAsync(connectionId, group);
            }
        }

        Log.Delivered(logger, roomEvent.RoomId, roomEvent.Seq, roomEvent.Type);
    }

    private async Task RemoveFromGroupAsync(string connectionId, string group)
    {
        try
        {
            await hub.Groups.RemoveFromGroupAsync(connectionId, group, CancellationToken.None);
        }
        catch (Exception ex)
        {
            Log.GroupRemovalUnconfirmed(logger, ex, connectionId, group);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6003, EventName = "GroupRemovalUnconfirmed", Level = LogLevel.Debug,
            Message = "No edge confirmed removing connection {ConnectionId} from {Group}; it has most likely closed")]
        public static partial void GroupRemovalUnconfirmed(ILogger logger, Exception exception, string connectionId, string group);

        [LoggerMessage(EventId = 6001, EventName = "EventDelivered", Level = LogLevel.Trace,
            Message = "Delivered {RoomId}#{Seq} ({Type})")]
        public static partial void Delivered(ILogger logger, Guid roomId, long seq, string type);

        [LoggerMessage(EventId = 6002, EventName = "DuplicateDelivery", Level = LogLevel.Debug,
            Message = "Skipped {RoomId}#{Seq}: already delivered")]
        public static partial void Duplicate(ILogger logger, Guid roomId, long seq);
    }
}
