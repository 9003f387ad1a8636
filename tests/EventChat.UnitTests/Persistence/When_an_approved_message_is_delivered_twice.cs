using EventChat.Infrastructure.Streams;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EventChat.UnitTests.Persistence;

public sealed class When_an_approved_message_is_delivered_twice : IAsyncLifetime
{
    private PersistenceHarness _persistence = null!;

    public async Task InitializeAsync() =>
        _persistence = await PersistenceHarness.StartAsync().WaitAsync(Within.Timeout);

    public Task DisposeAsync() => _persistence.StopAsync();

    [Fact]
    public async Task Should_store_and_announce_it_once_without_spending_a_number()
    {
        var message = PersistenceHarness.Approved(_persistence.RoomId, "said once, delivered twice");

        await _persistence.PublishAsync(message);
        await _persistence.PublishAsync(message);
        await _persistence.UntilConsumedAsync(2);

        using var db = _persistence.Database.Open();
        var stored = await db.Messages.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout);
        var outbox = await db.Outbox.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout);
        var inbox = await db.Inbox.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout);
        var lastSeq = await db.Rooms.Where(r => r.Id == _persistence.RoomId).Select(r => r.LastSeq)
            .SingleAsync().WaitAsync(Within.Timeout);

        Assert.Equal(message.MessageId, Assert.Single(stored).MessageId);
        Assert.Equal(RoomStream.EventId(_persistence.RoomId, 1), Assert.Single(outbox).MessageId);
        var entry = Assert.Single(inbox);
        Assert.Equal((MessageStore.InboxName, message.MessageId), (entry.Consumer, entry.MessageId));
        Assert.Equal(1, lastSeq);
    }
}
