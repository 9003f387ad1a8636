using EventChat.Infrastructure.Data.Entities;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Notifications;

namespace EventChat.UnitTests.Notifications;

public sealed class When_a_message_is_posted_in_a_conversation : IAsyncLifetime
{
    private NotificationHarness _notifications = null!;
    private Guid _alice;
    private Guid _bob;
    private Guid _carol;
    private Guid _dave;

    public async Task InitializeAsync()
    {
        _notifications = await NotificationHarness.StartAsync().WaitAsync(Within.Timeout);
        _alice = await _notifications.AddUserAsync("alice");
        _bob = await _notifications.AddUserAsync("bob");
        _carol = await _notifications.AddUserAsync("carol");
        _dave = await _notifications.AddUserAsync("dave");
    }

    public Task DisposeAsync() => _notifications.StopAsync();

    [Fact]
    public async Task Should_notify_the_other_side_of_a_direct_room_while_offline()
    {
        var room = await _notifications.AddRoomAsync(RoomKind.Direct, _alice, _bob);

        await _notifications.DeliverAsync(NotificationHarness.Posted(room, 1, _alice, "hi"));

        var stored = Assert.Single(await _notifications.NotificationsAsync());
        Assert.Equal((_bob, NotificationKinds.Direct), (stored.UserId, stored.Kind));
        Assert.Empty(await _notifications.PushedToAsync());
    }

    [Fact]
    public async Task Should_notify_only_group_members_who_are_offline_and_did_not_mute_it()
    {
        var room = await _notifications.AddRoomAsync(RoomKind.Group, _alice, _bob, _carol, _dave);
        await _notifications.GoOnlineAsync(_bob);
        await _notifications.MuteAsync(room, _carol);

        await _notifications.DeliverAsync(NotificationHarness.Posted(room, 1, _alice, "lunch?"));

        var stored = Assert.Single(await _notifications.NotificationsAsync());
        Assert.Equal((_dave, NotificationKinds.Direct), (stored.UserId, stored.Kind));
    }

    [Fact]
    public async Task Should_notify_an_online_member_who_is_named_and_push_it()
    {
        var room = await _notifications.AddRoomAsync(RoomKind.Group, _alice, _bob, _carol);
        await _notifications.GoOnlineAsync(_bob);

        await _notifications.DeliverAsync(NotificationHarness.Posted(room, 1, _alice, "@bob and everyone"));

        var stored = await _notifications.NotificationsAsync();
        Assert.Equal(
            [(_carol, NotificationKinds.Direct), (_bob, NotificationKinds.Mention)],
            stored.Select(n => (n.UserId, n.Kind)).OrderBy(n => n.Kind, StringComparer.Ordinal));
        Assert.Equal(_bob, Assert.Single(await _notifications.PushedToAsync()));
    }

    [Fact]
    public async Task Should_notify_nobody_in_a_channel_without_mentions_or_replies()
    {
        var room = await _notifications.AddRoomAsync(RoomKind.Channel, _alice, _bob);

        await _notifications.DeliverAsync(NotificationHarness.Posted(room, 1, _alice, "hello all"));

        Assert.Empty(await _notifications.NotificationsAsync());
    }
}
