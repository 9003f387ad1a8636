using System.Text.Json;
using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Outbox;
using EventChat.Infrastructure.Presence;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Notifications;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EventChat.UnitTests.Notifications;

/// <summary>
/// The notification consumer, registered with its definition, on a SQLite file of its own, with presence kept in
/// memory so that a test decides who is online.
/// </summary>
public sealed class NotificationHarness
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ServiceProvider _provider;

    private NotificationHarness(TempDatabase database, ServiceProvider provider)
    {
        Database = database;
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Presence = provider.GetRequiredService<IPresenceStore>();
    }

    public TempDatabase Database { get; }

    public ITestHarness Harness { get; }

    public IPresenceStore Presence { get; }

    public static async Task<NotificationHarness> StartAsync()
    {
        var database = await TempDatabase.CreateAsync().WaitAsync(Within.Timeout);
        var provider = new ServiceCollection()
            .AddLogging()
            .AddDbContext<ChatDbContext>(database.Configure)
            .AddSingleton<OutboxSignal>()
            .AddSingleton<RoomKinds>()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IPresenceStore, InMemoryPresenceStore>()
            .AddMassTransitTestHarness(x => x.AddConsumer<NotificationConsumer, NotificationConsumerDefinition>())
            .BuildServiceProvider(validateScopes: true);

        var notifications = new NotificationHarness(database, provider);
        await notifications.Harness.Start().WaitAsync(Within.Timeout);
        return notifications;
    }

    public async Task<Guid> AddUserAsync(string name)
    {
        var user = new User
        {
            Id = Guid.NewGuid(),
            UserName = name,
            NormalizedUserName = name.ToLowerInvariant(),
            PasswordHash = "not-a-real-hash",
            CreatedAt = DateTimeOffset.UtcNow,
        };
        using var db = Database.Open();
        db.Users.Add(user);
        await db.SaveChangesAsync().WaitAsync(Within.Timeout);
        return user.Id;
    }

    /// <summary>Adds a room owned by the first of <paramref name="members"/>, with all of them as members.</summary>
    public async Task<Guid> AddRoomAsync(RoomKind kind, params Guid[] members)
    {
        var room = new Room
        {
            Id = Guid.NewGuid(),
            Name = $"room-{kind}",
            NormalizedName = $"room-{kind}".ToLowerInvariant(),
            Kind = kind,
            Visibility = kind == RoomKind.Channel ? RoomVisibility.Public : RoomVisibility.Private,
            OwnerId = members[0],
            CreatedAt = DateTimeOffset.UtcNow,
        };
        using var db = Database.Open();
        db.Rooms.Add(room);
        foreach (var member in members)
        {
            db.RoomMembers.Add(new RoomMember
            {
                RoomId = room.Id,
                UserId = member,
                Role = member == members[0] ? RoomRole.Owner : RoomRole.Member,
                JoinedAt = DateTimeOffset.UtcNow,
            });
        }

        await db.SaveChangesAsync().WaitAsync(Within.Timeout);
        return room.Id;
    }

    public async Task MuteAsync(Guid roomId, Guid userId)
    {
        using var db = Database.Open();
        await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Muted, true))
            .WaitAsync(Within.Timeout);
    }

    /// <summary>Stores a message, as the persistence worker would have, so that a later one can reply to it.</summary>
    public async Task<Guid> AddMessageAsync(Guid roomId, long seq, Guid senderId)
    {
        var message = new StoredMessage
        {
            RoomId = roomId,
            Seq = seq,
            MessageId = Guid.NewGuid(),
            ClientMessageId = $"c-{seq}",
            SenderId = senderId,
            SenderName = "someone",
            Text = $"message {seq}",
            SentAt = DateTimeOffset.UtcNow,
            PostedAt = DateTimeOffset.UtcNow,
        };
        using var db = Database.Open();
        db.Messages.Add(message);
        await db.SaveChangesAsync().WaitAsync(Within.Timeout);
        return message.MessageId;
    }

    public Task GoOnlineAsync(Guid userId) =>
        Presence.ConnectedAsync(userId, $"connection-{userId:N}", _ => Task.FromResult(false), CancellationToken.None)
            .WaitAsync(Within.Timeout);

    public static RoomEvent Posted(Guid roomId, long seq, Guid senderId, string text, Guid? replyTo = null) =>
        new(roomId, seq, RoomEventTypes.MessagePosted, DateTimeOffset.UtcNow, senderId, "sender",
            MessageId: Guid.NewGuid(), ClientMessageId: $"c-{Guid.NewGuid():N}", Text: text,
            ReplyToMessageId: replyTo, SentAt: DateTimeOffset.UtcNow);

    public Task PublishAsync(RoomEvent roomEvent) => Harness.Bus.Publish(roomEvent).WaitAsync(Within.Timeout);

    /// <summary>Publishes <paramref name="roomEvent"/> and waits until it has been consumed without a fault.</summary>
    public async Task DeliverAsync(RoomEvent roomEvent, int consumedBefore = 0)
    {
        await PublishAsync(roomEvent);
        await Within.UntilAsync(
            () => Harness.ConsumedSoFar<RoomEvent>().Count > consumedBefore, "the RoomEvent is consumed");
        Assert.All(Harness.ConsumedSoFar<RoomEvent>(), m => Assert.Null(m.Exception));
    }

    public async Task<List<Notification>> NotificationsAsync()
    {
        using var db = Database.Open();
        return await db.Notifications.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout);
    }

    /// <summary>The users that a <see cref="NotificationCreated"/> waits in the outbox for, to be pushed.</summary>
    public async Task<List<Guid>> PushedToAsync()
    {
        using var db = Database.Open();
        var rows = await db.Outbox.AsNoTracking()
            .Where(m => m.MessageType == nameof(NotificationCreated))
            .Select(m => m.Payload)
            .ToListAsync()
            .WaitAsync(Within.Timeout);
        return rows
            .Select(p => JsonSerializer.Deserialize<NotificationCreated>(p, Json)!.UserId)
            .ToList();
    }

    public async Task StopAsync()
    {
        await _provider.DisposeAsync().AsTask().WaitAsync(Within.Timeout);
        Database.Dispose();
    }
}
