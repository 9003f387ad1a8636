using System.Collections.Concurrent;
using EventChat.Api.Auth;
using EventChat.Api.History;
using EventChat.Api.Limits;
using EventChat.Api.Presence;
using EventChat.Api.Rooms;
using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using MassTransit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.Chat;

/// <summary>
/// The edge's hub. It checks each call, then hands the work to the pipeline: a sent message, or a change to one,
/// is acknowledged once RabbitMQ has confirmed it, and reaches the room only after moderation and storage.
/// Membership changes, read state and typing are answered here.
/// </summary>
[Authorize]
public sealed partial class ChatHub(
    RoomAccess rooms,
    MembershipCache memberships,
    MessageHistory messages,
    EventHistory events,
    ChatDbContext db,
    IPublishEndpoint publisher,
    PublishRetry publishRetry,
    PresenceTracker presence,
    RateLimiter limiter,
    ChatOptions options,
    TimeProvider clock,
    ILogger<ChatHub> logger) : Hub<IChatClient>
{
    public const int MaxSyncRooms = 200;
    public const int SyncPageSize = 500;
    public static readonly TimeSpan TypingInterval = TimeSpan.FromSeconds(2);

    private const string SubscribedRoomsKey = "rooms";
    private const string TypingKey = "typing";

    public static string GroupName(Guid roomId) => $"room:{roomId:N}";

    private Guid UserId => Context.User!.UserId();

    private string UserName => Context.User!.UserName();

    /// <summary>The rooms whose live stream this connection receives.</summary>
    private ConcurrentDictionary<Guid, byte> SubscribedRooms => ConnectionItem<Guid, byte>(SubscribedRoomsKey);

    public override async Task OnConnectedAsync()
    {
        try
        {
            await presence.ConnectedAsync(UserId, UserName, Context.ConnectionId, Context.ConnectionAborted);
        }
        catch (OperationCanceledException) when (Context.ConnectionAborted.IsCancellationRequested)
        {
            // The client left while it was being registered. Returning normally lets SignalR run
            // OnDisconnectedAsync, which removes whatever part of the registration was written.
            Log.LeftWhileConnecting(logger, UserId, Context.ConnectionId);
            return;
        }
        catch (Exception)
        {
            // SignalR closes the connection without running OnDisconnectedAsync, so undo the registration here.
            await UndoRegistrationAsync();
            throw;
        }

        Log.Connected(logger, UserId, Context.ConnectionId);
        await base.OnConnectedAsync();
    }

    private async Task UndoRegistrationAsync()
    {
        try
        {
            await presence.DisconnectedAsync(UserId, UserName, Context.ConnectionId, [], CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The presence store retries a removal Redis did not take at its next heartbeat.
            Log.RegistrationNotUndone(logger, ex, UserId, Context.ConnectionId);
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        IReadOnlyCollection<Guid> subscribed = Context.Items.TryGetValue(SubscribedRoomsKey, out var rooms)
            ? ((ConcurrentDictionary<Guid, byte>)rooms!).Keys.ToList()
            : [];
        await presence.DisconnectedAsync(UserId, UserName, Context.ConnectionId, subscribed,
            CancellationToken.None);
        Log.Disconnected(logger, UserId, Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Subscribes this connection to a room's live stream, joining it as a member first when it is public.</summary>
    public async Task<JoinRoomResult> JoinRoom(string roomId)
    {
        var id = ParseRoomId(roomId);
        var cancellationToken = Context.ConnectionAborted;
        var joined = await rooms.JoinAsync(id, UserId, UserName, cancellationToken);
        if (!joined.Succeeded)
        {
            throw new HubException(joined.Error);
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(id), cancellationToken);
        SubscribedRooms[id] = 0;
        await presence.SubscribedAsync(id, UserId, Context.ConnectionId, cancellationToken);

        // Read after joining the group: every event numbered above this one will also arrive live.
        var lastSeq = await rooms.LastSeqAsync(id, cancellationToken);
        return new JoinRoomResult(id, lastSeq);
    }

    /// <summary>Gives up the membership, and with it the live stream on every connection.</summary>
    public async Task LeaveRoom(string roomId)
    {
        var id = ParseRoomId(roomId);
        var left = await rooms.LeaveAsync(id, UserId, UserName, Context.ConnectionAborted);
        if (!left.Succeeded)
        {
            throw new HubException(left.Error);
        }

        await Unsubscribe(roomId);
    }

    /// <summary>Stops this connection's live stream of the room; the membership stays.</summary>
    public async Task Unsubscribe(string roomId)
    {
        var id = ParseRoomId(roomId);
        var cancellationToken = Context.ConnectionAborted;
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(id), cancellationToken);
        SubscribedRooms.TryRemove(id, out _);
        await presence.UnsubscribedAsync(id, UserId, Context.ConnectionId, cancellationToken);
    }

    /// <summary>
    /// Accepts a message for the room. The same <paramref name="clientMessageId"/> from the same sender is one
    /// message however often it is sent; the answer comes once RabbitMQ has confirmed the publish.
    /// </summary>
    public Task<SendMessageResult> SendMessage(string roomId, string clientMessageId, string text) =>
        SendAsync(roomId, clientMessageId, text, null);

    /// <summary>Like <see cref="SendMessage"/>, as an answer to another message of the same room.</summary>
    public async Task<SendMessageResult> SendReply(string roomId, string clientMessageId, string text, string replyToMessageId)
    {
        var parent = ParseMessageId(replyToMessageId, "replyToMessageId");
        return await SendAsync(roomId, clientMessageId, text, parent);
    }

    /// <summary>Replaces the text of one of the caller's own messages; moderation checks the new text.</summary>
    public async Task<ChangeResult> EditMessage(string roomId, string messageId, string text)
    {
        if (MessageRules.CheckText(text, options.MaxMessageLength) is string problem)
        {
            throw new HubException(problem);
        }

        var (room, message, stored) = await FindMessageAsync(roomId, messageId, speaking: true);
        if (stored is not null && stored.SenderId != UserId)
        {
            throw new HubException("Only the author may edit a message.");
        }

        return await RequestChangeAsync(room, message, MessageChanges.Edit, text, null);
    }

    /// <summary>Deletes a message, leaving a tombstone; its author or a room admin may.</summary>
    public async Task<ChangeResult> DeleteMessage(string roomId, string messageId)
    {
        var (room, message, stored) = await FindMessageAsync(roomId, messageId, allowDeleted: true);
        if (stored is not null && stored.SenderId != UserId
            && await rooms.RoleAsync(room, UserId, Context.ConnectionAborted) is not (RoomRole.Admin or RoomRole.Owner))
        {
            throw new HubException("Only the author or a room admin may delete a message.");
        }

        return await RequestChangeAsync(room, message, MessageChanges.Delete, null, null);
    }

    /// <summary>Adds the caller's reaction; each user has at most one of each emoji on a message.</summary>
    public async Task<ChangeResult> AddReaction(string roomId, string messageId, string emoji)
    {
        if (MessageRules.CheckEmoji(emoji) is string problem)
        {
            throw new HubException(problem);
        }

        var (room, message, _) = await FindMessageAsync(roomId, messageId);
        return await RequestChangeAsync(room, message, MessageChanges.React, null, emoji);
    }

    public async Task<ChangeResult> RemoveReaction(string roomId, string messageId, string emoji)
    {
        if (MessageRules.CheckEmoji(emoji) is string problem)
        {
            throw new HubException(problem);
        }

        var (room, message, _) = await FindMessageAsync(roomId, messageId, allowDeleted: true);
        return await RequestChangeAsync(room, message, MessageChanges.Unreact, null, emoji);
    }

    /// <summary>Moves the caller's read watermark forward; the room sees a receipt when it moves.</summary>
    public async Task<MarkReadResult> MarkRead(string roomId, long seq)
    {
        var id = ParseRoomId(roomId);
        if (seq < 0)
        {
            throw new HubException("seq must be 0 or more.");
        }

        var marked = await rooms.MarkReadAsync(id, UserId, seq, Context.ConnectionAborted)
            ?? throw new HubException($"You are not a member of room {id}.");
        if (marked.Moved)
        {
            await Clients.Group(GroupName(id)).ReadReceipt(new ReadReceiptView(id, UserId, UserName, marked.LastReadSeq));
        }

        return new MarkReadResult(id, marked.LastReadSeq);
    }

    /// <summary>
    /// Tells the room's other connections that the caller is typing. It goes over the backplane only, never to
    /// RabbitMQ or the database, and a connection's calls closer together than <see cref="TypingInterval"/> are
    /// accepted and dropped.
    /// </summary>
    public async Task Typing(string roomId)
    {
        var id = ParseRoomId(roomId);
        await EnsureMemberAsync(id);
        var lastSent = ConnectionItem<Guid, long>(TypingKey);
        var now = clock.GetTimestamp();
        var previous = lastSent.GetValueOrDefault(id);
        if (previous != 0 && clock.GetElapsedTime(previous, now) < TypingInterval)
        {
            return;
        }

        lastSent[id] = now;

        // Someone whom others see offline must not give themselves away by typing.
        if (await presence.IsSeenOnlineAsync(UserId, Context.ConnectionAborted))
        {
            await Clients.OthersInGroup(GroupName(id)).UserTyping(new TypingView(id, UserId, UserName));
        }
    }

    /// <summary>
    /// Catches up on many rooms in one round trip: for each, the events after the client's last number, up to
    /// <see cref="SyncPageSize"/> (then <c>hasMore</c>). A room the caller may not read gets an error entry of its own.
    /// </summary>
    public async Task<IReadOnlyList<EventPage>> Sync(SyncRequest[] requests)
    {
        if (requests is null)
        {
            throw new HubException("Sync takes a list of {roomId, afterSeq} entries.");
        }

        if (requests.Length > MaxSyncRooms)
        {
            throw new HubException($"Sync takes at most {MaxSyncRooms} rooms per call.");
        }

        var cancellationToken = Context.ConnectionAborted;
        var wanted = requests
            .Select(r => Guid.TryParse(r?.RoomId, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .Distinct()
            .ToList();
        var known = await db.Rooms.AsNoTracking()
            .Where(r => wanted.Contains(r.Id))
            .Select(r => new { r.Id, r.Visibility, r.LastSeq, r.FirstSeq })
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        var memberOf = await db.RoomMembers.AsNoTracking()
            .Where(m => m.UserId == UserId && wanted.Contains(m.RoomId))
            .Select(m => m.RoomId)
            .ToListAsync(cancellationToken);

        var pages = new List<EventPage>(requests.Length);
        var asked = new HashSet<Guid>();
        var budget = new CatchUpBudget();
        foreach (var request in requests)
        {
            if (request is null || !Guid.TryParse(request.RoomId, out var id))
            {
                pages.Add(EventPage.Failed(Guid.Empty, "roomId is not a valid room id."));
            }
            else if (request.AfterSeq < 0)
            {
                pages.Add(EventPage.Failed(id, "afterSeq must be 0 or more."));
            }
            else if (!known.TryGetValue(id, out var room)
                     || (room.Visibility == RoomVisibility.Private && !memberOf.Contains(id)))
            {
                pages.Add(EventPage.Failed(id, $"Room {id} does not exist, or it is private and you are not a member."));
            }
            else if (!asked.Add(id))
            {
                pages.Add(EventPage.Failed(id, $"Room {id} is asked for more than once in this call."));
            }
            else
            {
                var limit = Math.Min(SyncPageSize, budget.EventsLeft);
                pages.Add(budget.Take(await events.ReadAsync(id, request.AfterSeq, limit, room.LastSeq, room.FirstSeq,
                    cancellationToken)));
            }
        }

        return pages;
    }

    /// <summary>In invisible mode the caller appears offline to everyone else, on every device.</summary>
    public Task SetInvisible(bool invisible) =>
        presence.SetInvisibleAsync(UserId, UserName, invisible, Context.ConnectionAborted);

    private async Task<SendMessageResult> SendAsync(string roomId, string clientMessageId, string text, Guid? replyTo)
    {
        var id = ParseRoomId(roomId);
        var problem = MessageRules.CheckClientMessageId(clientMessageId, options.MaxClientMessageIdLength)
            ?? MessageRules.CheckText(text, options.MaxMessageLength);
        if (problem is not null)
        {
            throw new HubException(problem);
        }

        var cancellationToken = Context.ConnectionAborted;
        await EnsureMemberAsync(id, speaking: true);
        await limiter.EnsureAsync(limiter.Messages, UserId, cancellationToken);
        if (replyTo is Guid parent)
        {
            await CheckStoredAsync(id, parent, allowDeleted: false, cancellationToken);
        }

        var messageId = MessageRules.MessageIdFor(UserId, clientMessageId);
        var sent = new MessageSent(messageId, id, clientMessageId, UserId, UserName, text,
            RoomStreamTime(), replyTo);
        await PublishAsync(sent, messageId);
        Log.Accepted(logger, messageId, id);
        return new SendMessageResult(messageId, clientMessageId);
    }

    private async Task<ChangeResult> RequestChangeAsync(
        Guid roomId, Guid messageId, string change, string? text, string? emoji)
    {
        await limiter.EnsureAsync(limiter.Messages, UserId, Context.ConnectionAborted);
        var changeId = Guid.CreateVersion7();
        await PublishAsync(
            new MessageChangeRequested(changeId, roomId, messageId, change, UserId, UserName, text, emoji,
                RoomStreamTime()),
            messageId);
        return new ChangeResult(changeId);
    }

    private async Task PublishAsync<T>(T message, Guid messageId)
        where T : class
    {
        try
        {
            // Not cut short when the client leaves: the send goes through or fails on its own (within the retry's
            // deadline), and a client that sends again with the same id gets the one stored message.
            await publishRetry.ExecuteAsync(ct => new ValueTask(publisher.Publish(message, ct)), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.PublishFailed(logger, ex, messageId);
            throw new HubException("The request could not be accepted right now. Send it again.");
        }
    }

    /// <summary>
    /// The message a change is for, in a room the caller belongs to. A stored message is checked here, for a quick
    /// answer: unless allowed, it must not be deleted. One that is not stored may still be on its way: it was
    /// acknowledged, and sits ahead of this change in the queues, which are handled in order. So it is passed on
    /// unchecked, and persistence refuses the change with <c>MessageRejected</c> if the message never arrives.
    /// </summary>
    private async Task<(Guid RoomId, Guid MessageId, StoredMessage? Stored)> FindMessageAsync(
        string roomId, string messageId, bool allowDeleted = false, bool speaking = false)
    {
        var id = ParseRoomId(roomId);
        var message = ParseMessageId(messageId, "messageId");
        await EnsureMemberAsync(id, speaking);
        var stored = await CheckStoredAsync(id, message, allowDeleted, Context.ConnectionAborted);
        return (id, message, stored);
    }

    /// <summary>Refuses at once a stored message of another room, or, unless allowed, a deleted one.</summary>
    private async Task<StoredMessage?> CheckStoredAsync(
        Guid roomId, Guid messageId, bool allowDeleted, CancellationToken cancellationToken)
    {
        var stored = await messages.FindAnywhereAsync(messageId, cancellationToken);
        if (stored is not null && stored.RoomId != roomId)
        {
            throw new HubException($"Message {messageId} is not in room {roomId}.");
        }

        if (!allowDeleted && stored?.DeletedAt is not null)
        {
            throw new HubException($"Message {messageId} was deleted.");
        }

        return stored;
    }

    /// <summary>
    /// Refuses a caller who is not a member, and, when <paramref name="speaking"/> (new text: a message, a reply or
    /// an edit), one who is muted in the room.
    /// </summary>
    private async Task EnsureMemberAsync(Guid roomId, bool speaking = false)
    {
        DateTimeOffset? mutedUntil;
        if (memberships.Holds(roomId, UserId))
        {
            mutedUntil = memberships.MutedUntil(roomId, UserId);
        }
        else
        {
            var checkStarted = memberships.BeginCheck();
            var (member, until) = await rooms.MembershipAsync(roomId, UserId, Context.ConnectionAborted);
            if (!member)
            {
                throw new HubException($"You are not a member of room {roomId}; join it first.");
            }

            memberships.Confirm(roomId, UserId, checkStarted, until);
            mutedUntil = until;
        }

        if (speaking && mutedUntil is DateTimeOffset muted)
        {
            throw new HubException($"You are muted in room {roomId} until {muted:O}.");
        }
    }

    /// <summary>PostgreSQL keeps microseconds; rounding here makes history and the live stream carry the same time.</summary>
    private DateTimeOffset RoomStreamTime() => Infrastructure.Streams.RoomStream.Now(clock);

    /// <summary>A per-connection map, made on first use so a connection that never joins or types carries none.</summary>
    private ConcurrentDictionary<TKey, TValue> ConnectionItem<TKey, TValue>(string key)
        where TKey : notnull
    {
        if (!Context.Items.TryGetValue(key, out var item))
        {
            item = new ConcurrentDictionary<TKey, TValue>();
            Context.Items[key] = item;
        }

        return (ConcurrentDictionary<TKey, TValue>)item!;
    }

    private static Guid ParseRoomId(string? roomId) =>
        Guid.TryParse(roomId, out var id) ? id : throw new HubException("roomId is not a valid room id.");

    private static Guid ParseMessageId(string? messageId, string name) =>
        Guid.TryParse(messageId, out var id) ? id : throw new HubException($"{name} is not a valid message id.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, EventName = "Connected", Level = LogLevel.Debug,
            Message = "User {UserId} connected as {ConnectionId}")]
        public static partial void Connected(ILogger logger, Guid userId, string connectionId);

        [LoggerMessage(EventId = 5015, EventName = "LeftWhileConnecting", Level = LogLevel.Debug,
            Message = "User {UserId} closed {ConnectionId} before it was registered")]
        public static partial void LeftWhileConnecting(ILogger logger, Guid userId, string connectionId);

        [LoggerMessage(EventId = 5016, EventName = "RegistrationNotUndone", Level = LogLevel.Warning,
            Message = "Could not undo the registration of {ConnectionId} of user {UserId}, which failed to connect")]
        public static partial void RegistrationNotUndone(ILogger logger, Exception exception, Guid userId, string connectionId);

        [LoggerMessage(EventId = 5002, EventName = "Disconnected", Level = LogLevel.Debug,
            Message = "User {UserId} disconnected from {ConnectionId}")]
        public static partial void Disconnected(ILogger logger, Guid userId, string connectionId);

        [LoggerMessage(EventId = 5003, EventName = "MessageAccepted", Level = LogLevel.Trace,
            Message = "Accepted message {MessageId} for room {RoomId}")]
        public static partial void Accepted(ILogger logger, Guid messageId, Guid roomId);

        [LoggerMessage(EventId = 5004, EventName = "PublishFailed", Level = LogLevel.Warning,
            Message = "Could not publish for message {MessageId}; the client was told to retry")]
        public static partial void PublishFailed(ILogger logger, Exception exception, Guid messageId);
    }
}
