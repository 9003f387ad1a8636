using System.Collections.Concurrent;
using EventChat.Api.Auth;
using EventChat.Api.Rooms;
using EventChat.Contracts;
using EventChat.Infrastructure.Presence;
using MassTransit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.Api.Chat;

/// <summary>
/// The edge's hub. It checks each call, then hands the work to the pipeline: a sent message is acknowledged once
/// RabbitMQ has confirmed <see cref="MessageSent"/>, and reaches the room only after moderation and storage.
/// </summary>
[Authorize]
public sealed partial class ChatHub(
    RoomAccess rooms,
    IPublishEndpoint publisher,
    PublishRetry publishRetry,
    IPresenceStore presence,
    ChatOptions options,
    TimeProvider clock,
    ILogger<ChatHub> logger) : Hub<IChatClient>
{
    private const string JoinedRoomsKey = "rooms";

    public static string GroupName(Guid roomId) => $"room:{roomId:N}";

    private Guid UserId => Context.User!.UserId();

    private ConcurrentDictionary<Guid, byte> JoinedRooms =>
        (ConcurrentDictionary<Guid, byte>)Context.Items[JoinedRoomsKey]!;

    public override async Task OnConnectedAsync()
    {
        Context.Items[JoinedRoomsKey] = new ConcurrentDictionary<Guid, byte>();
        await presence.ConnectedAsync(UserId, Context.ConnectionId, Context.ConnectionAborted);
        Log.Connected(logger, UserId, Context.ConnectionId);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await presence.DisconnectedAsync(UserId, Context.ConnectionId, JoinedRooms.Keys.ToList(), CancellationToken.None);
        Log.Disconnected(logger, UserId, Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Subscribes this connection to a room, joining it as a member first when it is public.</summary>
    public async Task<JoinRoomResult> JoinRoom(string roomId)
    {
        var id = ParseRoomId(roomId);
        var cancellationToken = Context.ConnectionAborted;
        var user = Context.User!;
        var outcome = await rooms.JoinAsync(id, user.UserId(), user.UserName(), cancellationToken);
        if (outcome == JoinOutcome.NotFound)
        {
            throw new HubException($"Room {id} does not exist, or it is private and you are not a member.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(id), cancellationToken);
        JoinedRooms[id] = 0;
        await presence.JoinedAsync(id, UserId, Context.ConnectionId, cancellationToken);

        // Read after joining the group: every message numbered above this one will also arrive live.
        var lastSeq = await rooms.LastSeqAsync(id, cancellationToken);
        return new JoinRoomResult(id, lastSeq);
    }

    /// <summary>Stops this connection's live feed of the room and gives up the membership (an owner keeps it).</summary>
    public async Task LeaveRoom(string roomId)
    {
        var id = ParseRoomId(roomId);
        var cancellationToken = Context.ConnectionAborted;
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(id), cancellationToken);
        JoinedRooms.TryRemove(id, out _);
        await presence.LeftAsync(id, UserId, Context.ConnectionId, cancellationToken);
        await rooms.LeaveAsync(id, UserId, cancellationToken);
    }

    /// <summary>
    /// Accepts a message for the room. The same <paramref name="clientMessageId"/> from the same sender is one
    /// message however often it is sent; the answer comes once RabbitMQ has confirmed the publish.
    /// </summary>
    public async Task<SendMessageResult> SendMessage(string roomId, string clientMessageId, string text)
    {
        var id = ParseRoomId(roomId);
        var problem = MessageRules.CheckClientMessageId(clientMessageId, options.MaxClientMessageIdLength)
            ?? MessageRules.CheckText(text, options.MaxMessageLength);
        if (problem is not null)
        {
            throw new HubException(problem);
        }

        var cancellationToken = Context.ConnectionAborted;
        if (!JoinedRooms.ContainsKey(id) && !await rooms.IsMemberAsync(id, UserId, cancellationToken))
        {
            throw new HubException($"You are not a member of room {id}; join it first.");
        }

        var messageId = MessageRules.MessageIdFor(UserId, clientMessageId);
        var sent = new MessageSent(messageId, id, clientMessageId, UserId, Context.User!.UserName(), text,
            TruncateToMicroseconds(clock.GetUtcNow()));
        try
        {
            await publishRetry.ExecuteAsync(ct => new ValueTask(publisher.Publish(sent, ct)), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.PublishFailed(logger, ex, messageId);
            throw new HubException(
                "The message could not be accepted right now. Send it again with the same clientMessageId.");
        }

        Log.Accepted(logger, messageId, id);
        return new SendMessageResult(messageId, clientMessageId);
    }

    /// <summary>PostgreSQL keeps microseconds; rounding here makes history and the live stream carry the same time.</summary>
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset time) =>
        time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMicrosecond));

    private static Guid ParseRoomId(string? roomId) =>
        Guid.TryParse(roomId, out var id) ? id : throw new HubException("roomId is not a valid room id.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, EventName = "Connected", Level = LogLevel.Debug,
            Message = "User {UserId} connected as {ConnectionId}")]
        public static partial void Connected(ILogger logger, Guid userId, string connectionId);

        [LoggerMessage(EventId = 5002, EventName = "Disconnected", Level = LogLevel.Debug,
            Message = "User {UserId} disconnected from {ConnectionId}")]
        public static partial void Disconnected(ILogger logger, Guid userId, string connectionId);

        [LoggerMessage(EventId = 5003, EventName = "MessageAccepted", Level = LogLevel.Trace,
            Message = "Accepted message {MessageId} for room {RoomId}")]
        public static partial void Accepted(ILogger logger, Guid messageId, Guid roomId);

        [LoggerMessage(EventId = 5004, EventName = "PublishFailed", Level = LogLevel.Warning,
            Message = "Could not publish message {MessageId}; the client was told to retry")]
        public static partial void PublishFailed(ILogger logger, Exception exception, Guid messageId);
    }
}
