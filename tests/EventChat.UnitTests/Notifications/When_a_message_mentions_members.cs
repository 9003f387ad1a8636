using EventChat.Infrastructure.Data.Entities;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Notifications;

namespace EventChat.UnitTests.Notifications;

public sealed class When_a_message_mentions_members : IAsyncLifetime
{
    private NotificationHarness _notifications = null!;
    private Guid _alice;
    private Guid _bob;
    private Guid _carol;
    private Guid _room;

    public async Task InitializeAsync()
    {
        _notifications = await NotificationHarness.StartAsync().WaitAsync(Within.Timeout);
        _alice = await _notifications.AddUserAsync("alice");
        _bob = await _notifications.AddUserAsync("Bob");
        _carol = await _notifications.AddUserAsync("carol");
        await _notifications.AddUserAsync("dave");
        _room = await _notifications.AddRoomAsync(RoomKind.Channel, _alice, _bob, _carol);
    }

    public Task DisposeAsync() => _notifications.StopAsync();

    [Fact]
    public async Task Should_notify_each_named_member_once_as_a_mention()
    {
        var posted = NotificationHarness.Posted(_room, 7, _alice, "@bob and @carol, see @BOB's note");

        await _notifications.DeliverAsync(posted);

        var stored = await _notifications.NotificationsAsync();
        Assert.Equal(new[] { _bob, _carol }.Order(), stored.Select(n => n.UserId).Order());
        Assert.All(stored, n =>
        {
            Assert.Equal(NotificationKinds.Mention, n.Kind);
            Assert.Equal((_room, posted.MessageId!.Value, 7L), (n.RoomId, n.MessageId, n.Seq));
            Assert.Equal((_alice, "sender"), (n.SenderId, n.SenderName));
            Assert.Null(n.ReadAt);
        });
    }

    [Fact]
    public async Task Should_skip_the_sender_non_members_and_unknown_names()
    {
        await _notifications.DeliverAsync(NotificationHarness.Posted(_room, 1, _alice, "@alice @dave @nobody"));

        Assert.Empty(await _notifications.NotificationsAsync());
        Assert.Empty(await _notifications.PushedToAsync());
    }

    [Fact]
    public async Task Should_skip_members_who_muted_the_room()
    {
        await _notifications.MuteAsync(_room, _carol);

        await _notifications.DeliverAsync(NotificationHarness.Posted(_room, 1, _alice, "@bob @carol"));

        Assert.Equal(_bob, Assert.Single(await _notifications.NotificationsAsync()).UserId);
    }

    [Fact]
    public async Task Should_push_only_to_members_who_are_online()
    {
        await _notifications.GoOnlineAsync(_bob);

        await _notifications.DeliverAsync(NotificationHarness.Posted(_room, 1, _alice, "@bob @carol"));

        Assert.Equal(2, (await _notifications.NotificationsAsync()).Count);
        Assert.Equal(_bob, Assert.Single(await _notifications.PushedToAsync()));
    }
}
