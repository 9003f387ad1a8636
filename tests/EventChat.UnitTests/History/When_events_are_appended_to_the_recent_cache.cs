using EventChat.Api.History;
using EventChat.Contracts;
using EventChat.UnitTests.TestSupport;

namespace EventChat.UnitTests.History;

public sealed class When_events_are_appended_to_the_recent_cache
{
    private readonly InMemoryRecentEvents _cache = new();
    private readonly Guid _room = Guid.NewGuid();

    [Fact]
    public async Task Should_keep_a_gap_free_run_in_order()
    {
        await AppendAllAsync(1, 5);

        Assert.Equal([1L, 2, 3, 4, 5], await SeqsAsync());
    }

    [Theory]
    [InlineData(3L)]
    [InlineData(5L)]
    [InlineData(1L)]
    public async Task Should_ignore_a_number_already_there(long seq)
    {
        await AppendAllAsync(1, 5);
        var duplicate = Views.At(_room, seq);

        Assert.False(await _cache.AppendAsync(duplicate, CancellationToken.None).WaitAsync(Within.Timeout));
        Assert.Equal([1L, 2, 3, 4, 5], await SeqsAsync());
        Assert.DoesNotContain(await ReadAsync(), m => m.MessageId == duplicate.MessageId);
    }

    [Fact]
    public async Task Should_start_afresh_after_a_gap()
    {
        await AppendAllAsync(1, 5);

        Assert.True(await _cache.AppendAsync(Views.At(_room, 8), CancellationToken.None).WaitAsync(Within.Timeout));
        Assert.Equal([8L], await SeqsAsync());

        Assert.True(await _cache.AppendAsync(Views.At(_room, 9), CancellationToken.None).WaitAsync(Within.Timeout));
        Assert.False(await _cache.AppendAsync(Views.At(_room, 6), CancellationToken.None).WaitAsync(Within.Timeout));
        Assert.Equal([8L, 9], await SeqsAsync());
    }

    [Fact]
    public async Task Should_trim_the_oldest_beyond_the_capacity()
    {
        await AppendAllAsync(1, IRecentEvents.Capacity + 50);

        var seqs = await SeqsAsync();

        Assert.Equal(IRecentEvents.Capacity, seqs.Count);
        Assert.Equal(Enumerable.Range(51, IRecentEvents.Capacity).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task Should_keep_rooms_apart()
    {
        var other = Guid.NewGuid();
        await AppendAllAsync(1, 3);

        Assert.True(await _cache.AppendAsync(Views.At(other, 1), CancellationToken.None).WaitAsync(Within.Timeout));
        Assert.Equal([1L, 2, 3], await SeqsAsync());
        Assert.Empty(await _cache.ReadAsync(Guid.NewGuid(), CancellationToken.None).WaitAsync(Within.Timeout));
    }

    private async Task AppendAllAsync(long first, long last)
    {
        foreach (var view in Views.Run(_room, first, last))
        {
            Assert.True(await _cache.AppendAsync(view, CancellationToken.None).WaitAsync(Within.Timeout));
        }
    }

    private Task<IReadOnlyList<RoomEvent>> ReadAsync() =>
        _cache.ReadAsync(_room, CancellationToken.None).WaitAsync(Within.Timeout);

    private async Task<List<long>> SeqsAsync() => (await ReadAsync()).Select(m => m.Seq).ToList();
}
