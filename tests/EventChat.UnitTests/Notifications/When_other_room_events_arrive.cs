using EventChat.Contracts;
using EventChat.Infrastructure.Data.Entities;
using EventChat.UnitTests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace EventChat.UnitTests.Notifications;

public sealed class When_other_room_events_arrive : IAsyncLifetime
{
    private NotificationHarness _notifications = null!;

    public async Task InitializeAsync() =>
        _notifications = await NotificationHarness.StartAsync().WaitAsync(Within.Timeout);

    public Task DisposeAsync() => _notifications.StopAsync();

    [Theory]
    [InlineData(RoomEventTypes.MessageEdited)]
    [InlineData(RoomEventTypes.ReactionAdded)]
    [InlineData(RoomEventTypes.MemberJoined)]
    public async Task Should_pass_them_by_without_writing_anything(string type)
    {
        var alice = await _notifications.AddUserAsync("alice");
        var bob = await _notifications.AddUserAsync("bob");
        var room = await _notifications.AddRoomAsync(RoomKind.Direct, alice, bob);
        var changed = NotificationHarness.Posted(room, 2, alice, "@bob now edited") with { Type = type };

        await _notifications.DeliverAsync(changed);

        Assert.Empty(await _notifications.NotificationsAsync());
        using var db = _notifications.Database.Open();
        Assert.Empty(await db.Inbox.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout));
    }
}
