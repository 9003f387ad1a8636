using EventChat.Api.Limits;
using EventChat.Api.Rooms;
using EventChat.Contracts;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Outbox;
using EventChat.Infrastructure.Moderation;
using EventChat.Infrastructure.Redis;
using EventChat.Infrastructure.Streams;
using EventChat.UnitTests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventChat.UnitTests.Rooms;

/// <summary>Membership rules on SQLite, and the events they number into the room's stream.</summary>
public sealed class When_room_membership_changes : IAsyncLifetime
{
    private readonly MembershipCache _memberships =
        new(TimeProvider.System, new MembershipNotices(new RedisOptions(), NullLogger<MembershipNotices>.Instance));

    private readonly RateLimiter _limiter = new(
        new InMemoryRateLimitStore(TimeProvider.System), new LimitsOptions(), NullLogger<RateLimiter>.Instance);

    private TempDatabase _database = null!;
    private Guid _owner;
    private Guid _alice;
    private Guid _bob;
    private Guid _room;

    public async Task InitializeAsync()
    {
        _database = await TempDatabase.CreateAsync();
        _owner = await UserAsync("owner1");
        _alice = await UserAsync("alice");
        _bob = await UserAsync("bob");
        _room = await AccessAsync(a => a.CreateAsync("general", RoomVisibility.Public, _owner, "owner1", default));
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Should_number_each_change_into_the_stream_without_gaps()
    {
        await AccessAsync(a => a.JoinAsync(_room, _alice, "alice", default));
        await AccessAsync(a => a.AddMemberAsync(_room, _owner, "owner1", _bob, default));
        await AccessAsync(a => a.ChangeRoleAsync(_room, _owner, "owner1", _bob, RoomRole.Admin, default));
        await AccessAsync(a => a.UpdateAsync(_room, _bob, "bob", "lobby", null, default));
        await AccessAsync(a => a.RemoveMemberAsync(_room, _bob, "bob", _alice, default));

        var events = await EventsAsync();
        Assert.Equal([1L, 2, 3, 4, 5], events.Select(e => e.Seq));
        Assert.Equal(
            [
                RoomEventTypes.MemberJoined, RoomEventTypes.MemberAdded, RoomEventTypes.MemberRoleChanged,
                RoomEventTypes.RoomRenamed, RoomEventTypes.MemberRemoved,
            ],
            events.Select(e => e.Type));
        Assert.Equal("lobby", events[3].RoomName);
        Assert.Equal((_alice, "alice"), (events[4].UserId!.Value, events[4].UserName!));
    }

    [Fact]
    public async Task Should_append_nothing_when_nothing_changes()
    {
        await AccessAsync(a => a.JoinAsync(_room, _alice, "alice", default));
        var again = await AccessAsync(a => a.JoinAsync(_room, _alice, "alice", default));

        Assert.Equal(RoomOutcome.Unchanged, again.Outcome);
        Assert.Single(await EventsAsync());
    }

    [Fact]
    public async Task Should_keep_the_owner_until_ownership_is_handed_over()
    {
        await AccessAsync(a => a.JoinAsync(_room, _alice, "alice", default));

        var leave = await AccessAsync(a => a.LeaveAsync(_room, _owner, "owner1", default));
        Assert.Equal(RoomOutcome.Conflict, leave.Outcome);

        await AccessAsync(a => a.ChangeRoleAsync(_room, _owner, "owner1", _alice, RoomRole.Owner, default));
        var left = await AccessAsync(a => a.LeaveAsync(_room, _owner, "owner1", default));

        Assert.Equal(RoomOutcome.Done, left.Outcome);
        using var db = _database.Open();
        var room = await db.Rooms.SingleAsync(r => r.Id == _room);
        Assert.Equal(_alice, room.OwnerId);
        Assert.Equal(RoomRole.Owner, (await db.RoomMembers.SingleAsync(m => m.RoomId == _room && m.UserId == _alice)).Role);
        Assert.Equal(room.LastSeq, (await EventsAsync()).Count);
    }

    [Fact]
    public async Task Should_let_only_the_owner_and_admins_manage_members()
    {
        await AccessAsync(a => a.JoinAsync(_room, _alice, "alice", default));

        var add = await AccessAsync(a => a.AddMemberAsync(_room, _alice, "alice", _bob, default));
        var rename = await AccessAsync(a => a.UpdateAsync(_room, _alice, "alice", "mine now", null, default));
        var promote = await AccessAsync(a => a.ChangeRoleAsync(_room, _alice, "alice", _alice, RoomRole.Admin, default));
        var removeOwner = await AccessAsync(a => a.RemoveMemberAsync(_room, _alice, "alice", _owner, default));

        Assert.All([add, rename, promote, removeOwner], r => Assert.Equal(RoomOutcome.Forbidden, r.Outcome));
        Assert.Single(await EventsAsync());
    }

    [Fact]
    public async Task Should_open_one_direct_room_per_pair_whichever_side_opens_it()
    {
        var first = await AccessAsync(a => a.OpenDirectAsync(_alice, _bob, default));
        var second = await AccessAsync(a => a.OpenDirectAsync(_bob, _alice, default));

        Assert.True(first!.Value.Created);
        Assert.False(second!.Value.Created);
        Assert.Equal(first.Value.RoomId, second.Value.RoomId);
        Assert.Null(await AccessAsync(a => a.OpenDirectAsync(_alice, Guid.NewGuid(), default)));
    }

    [Fact]
    public async Task Should_move_the_read_watermark_forward_only_and_never_past_the_end()
    {
        await AccessAsync(a => a.JoinAsync(_room, _alice, "alice", default));
        await AccessAsync(a => a.AddMemberAsync(_room, _owner, "owner1", _bob, default));

        var past = await AccessAsync(a => a.MarkReadAsync(_room, _alice, 99, default));
        var back = await AccessAsync(a => a.MarkReadAsync(_room, _alice, 1, default));
        var stranger = await AccessAsync(a => a.MarkReadAsync(_room, Guid.NewGuid(), 1, default));

        Assert.Equal((2L, true), past);
        Assert.Equal((2L, false), back);
        Assert.Null(stranger);
    }

    [Fact]
    public async Task Should_forget_a_remembered_membership_as_soon_as_it_ends()
    {
        await AccessAsync(a => a.JoinAsync(_room, _alice, "alice", default));
        await AccessAsync(a => a.AddMemberAsync(_room, _owner, "owner1", _bob, default));
        _memberships.Confirm(_room, _alice, _memberships.BeginCheck());
        _memberships.Confirm(_room, _bob, _memberships.BeginCheck());

        await AccessAsync(a => a.LeaveAsync(_room, _alice, "alice", default));
        await AccessAsync(a => a.RemoveMemberAsync(_room, _owner, "owner1", _bob, default));

        Assert.False(_memberships.Holds(_room, _alice));
        Assert.False(_memberships.Holds(_room, _bob));
    }

    private async Task<T> AccessAsync<T>(Func<RoomAccess, Task<T>> use)
    {
        using var db = _database.Open();
        return await use(new RoomAccess(db, new OutboxSignal(), _memberships, _limiter, TimeProvider.System))
            .WaitAsync(Within.Timeout);
    }

    private async Task<Guid> UserAsync(string name)
    {
        using var db = _database.Open();
        var user = new User
        {
            Id = Guid.NewGuid(),
            UserName = name,
            NormalizedUserName = name,
            PasswordHash = "not-a-real-hash",
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    private async Task<List<RoomEvent>> EventsAsync()
    {
        using var db = _database.Open();
        var rows = await db.Events.AsNoTracking().Where(e => e.RoomId == _room).OrderBy(e => e.Seq).ToListAsync();
        return rows.Select(RoomStream.Read).ToList();
    }
}
