using EventChat.UnitTests.TestSupport;

namespace EventChat.UnitTests.Retention;

public sealed class When_event_times_are_out_of_order : IAsyncLifetime
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
    public async Task Should_cut_at_the_newest_number_older_than_the_period_so_no_gap_is_left()
    {
        var room = await _retention.AddRoomAsync(
            1, TimeSpan.FromDays(3), TimeSpan.FromHours(1), TimeSpan.FromDays(2), TimeSpan.FromMinutes(5));

        await _retention.RunAsync(batchSize: 1000);

        var state = await _retention.StateAsync(room);
        Assert.Equal(4, state.FirstSeq);
        Assert.Equal([4L], state.Events);
    }
}
