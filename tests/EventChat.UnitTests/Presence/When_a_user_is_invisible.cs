using EventChat.Infrastructure.Presence;
using EventChat.UnitTests.TestSupport;

namespace EventChat.UnitTests.Presence;

public sealed class When_a_user_is_invisible
{
    private readonly PresenceFixture _presence = new();
    private readonly Guid _user = Guid.NewGuid();
    private readonly Guid _room = Guid.NewGuid();

    [Fact]
    public async Task Should_report_going_invisible_as_going_offline_now()
    {
        await _presence.ConnectAsync(_user, "phone");
        _presence.Clock.Advance(TimeSpan.FromMinutes(2));

        var change = await SetInvisibleAsync(true);

        Assert.Equal(PresenceStatus.WentOffline(_user, PresenceFixture.Start.AddMinutes(2)), change);
    }

    [Fact]
    public async Task Should_keep_the_last_seen_time_of_going_invisible_while_devices_come_and_go()
    {
        await _presence.ConnectAsync(_user, "phone");
        _presence.Clock.Advance(TimeSpan.FromMinutes(2));
        await SetInvisibleAsync(true);
        _presence.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await _presence.ConnectAsync(_user, "laptop"));
        Assert.Null(await _presence.DisconnectAsync(_user, "phone"));
        Assert.Null(await _presence.DisconnectAsync(_user, "laptop"));
        Assert.Null(await _presence.ConnectAsync(_user, "phone"));
        Assert.Equal(
            new PresenceStatus(_user, false, PresenceFixture.Start.AddMinutes(2)), await _presence.StatusAsync(_user));
    }

    [Fact]
    public async Task Should_report_becoming_visible_while_connected()
    {
        await _presence.ConnectAsync(_user, "phone");
        await SetInvisibleAsync(true);

        Assert.Equal(PresenceStatus.CameOnline(_user), await SetInvisibleAsync(false));
        Assert.True((await _presence.StatusAsync(_user)).Online);
    }

    [Fact]
    public async Task Should_report_nothing_when_switched_while_offline_or_set_again()
    {
        Assert.Null(await SetInvisibleAsync(true));
        Assert.Null(await SetInvisibleAsync(false));

        await _presence.ConnectAsync(_user, "phone");

        Assert.Null(await SetInvisibleAsync(false));
    }

    [Fact]
    public async Task Should_start_invisible_when_the_database_says_so()
    {
        _presence.StoredInvisible = true;

        Assert.Null(await _presence.ConnectAsync(_user, "phone"));
        Assert.False((await _presence.StatusAsync(_user)).Online);
    }

    [Fact]
    public async Task Should_be_left_out_of_room_presence_but_still_reachable()
    {
        var visible = Guid.NewGuid();
        await _presence.ConnectAsync(_user, "phone");
        await _presence.ConnectAsync(visible, "laptop");
        await _presence.Store.JoinedAsync(_room, _user, "phone", CancellationToken.None);
        await _presence.Store.JoinedAsync(_room, visible, "laptop", CancellationToken.None);
        await SetInvisibleAsync(true);

        Assert.Equal([visible], await _presence.Store.OnlineInRoomAsync(_room, CancellationToken.None));
        Assert.True(await _presence.Store.IsOnlineAsync(_user, CancellationToken.None));
    }

    private Task<PresenceStatus?> SetInvisibleAsync(bool invisible) =>
        _presence.Store.SetInvisibleAsync(_user, invisible, CancellationToken.None).WaitAsync(Within.Timeout);
}
