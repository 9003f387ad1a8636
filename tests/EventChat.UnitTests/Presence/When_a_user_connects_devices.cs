using EventChat.Infrastructure.Presence;
using EventChat.UnitTests.TestSupport;

namespace EventChat.UnitTests.Presence;

public sealed class When_a_user_connects_devices
{
    private readonly PresenceFixture _presence = new();
    private readonly Guid _user = Guid.NewGuid();

    [Fact]
    public async Task Should_be_online_while_any_device_is_connected()
    {
        await _presence.ConnectAsync(_user, "phone");
        await _presence.ConnectAsync(_user, "laptop");
        await _presence.DisconnectAsync(_user, "phone");

        Assert.Equal(new PresenceStatus(_user, true, null), await _presence.StatusAsync(_user));
        Assert.True(await _presence.Store.IsOnlineAsync(_user, CancellationToken.None));

        await _presence.DisconnectAsync(_user, "laptop");

        Assert.False((await _presence.StatusAsync(_user)).Online);
        Assert.False(await _presence.Store.IsOnlineAsync(_user, CancellationToken.None));
    }

    [Fact]
    public async Task Should_report_only_the_first_device_to_come_and_the_last_to_go()
    {
        var first = await _presence.ConnectAsync(_user, "phone");
        var second = await _presence.ConnectAsync(_user, "laptop");
        _presence.Clock.Advance(TimeSpan.FromMinutes(3));
        var notLast = await _presence.DisconnectAsync(_user, "phone");
        var last = await _presence.DisconnectAsync(_user, "laptop");

        Assert.Equal(PresenceStatus.CameOnline(_user), first);
        Assert.Null(second);
        Assert.Null(notLast);
        Assert.Equal(PresenceStatus.WentOffline(_user, PresenceFixture.Start.AddMinutes(3)), last);
    }

    [Fact]
    public async Task Should_show_the_time_the_last_device_left_until_the_user_returns()
    {
        await _presence.ConnectAsync(_user, "phone");
        _presence.Clock.Advance(TimeSpan.FromMinutes(5));
        await _presence.DisconnectAsync(_user, "phone");
        _presence.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(
            new PresenceStatus(_user, false, PresenceFixture.Start.AddMinutes(5)), await _presence.StatusAsync(_user));

        await _presence.ConnectAsync(_user, "phone");

        Assert.Equal(new PresenceStatus(_user, true, null), await _presence.StatusAsync(_user));
    }

    [Fact]
    public async Task Should_show_a_user_never_seen_as_offline_without_a_time()
    {
        Assert.Equal(new PresenceStatus(_user, false, null), await _presence.StatusAsync(_user));
    }

    [Fact]
    public async Task Should_answer_for_several_users_in_the_order_asked()
    {
        var other = Guid.NewGuid();
        await _presence.ConnectAsync(other, "tablet");

        var statuses = await _presence.Store.GetAsync([_user, other], CancellationToken.None).WaitAsync(Within.Timeout);

        Assert.Equal([new PresenceStatus(_user, false, null), new PresenceStatus(other, true, null)], statuses);
    }

    [Fact]
    public async Task Should_read_the_durable_invisible_flag_once()
    {
        await _presence.ConnectAsync(_user, "phone");
        await _presence.ConnectAsync(_user, "laptop");
        await _presence.DisconnectAsync(_user, "phone");
        await _presence.DisconnectAsync(_user, "laptop");
        await _presence.ConnectAsync(_user, "phone");

        Assert.Equal(1, _presence.InvisibleReads);
    }

    [Fact]
    public async Task Should_ignore_a_disconnect_it_never_saw_connect()
    {
        await _presence.ConnectAsync(_user, "phone");

        Assert.Null(await _presence.DisconnectAsync(_user, "unknown"));
        Assert.True((await _presence.StatusAsync(_user)).Online);
    }
}
