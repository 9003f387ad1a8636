using EventChat.Infrastructure.Outbox;
using EventChat.UnitTests.TestSupport;

namespace EventChat.UnitTests.Outbox;

public sealed class When_a_relay_starts_with_rows_left_behind : IAsyncLifetime
{
    private RelayHarness _outbox = null!;

    // Smaller than the backlog, so that draining it takes several passes.
    public async Task InitializeAsync() =>
        _outbox = await RelayHarness.StartAsync(new OutboxOptions { BatchSize = 3 }).WaitAsync(Within.Timeout);

    public Task DisposeAsync() => _outbox.StopAsync();

    [Fact]
    public async Task Should_publish_them_in_id_order_per_room_and_empty_the_table()
    {
        var busy = Guid.NewGuid();
        var quiet = Guid.NewGuid();
        for (var seq = 1; seq <= 7; seq++)
        {
            await _outbox.WriteAsync(busy, seq);
            if (seq % 2 == 0)
            {
                await _outbox.WriteAsync(quiet, seq / 2);
            }
        }

        var busyOrder = await _outbox.MessageIdsInTableAsync(busy);
        var quietOrder = await _outbox.MessageIdsInTableAsync(quiet);
        Assert.Equal(10, busyOrder.Count + quietOrder.Count);

        await _outbox.StartRelayAsync();
        await _outbox.UntilDrainedAsync(10);

        Assert.Equal(busyOrder, _outbox.PublishedFor(busy).Select(m => m.Context.MessageId!.Value));
        Assert.Equal(quietOrder, _outbox.PublishedFor(quiet).Select(m => m.Context.MessageId!.Value));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], _outbox.PublishedFor(busy).Select(m => m.Context.Message.Seq));
    }
}
