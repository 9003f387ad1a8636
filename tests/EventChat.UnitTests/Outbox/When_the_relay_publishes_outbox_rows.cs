using EventChat.Infrastructure.Outbox;
using EventChat.UnitTests.TestSupport;

namespace EventChat.UnitTests.Outbox;

public sealed class When_the_relay_publishes_outbox_rows : IAsyncLifetime
{
    private RelayHarness _outbox = null!;

    public async Task InitializeAsync()
    {
        _outbox = await RelayHarness.StartAsync(new OutboxOptions()).WaitAsync(Within.Timeout);
        await _outbox.StartRelayAsync();
    }

    public Task DisposeAsync() => _outbox.StopAsync();

    [Fact]
    public async Task Should_publish_each_room_in_id_order_and_delete_the_rows()
    {
        var roomA = Guid.NewGuid();
        var roomB = Guid.NewGuid();
        for (var seq = 1; seq <= 10; seq++)
        {
            await _outbox.WriteAsync(roomA, seq);
            await _outbox.WriteAsync(roomB, seq);
            _outbox.Signal.Notify();
        }

        await _outbox.UntilDrainedAsync(20);

        foreach (var room in new[] { roomA, roomB })
        {
            var published = _outbox.PublishedFor(room);
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), published.Select(m => m.Context.Message.Seq));
            Assert.All(published, m => Assert.Equal(m.Context.Message.MessageId, m.Context.MessageId));
        }
    }

    [Fact]
    public async Task Should_find_a_row_committed_without_a_signal_by_polling()
    {
        var room = Guid.NewGuid();

        var posted = await _outbox.WriteAsync(room, 1);

        await _outbox.UntilDrainedAsync(1);
        Assert.Equal(posted, Assert.Single(_outbox.PublishedFor(room)).Context.Message);
    }
}
