using EventChat.Infrastructure.Data.Entities;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Notifications;

namespace EventChat.UnitTests.Notifications;

public sealed class When_a_message_replies_to_another : IAsyncLifetime
{
    private NotificationHarness _notifications = null!;
    private Guid _alice;
    private Guid _bob;
    private Guid _room;

    public async Task InitializeAsync()
    {
        _notifications = await NotificationHarness.StartAsync().WaitAsync(Within.Timeout);
        _alice = await _notifications.AddUserAsync("alice");
        _bob = await _notifications.AddUserAsync("bob");
        _room = await _notifications.AddRoomAsync(RoomKind.Channel, _alice, _bob);
    }

    public Task DisposeAsync() => _notifications.StopAsync();

    [Fact]
    public async Task Should_notify_the_author_of_the_answered_message()
    {
        var original = await _notifications.AddMessageAsync(_room, 1, _bob);

        await _notifications.DeliverAsync(NotificationHarness.Posted(_room, 2, _alice, "agreed", original));

        var stored = Assert.Single(await _notifications.NotificationsAsync());
        Assert.Equal((_bob, NotificationKinds.Reply, 2L), (stored.UserId, stored.Kind, stored.Seq));
    }

    [Fact]
    public async Task Should_not_notify_an_author_who_answers_themselves()
    {
        var original = await _notifications.AddMessageAsync(_room, 1, _alice);

        await _notifications.DeliverAsync(NotificationHarness.Posted(_room, 2, _alice, "and also", original));

        Assert.Empty(await _notifications.NotificationsAsync());
    }

    [Fact]
    public async Task Should_notify_once_as_a_mention_when_the_author_is_also_named()
    {
        var original = await _notifications.AddMessageAsync(_room, 1, _bob);

        await _notifications.DeliverAsync(NotificationHarness.Posted(_room, 2, _alice, "@bob yes", original));

        var stored = Assert.Single(await _notifications.NotificationsAsync());
        Assert.Equal((_bob, NotificationKinds.Mention), (stored.UserId, stored.Kind));
    }

    [Fact]
    public async Task Should_not_notify_an_author_who_muted_the_room()
    {
        var original = await _notifications.AddMessageAsync(_room, 1, _bob);
        await _notifications.MuteAsync(_room, _bob);

        await _notifications.DeliverAsync(NotificationHarness.Posted(_room, 2, _alice, "@bob agreed", original));

        Assert.Empty(await _notifications.NotificationsAsync());
    }
}
