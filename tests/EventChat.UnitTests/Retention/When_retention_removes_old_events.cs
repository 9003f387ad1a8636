using EventChat.UnitTests.TestSupport;

namespace EventChat.UnitTests.Retention;

public sealed class When_retention_removes_old_events : IAsyncLifetime
{
    private static readonly TimeSpan Old = TimeSpan.FromDays(10);
    private static readonly TimeSpan Recent = TimeSpan.FromHours(1);

    private RetentionHarness _retention = null!;
    private Guid _kept;
    private Guid _forever;

    public async Task InitializeAsync()
    {
        _retention = await RetentionHarness.CreateAsync().WaitAsync(Within.Timeout);
        _kept = await _retention.AddRoomAsync(7, [.. Enumerable.Repeat(Old, 10), Recent, Recent, Recent]);
        _forever = await _retention.AddRoomAsync(null, Old, Old, Old);
    }

    public Task DisposeAsync()
    {
        _retention.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Should_delete_them_in_batches_and_move_the_first_number_past_them()
    {
        await _retention.RunAsync(batchSize: 3);

        var state = await _retention.StateAsync(_kept);
        Assert.Equal(11, state.FirstSeq);
        Assert.Equal([11L, 12L, 13L], state.Events);
        Assert.Equal([11L, 13L], state.Messages);
        Assert.Equal(2, state.Reactions);
        Assert.Equal(4, _retention.Batches.Count);
    }

    [Fact]
    public async Task Should_leave_a_room_without_retention_alone()
    {
        await _retention.RunAsync(batchSize: 3);

        var state = await _retention.StateAsync(_forever);
        Assert.Equal(1, state.FirstSeq);
        Assert.Equal([1L, 2L, 3L], state.Events);
        Assert.Equal([1L, 3L], state.Messages);
        Assert.Equal(2, state.Reactions);
    }

    [Fact]
    public async Task Should_record_the_run_with_what_it_deleted()
    {
        var result = await _retention.RunAsync(batchSize: 3);

        var run = Assert.Single(await _retention.RunsAsync());
        Assert.Equal((1, 10L, 5L), (run.RoomsTruncated, run.EventsDeleted, run.MessagesDeleted));
        Assert.Equal((RetentionHarness.Now, RetentionHarness.Now), (run.StartedAt, run.FinishedAt));
        Assert.Equal(run.Id, result?.Id);
    }

    [Fact]
    public async Task Should_find_nothing_left_to_do_on_the_next_run_and_record_it_as_empty()
    {
        await _retention.RunAsync(batchSize: 3);
        var batches = _retention.Batches.Count;

        var again = await _retention.RunAsync(batchSize: 3);

        Assert.Equal((0, 0L, 0L), (again?.RoomsTruncated, again?.EventsDeleted, again?.MessagesDeleted));
        Assert.Equal(batches, _retention.Batches.Count);
        Assert.Equal([10L, 0L], (await _retention.RunsAsync()).OrderBy(r => r.Id).Select(r => r.EventsDeleted));
        Assert.Equal(11, (await _retention.StateAsync(_kept)).FirstSeq);
    }

    [Fact]
    public async Task Should_keep_what_earlier_batches_removed_when_a_later_one_fails()
    {
        _retention.Batches.FailAt = 3;

        await Assert.ThrowsAsync<InvalidOperationException>(() => _retention.RunAsync(batchSize: 3));

        var state = await _retention.StateAsync(_kept);
        Assert.Equal(7, state.FirstSeq);
        Assert.Equal(7L, state.Events[0]);
        Assert.Equal(7L, state.Messages[0]);
        Assert.Empty(await _retention.RunsAsync());
    }
}
