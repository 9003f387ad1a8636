using EventChat.Api.Chat;
using EventChat.Api.Presence;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Presence;
using EventChat.UnitTests.TestSupport;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventChat.UnitTests.Presence;

public sealed class When_the_tracker_reports_presence : IDisposable
{
    private readonly PresenceFixture _presence = new();
    private readonly Guid _alice = Guid.NewGuid();
    private readonly Guid _bob = Guid.NewGuid();
    private readonly Guid _shared = Guid.NewGuid();
    private readonly Guid _alicesOwn = Guid.NewGuid();
    private readonly (IHubContext<ChatHub, IChatClient> Hub, RecordingHub Recorder) _hub = RecordingHub.Create();

    private TempDatabase? _database;

    public void Dispose() => _database?.Dispose();

    [Fact]
    public async Task Should_push_a_change_to_every_room_the_user_belongs_to()
    {
        using var db = await SeedAsync();
        var tracker = Tracker(db);

        await tracker.ConnectedAsync(_alice, "alice", "phone", CancellationToken.None).WaitAsync(Within.Timeout);
        await tracker.ConnectedAsync(_alice, "alice", "laptop", CancellationToken.None).WaitAsync(Within.Timeout);

        var (groups, method, argument) = Assert.Single(_hub.Recorder.Sent);
        Assert.Equal(nameof(IChatClient.PresenceChanged), method);
        Assert.Equal(new[] { ChatHub.GroupName(_alicesOwn), ChatHub.GroupName(_shared) }.Order(), groups.Order());
        Assert.Equal(new PresenceView(_alice, "alice", true, null), argument);
    }

    [Fact]
    public async Task Should_store_invisibility_and_push_it_as_going_offline()
    {
        using var db = await SeedAsync();
        var tracker = Tracker(db);
        await tracker.ConnectedAsync(_bob, "bob", "phone", CancellationToken.None).WaitAsync(Within.Timeout);

        await tracker.SetInvisibleAsync(_bob, "bob", true, CancellationToken.None).WaitAsync(Within.Timeout);

        using var check = _database!.Open();
        Assert.True(await check.Users.Where(u => u.Id == _bob).Select(u => u.Invisible).SingleAsync());
        Assert.Equal(
            new PresenceView(_bob, "bob", false, PresenceFixture.Start),
            _hub.Recorder.Sent[^1].Argument);
    }

    [Fact]
    public async Task Should_answer_with_names_and_leave_out_unknown_ids()
    {
        using var db = await SeedAsync();
        var tracker = Tracker(db);
        await tracker.ConnectedAsync(_bob, "bob", "phone", CancellationToken.None).WaitAsync(Within.Timeout);

        var views = await tracker.GetAsync([_bob, Guid.NewGuid(), _alice], CancellationToken.None)
            .WaitAsync(Within.Timeout);

        Assert.Equal(
            [new PresenceView(_bob, "bob", true, null), new PresenceView(_alice, "alice", false, null)], views);
    }

    [Fact]
    public async Task Should_push_users_a_sweep_took_offline()
    {
        using var db = await SeedAsync();
        var tracker = Tracker(db);
        var gone = PresenceStatus.WentOffline(_bob, PresenceFixture.Start);

        await tracker.PublishAsync([gone], CancellationToken.None).WaitAsync(Within.Timeout);

        var (groups, _, argument) = Assert.Single(_hub.Recorder.Sent);
        Assert.Equal([ChatHub.GroupName(_shared)], groups);
        Assert.Equal(new PresenceView(_bob, "bob", false, PresenceFixture.Start), argument);
    }

    private PresenceTracker Tracker(ChatDbContext db) =>
        new(_presence.Store, db, _hub.Hub, NullLogger<PresenceTracker>.Instance);

    /// <summary>Alice belongs to a room of her own and to one she shares with Bob.</summary>
    private async Task<ChatDbContext> SeedAsync()
    {
        _database = await TempDatabase.CreateAsync();
        var db = _database.Open();
        db.Users.AddRange(User(_alice, "alice"), User(_bob, "bob"));
        db.Rooms.AddRange(Room(_shared, "shared"), Room(_alicesOwn, "alices-own"));
        db.RoomMembers.AddRange(Member(_shared, _alice), Member(_shared, _bob), Member(_alicesOwn, _alice));
        await db.SaveChangesAsync().WaitAsync(Within.Timeout);
        return db;
    }

    private static User User(Guid id, string name) => new()
    {
        Id = id,
        UserName = name,
        NormalizedUserName = name,
        PasswordHash = "not-a-real-hash",
        CreatedAt = PresenceFixture.Start,
    };

    private Room Room(Guid id, string name) => new()
    {
        Id = id,
        Name = name,
        NormalizedName = name,
        Visibility = RoomVisibility.Public,
        OwnerId = _alice,
        CreatedAt = PresenceFixture.Start,
    };

    private static RoomMember Member(Guid roomId, Guid userId) => new()
    {
        RoomId = roomId,
        UserId = userId,
        Role = RoomRole.Member,
        JoinedAt = PresenceFixture.Start,
    };
}
