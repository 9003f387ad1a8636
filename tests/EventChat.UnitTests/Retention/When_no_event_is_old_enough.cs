using EventChat.UnitTests.TestSupport;

namespace EventChat.UnitTests.Retention;

public sealed class When_no_event_is_old_enough : IAsyncLifetime
{
    private RetentionHarness _retention = null!;

    public async Task InitializeAsync() =>
        _retention = await RetentionHarness.CreateAsync().WaitAsync(Within.Timeout);

    public Task DisposeAsync()
    {
        _retention.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Should_delete_nothing_and_record_an_empty_run()
    {
        var room = await _retention.AddRoomAsync(
            7, TimeSpan.FromDays(6.9), TimeSpan.FromDays(1), TimeSpan.FromMinutes(1));

        var run = await _retention.RunAsync(batchSize: 1000);

        Assert.Equal(0, run?.RoomsTruncated);
        var state = await _retention.StateAsync(room);
        Assert.Equal((1L, 3), (state.FirstSeq, state.Events.Count));
        var recorded = Assert.Single(await _retention.RunsAsync());
        Assert.Equal((0, 0L, 0L), (recorded.RoomsTruncated, recorded.EventsDeleted, recorded.MessagesDeleted));
    }

}
