using EventChat.Api.History;
using EventChat.Contracts;
using EventChat.Infrastructure.Redis;
using EventChat.UnitTests.TestSupport;
using StackExchange.Redis;

namespace EventChat.UnitTests.History;

/// <summary>The rules of the recent-event cache, which the embedded default's and Redis's caches both keep.</summary>
public abstract class When_events_are_appended_to_the_recent_cache
{
    private readonly Guid _room = Guid.NewGuid();

    protected abstract IRecentEvents Cache { get; }

    [Fact]
    public async Task Should_take_a_run_in_one_call_and_say_which_of_it_was_new()
    {
        Assert.Equal([true, true, true], await AppendRunAsync(1, 3));
        Assert.Equal([false, false, true, true], await AppendRunAsync(2, 5));

        Assert.Equal([1L, 2, 3, 4, 5], await SeqsAsync());
    }

    [Fact]
    public async Task Should_start_afresh_at_a_gap_inside_a_run()
    {
        await AppendRunAsync(1, 3);
        var run = Views.Run(_room, 4, 4).Concat(Views.Run(_room, 7, 8)).ToList();

        Assert.Equal([true, true, true],
            await Cache.AppendAsync(run, CancellationToken.None).WaitAsync(Within.Timeout));
        Assert.Equal([7L, 8], await SeqsAsync());
    }

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

        Assert.False(await AppendOneAsync(duplicate));
        Assert.Equal([1L, 2, 3, 4, 5], await SeqsAsync());
        Assert.DoesNotContain(await ReadAsync(), m => m.MessageId == duplicate.MessageId);
    }

    [Fact]
    public async Task Should_start_afresh_after_a_gap()
    {
        await AppendAllAsync(1, 5);

        Assert.True(await AppendOneAsync(Views.At(_room, 8)));
        Assert.Equal([8L], await SeqsAsync());

        Assert.True(await AppendOneAsync(Views.At(_room, 9)));
        Assert.False(await AppendOneAsync(Views.At(_room, 6)));
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

        Assert.True(await AppendOneAsync(Views.At(other, 1)));
        Assert.Equal([1L, 2, 3], await SeqsAsync());
        Assert.Empty(await Cache.ReadAsync(Guid.NewGuid(), CancellationToken.None).WaitAsync(Within.Timeout));
    }

    private async Task AppendAllAsync(long first, long last)
    {
        foreach (var view in Views.Run(_room, first, last))
        {
            Assert.True(await AppendOneAsync(view));
        }
    }

    private async Task<bool> AppendOneAsync(RoomEvent roomEvent) =>
        (await Cache.AppendAsync([roomEvent], CancellationToken.None).WaitAsync(Within.Timeout))[0];

    private async Task<List<bool>> AppendRunAsync(long first, long last) =>
        (await Cache.AppendAsync(Views.Run(_room, first, last), CancellationToken.None).WaitAsync(Within.Timeout))
        .ToList();

    private Task<IReadOnlyList<RoomEvent>> ReadAsync() =>
        Cache.ReadAsync(_room, CancellationToken.None).WaitAsync(Within.Timeout);

    private async Task<List<long>> SeqsAsync() => (await ReadAsync()).Select(m => m.Seq).ToList();
}

public sealed class When_events_are_appended_to_the_recent_cache_in_memory : When_events_are_appended_to_the_recent_cache
{
    protected override IRecentEvents Cache { get; } = new InMemoryRecentEvents();
}

public sealed class When_events_are_appended_to_the_recent_cache_in_redis
    : When_events_are_appended_to_the_recent_cache, IAsyncLifetime
{
    private readonly string _prefix = $"unit-{Guid.NewGuid():N}";
    private ConnectionMultiplexer _redis = null!;

    protected override IRecentEvents Cache => new RedisRecentEvents(_redis, new RedisOptions { Prefix = _prefix });

    public async Task InitializeAsync()
    {
        var address = Environment.GetEnvironmentVariable("ConnectionStrings__Redis") is { Length: > 0 } set
            ? set
            : throw new InvalidOperationException(
                "Redis: ConnectionStrings__Redis is not set. Run the tests through ./test.sh, which starts Redis.");
        _redis = await ConnectionMultiplexer.ConnectAsync(address).WaitAsync(Within.Timeout);
    }

    public async Task DisposeAsync()
    {
        var server = _redis.GetServers()[0];
        var db = _redis.GetDatabase();
        await foreach (var key in server.KeysAsync(pattern: $"{_prefix}:*"))
        {
            await db.KeyDeleteAsync(key);
        }

        await _redis.DisposeAsync();
    }
}
