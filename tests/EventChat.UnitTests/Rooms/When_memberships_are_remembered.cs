using EventChat.Api.Rooms;
using EventChat.Infrastructure.Moderation;
using EventChat.Infrastructure.Redis;
using EventChat.UnitTests.Presence;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventChat.UnitTests.Rooms;

public sealed class When_memberships_are_remembered
{
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly Guid _room = Guid.NewGuid();
    private readonly Guid _user = Guid.NewGuid();

    private MembershipCache Cache() => new(_clock, new MembershipNotices(new RedisOptions(), NullLogger<MembershipNotices>.Instance));

    [Fact]
    public void Should_hold_a_confirmed_membership_only_for_its_lifetime()
    {
        var cache = Cache();
        Assert.False(cache.Holds(_room, _user));

        cache.Confirm(_room, _user, cache.BeginCheck());
        _clock.Advance(MembershipCache.Lifetime - TimeSpan.FromSeconds(1));
        Assert.True(cache.Holds(_room, _user));
        Assert.False(cache.Holds(_room, Guid.NewGuid()));
        Assert.False(cache.Holds(Guid.NewGuid(), _user));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.Holds(_room, _user));
    }

    [Fact]
    public async Task Should_forget_a_membership_that_ended()
    {
        var cache = Cache();
        cache.Confirm(_room, _user, cache.BeginCheck());

        await cache.ChangedAsync(_room, _user);

        Assert.False(cache.Holds(_room, _user));
    }

    [Fact]
    public async Task Should_not_remember_a_membership_read_while_it_was_ending()
    {
        var cache = Cache();

        // The database said "member" to a check that began before the removal's notice arrived.
        var checkStarted = cache.BeginCheck();
        await cache.ChangedAsync(_room, _user);
        cache.Confirm(_room, _user, checkStarted);

        Assert.False(cache.Holds(_room, _user));
        cache.Confirm(_room, _user, cache.BeginCheck());
        Assert.True(cache.Holds(_room, _user));
    }

    [Fact]
    public void Should_remember_a_mute_until_it_ends()
    {
        var cache = Cache();
        var until = _clock.GetUtcNow() + TimeSpan.FromSeconds(10);

        cache.Confirm(_room, _user, cache.BeginCheck(), until);

        Assert.Equal(until, cache.MutedUntil(_room, _user));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(cache.Holds(_room, _user));
        Assert.Null(cache.MutedUntil(_room, _user));
    }

    [Fact]
    public async Task Should_forget_a_mute_when_told_the_membership_changed()
    {
        var cache = Cache();
        cache.Confirm(_room, _user, cache.BeginCheck());

        await cache.ChangedAsync(_room, _user);

        Assert.False(cache.Holds(_room, _user));
        Assert.Null(cache.MutedUntil(_room, _user));
    }
}
