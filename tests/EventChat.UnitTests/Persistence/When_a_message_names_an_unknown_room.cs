using EventChat.Contracts;
using EventChat.UnitTests.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace EventChat.UnitTests.Persistence;

public sealed class When_a_message_names_an_unknown_room : IAsyncLifetime
{
    private PersistenceHarness _persistence = null!;

    public async Task InitializeAsync() =>
        _persistence = await PersistenceHarness.StartAsync().WaitAsync(Within.Timeout);

    public Task DisposeAsync() => _persistence.StopAsync();

    [Fact]
    public async Task Should_send_it_to_the_error_queue_and_store_nothing()
    {
        var orphan = PersistenceHarness.Approved(Guid.NewGuid(), "to nowhere");
        await _persistence.PublishAsync(orphan);
        Assert.True(await _persistence.Harness.Sent
            .Any<MessageApproved>(s => s.Context.Message.MessageId == orphan.MessageId
                && s.Context.DestinationAddress!.AbsolutePath.EndsWith("eventchat.persistence_error", StringComparison.Ordinal))
            .WaitAsync(Within.Timeout));

        using var db = _persistence.Database.Open();
        Assert.Empty(await db.Messages.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout));
        Assert.Empty(await db.Outbox.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout));
        var rooms = await db.Rooms.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout);
        Assert.Equal((_persistence.RoomId, 0L), (Assert.Single(rooms).Id, Assert.Single(rooms).LastSeq));
    }
}
