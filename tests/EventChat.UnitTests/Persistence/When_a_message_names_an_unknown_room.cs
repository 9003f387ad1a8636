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
    public async Task Should_fault_so_that_it_lands_in_the_error_queue_and_store_nothing()
    {
        await _persistence.PublishAsync(PersistenceHarness.Approved(Guid.NewGuid(), "to nowhere"));
        Assert.True(await _persistence.Harness.Published.Any<Fault<MessageApproved>>().WaitAsync(Within.Timeout));

        using var db = _persistence.Database.Open();
        Assert.Empty(await db.Messages.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout));
        Assert.Empty(await db.Outbox.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout));
        var rooms = await db.Rooms.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout);
        Assert.Equal((_persistence.RoomId, 0L), (Assert.Single(rooms).Id, Assert.Single(rooms).LastSeq));
    }
}
