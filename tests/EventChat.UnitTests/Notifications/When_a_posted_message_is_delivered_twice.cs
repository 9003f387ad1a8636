using EventChat.Infrastructure.Data.Entities;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Notifications;
using Microsoft.EntityFrameworkCore;

namespace EventChat.UnitTests.Notifications;

public sealed class When_a_posted_message_is_delivered_twice : IAsyncLifetime
{
    private NotificationHarness _notifications = null!;

    public async Task InitializeAsync() =>
        _notifications = await NotificationHarness.StartAsync().WaitAsync(Within.Timeout);

    public Task DisposeAsync() => _notifications.StopAsync();

    [Fact]
    public async Task Should_store_and_push_its_notifications_once()
    {
        var alice = await _notifications.AddUserAsync("alice");
        var bob = await _notifications.AddUserAsync("bob");
        var carol = await _notifications.AddUserAsync("carol");
        var room = await _notifications.AddRoomAsync(RoomKind.Group, alice, bob, carol);
        await _notifications.GoOnlineAsync(bob);
        var posted = NotificationHarness.Posted(room, 1, alice, "@bob look");

        await _notifications.DeliverAsync(posted);
        await _notifications.DeliverAsync(posted, consumedBefore: 1);

        var stored = await _notifications.NotificationsAsync();
        Assert.Equal(new[] { bob, carol }.Order(), stored.Select(n => n.UserId).Order());
        Assert.Equal(bob, Assert.Single(await _notifications.PushedToAsync()));
        using var db = _notifications.Database.Open();
        var inbox = await db.Inbox.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout);
        Assert.Equal(
            (NotificationConsumer.InboxName, posted.MessageId!.Value),
            (Assert.Single(inbox).Consumer, Assert.Single(inbox).MessageId));
    }
}
