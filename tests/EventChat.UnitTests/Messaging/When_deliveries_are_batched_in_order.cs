using EventChat.Infrastructure.Messaging;
using EventChat.UnitTests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventChat.UnitTests.Messaging;

public sealed class When_deliveries_are_batched_in_order : IAsyncDisposable
{
    private const string Channel = "consumer-1";
    private readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();
    private readonly List<IReadOnlyList<int>> _batches = [];
    private Func<IReadOnlyList<int>, Task> _onBatch = _ => Task.CompletedTask;

    private IEnumerable<int> Handled
    {
        get
        {
            lock (_batches)
            {
                return _batches.SelectMany(b => b).ToList();
            }
        }
    }

    private OrderedBatcher<int> Batcher(TimeSpan gapWait) =>
        new(_services.GetRequiredService<IServiceScopeFactory>(), HandleAsync, e => e is TimeoutException,
            NullLogger.Instance)
        {
            GapWait = gapWait,
            MaxBatchSize = 16,
        };

    private async Task HandleAsync(IServiceProvider scope, IReadOnlyList<int> items, CancellationToken ct)
    {
        await _onBatch(items);
        lock (_batches)
        {
            _batches.Add(items);
        }
    }

    [Fact]
    public async Task Should_handle_shuffled_deliveries_in_delivery_tag_order()
    {
        await using var batcher = Batcher(TimeSpan.FromSeconds(30));
        var tags = Enumerable.Range(1, 100).OrderBy(_ => Random.Shared.Next()).ToList();

        var done = tags.Select(tag => batcher.SubmitAsync(tag, Channel, (ulong)tag)).ToList();
        await Task.WhenAll(done).WaitAsync(Within.Timeout);

        Assert.Equal(Enumerable.Range(1, 100), Handled);
        Assert.All(_batches, b => Assert.InRange(b.Count, 1, 16));
    }

    [Fact]
    public async Task Should_go_past_a_delivery_that_never_arrives_after_the_gap_wait()
    {
        await using var batcher = Batcher(TimeSpan.FromMilliseconds(100));

        int[] arrivals = [6, 3, 1, 2, 5];
        var done = arrivals.Select(tag => batcher.SubmitAsync(tag, Channel, (ulong)tag)).ToList();
        await Task.WhenAll(done).WaitAsync(Within.Timeout);

        Assert.Equal([1, 2, 3, 5, 6], Handled);
    }

    [Fact]
    public async Task Should_go_on_at_once_past_a_delivery_the_receive_pipeline_reports_as_passed()
    {
        await using var batcher = Batcher(TimeSpan.FromMinutes(5));

        var first = batcher.SubmitAsync(1, Channel, 1);
        var third = batcher.SubmitAsync(3, Channel, 3);
        await first.WaitAsync(Within.Timeout);
        batcher.Passed(Channel, 2);
        await third.WaitAsync(Within.Timeout);

        Assert.Equal([1, 3], Handled);
    }

    [Fact]
    public async Task Should_keep_the_order_for_a_delivery_that_is_only_late()
    {
        await using var batcher = Batcher(TimeSpan.FromSeconds(30));

        var first = batcher.SubmitAsync(1, Channel, 1);
        var third = batcher.SubmitAsync(3, Channel, 3);
        await first.WaitAsync(Within.Timeout);

        // Longer than a starved thread pool has been seen to hold a delivery between the broker and the consumer.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.False(third.IsCompleted);

        await batcher.SubmitAsync(2, Channel, 2).WaitAsync(Within.Timeout);
        await third.WaitAsync(Within.Timeout);
        Assert.Equal([1, 2, 3], Handled);
    }

    [Fact]
    public async Task Should_not_go_back_to_a_channel_it_has_left()
    {
        await using var batcher = Batcher(TimeSpan.FromMinutes(5));
        await batcher.SubmitAsync(1, Channel, 1).WaitAsync(Within.Timeout);
        await batcher.SubmitAsync(11, "consumer-2", 1).WaitAsync(Within.Timeout);

        // A retry of a delivery of the old channel, and the old channel's last delivery leaving the pipeline.
        await batcher.SubmitAsync(2, Channel, 2).WaitAsync(Within.Timeout);
        batcher.Passed(Channel, 3);

        // Had either taken the batcher back to the old channel, the new channel's tag 2 would wait for tag 1.
        await batcher.SubmitAsync(12, "consumer-2", 2).WaitAsync(Within.Timeout);
        Assert.Equal([1, 11, 2, 12], Handled);
    }

    [Fact]
    public async Task Should_number_again_from_one_on_a_new_broker_channel()
    {
        await using var batcher = Batcher(TimeSpan.FromSeconds(30));
        await Task.WhenAll(batcher.SubmitAsync(1, Channel, 1), batcher.SubmitAsync(2, Channel, 2))
            .WaitAsync(Within.Timeout);

        await Task.WhenAll(batcher.SubmitAsync(12, "consumer-2", 2), batcher.SubmitAsync(11, "consumer-2", 1))
            .WaitAsync(Within.Timeout);

        Assert.Equal([1, 2, 11, 12], Handled);
    }

    [Fact]
    public async Task Should_fail_only_the_item_at_fault_and_keep_the_others_in_order()
    {
        var release = new TaskCompletionSource();
        _onBatch = async items =>
        {
            await release.Task;
            if (items.Contains(3))
            {
                throw new InvalidOperationException("item 3 is poison");
            }
        };
        await using var batcher = Batcher(TimeSpan.FromSeconds(30));

        var done = Enumerable.Range(1, 5).ToDictionary(tag => tag, tag => batcher.SubmitAsync(tag, Channel, (ulong)tag));
        release.SetResult();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => done[3].WaitAsync(Within.Timeout));
        Assert.Equal("item 3 is poison", failure.Message);
        await Task.WhenAll(done.Where(d => d.Key != 3).Select(d => d.Value)).WaitAsync(Within.Timeout);
        Assert.Equal([1, 2, 4, 5], Handled);

        // The consumer's retry brings the failed delivery back under its old tag; it is handled at once.
        _onBatch = _ => Task.CompletedTask;
        await batcher.SubmitAsync(3, Channel, 3).WaitAsync(Within.Timeout);
        Assert.Equal([1, 2, 4, 5, 3], Handled);
    }

    [Fact]
    public async Task Should_retry_a_batch_in_place_while_the_failure_is_transient()
    {
        var failures = 2;
        _onBatch = _ => Interlocked.Decrement(ref failures) >= 0
            ? throw new TimeoutException("the store is unreachable")
            : Task.CompletedTask;
        await using var batcher = Batcher(TimeSpan.FromSeconds(30));

        var done = Enumerable.Range(1, 3).Select(tag => batcher.SubmitAsync(tag, Channel, (ulong)tag)).ToList();
        await Task.WhenAll(done).WaitAsync(Within.Timeout);

        Assert.Equal([1, 2, 3], Handled);
    }

    [Fact]
    public async Task Should_take_deliveries_without_tags_in_arrival_order()
    {
        await using var batcher = Batcher(TimeSpan.FromSeconds(30));

        int[] arrivals = [7, 3, 9];
        foreach (var item in arrivals)
        {
            await batcher.SubmitAsync(item, consumerTag: null, deliveryTag: 0).WaitAsync(Within.Timeout);
        }

        Assert.Equal([7, 3, 9], Handled);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
