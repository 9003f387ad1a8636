using MassTransit;
using MassTransit.RabbitMqTransport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventChat.Infrastructure.Messaging;

/// <summary>
/// Lets a consumer take many deliveries at once and still handle them in queue order, in batches. Concurrent
/// deliveries reach the consumer in a slightly shuffled order, so each one is filed under its RabbitMQ delivery
/// tag, and a batch is the run of tags that follows the last one handled. A tag whose delivery left the receive
/// pipeline without reaching the consumer (a message the transport moved aside, or of a type the consumer does not
/// take) is skipped as soon as <see cref="Passed"/> reports it; the run waits for any other missing tag, since its
/// delivery is only late, for <see cref="GapWait"/> at most.
/// Each <see cref="SubmitAsync"/> completes when its item's batch has been handled, so a delivery is acknowledged
/// only after its effects are durable.
/// </summary>
/// <remarks>
/// A transient failure retries the whole batch in place, which keeps the order through an outage; any other
/// failure splits the batch and handles its items one by one, so only the item at fault fails and goes on to the
/// consumer's retry policy. On the in-memory transport, which has no delivery tags, items are taken in the order
/// they arrive; the consumer then runs one delivery at a time, so that is queue order.
/// </remarks>
public sealed partial class OrderedBatcher<T> : IAsyncDisposable
{
    private readonly IServiceScopeFactory _scopes;
    private readonly Func<IServiceProvider, IReadOnlyList<T>, CancellationToken, Task> _handle;
    private readonly Func<Exception, bool> _isTransient;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly SortedDictionary<ulong, Pending> _sequenced = [];
    private readonly HashSet<ulong> _passed = [];
    private readonly HashSet<string> _retired = [];
    private readonly Queue<Pending> _unsequenced = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private string? _consumerTag;
    private ulong _nextTag = 1;

    /// <param name="handle">Handles one batch, in order, with services from a scope of its own.</param>
    public OrderedBatcher(
        IServiceScopeFactory scopes,
        Func<IServiceProvider, IReadOnlyList<T>, CancellationToken, Task> handle,
        Func<Exception, bool> isTransient,
        ILogger logger)
    {
        _scopes = scopes;
        _handle = handle;
        _isTransient = isTransient;
        _logger = logger;
    }

    public int MaxBatchSize { get; init; } = 256;

    /// <summary>
    /// How long a missing tag holds the run back. Every delivery of the channel either reaches the consumer or is
    /// reported through <see cref="Passed"/>, so this only matters when a channel closes with deliveries in flight;
    /// it is long enough that a delivery late on a starved machine is still handled in order.
    /// </summary>
    public TimeSpan GapWait { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Files <paramref name="item"/> under the delivery of <paramref name="context"/> and waits for its batch.</summary>
    public Task SubmitAsync(ConsumeContext context, T item) =>
        context.ReceiveContext is RabbitMqReceiveContext rabbit
            ? SubmitAsync(item, rabbit.ConsumerTag, rabbit.DeliveryTag)
            : SubmitAsync(item, consumerTag: null, deliveryTag: 0);

    /// <summary>
    /// Files <paramref name="item"/> under a delivery tag of one broker consumer, or, with no consumer tag, in
    /// arrival order.
    /// </summary>
    public Task SubmitAsync(T item, string? consumerTag, ulong deliveryTag)
    {
        var pending = new Pending(item, Clock.GetTimestamp());
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _loop ??= Task.Run(RunAsync);
            if (consumerTag is null)
            {
                _unsequenced.Enqueue(pending);
            }
            else
            {
                File(pending, consumerTag, deliveryTag);
            }
        }

        _arrived.Release();
        return pending.Done.Task;
    }

    /// <summary>
    /// Reports that a delivery has left the receive pipeline. If it never reached the consumer, the run need not
    /// wait for its tag.
    /// </summary>
    public void Passed(string consumerTag, ulong deliveryTag)
    {
        lock (_gate)
        {
            if (!Follow(consumerTag) || deliveryTag < _nextTag || _sequenced.ContainsKey(deliveryTag))
            {
                return;
            }

            _passed.Add(deliveryTag);
        }

        _arrived.Release();
    }

    private void File(Pending pending, string consumerTag, ulong deliveryTag)
    {
        if (!Follow(consumerTag) || deliveryTag < _nextTag || !_sequenced.TryAdd(deliveryTag, pending))
        {
            // A retry of an item that failed on its own after the run moved past it, or a delivery of a channel
            // that has since closed.
            _unsequenced.Enqueue(pending);
        }
    }

    /// <summary>Moves on to a new broker channel; false for a channel the batcher has already left.</summary>
    private bool Follow(string consumerTag)
    {
        if (consumerTag == _consumerTag)
        {
            return true;
        }

        if (_retired.Contains(consumerTag))
        {
            return false;
        }

        // A new channel numbers its deliveries from one again. What is left of the old channel's can no longer be
        // acknowledged; it is handled anyway, and its redeliveries find their inbox entries.
        foreach (var stale in _sequenced.Values)
        {
            _unsequenced.Enqueue(stale);
        }

        if (_consumerTag is not null)
        {
            if (_retired.Count >= 256)
            {
                _retired.Clear();
            }

            _retired.Add(_consumerTag);
        }

        _sequenced.Clear();
        _passed.Clear();
        _consumerTag = consumerTag;
        _nextTag = 1;
        return true;
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            List<Pending> batch;
            TimeSpan wait;
            lock (_gate)
            {
                batch = TakeBatch(out wait);
            }

            if (batch.Count == 0)
            {
                try
                {
                    await _arrived.WaitAsync(wait, token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            await HandleAsync(batch, token);
        }

        lock (_gate)
        {
            foreach (var pending in _unsequenced.Concat(_sequenced.Values))
            {
                pending.Done.TrySetCanceled(token);
            }
        }
    }

    private List<Pending> TakeBatch(out TimeSpan wait)
    {
        wait = Timeout.InfiniteTimeSpan;
        var batch = new List<Pending>();
        while (batch.Count < MaxBatchSize && _unsequenced.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        while (_passed.Remove(_nextTag))
        {
            _nextTag++;
        }

        if (_sequenced.Count == 0)
        {
            return batch;
        }

        var (first, firstPending) = _sequenced.First();
        if (first != _nextTag)
        {
            var waited = Clock.GetElapsedTime(firstPending.ArrivedAt);
            if (waited < GapWait && batch.Count == 0)
            {
                wait = GapWait - waited;
                return batch;
            }

            if (waited >= GapWait)
            {
                Log.GapSkipped(_logger, _nextTag, first);
                _passed.RemoveWhere(tag => tag < first);
                _nextTag = first;
            }
        }

        while (batch.Count < MaxBatchSize)
        {
            if (_sequenced.Remove(_nextTag, out var inLine))
            {
                batch.Add(inLine);
            }
            else if (!_passed.Remove(_nextTag))
            {
                break;
            }

            _nextTag++;
        }

        return batch;
    }

    private async Task HandleAsync(List<Pending> batch, CancellationToken token)
    {
        var started = Clock.GetTimestamp();
        var failure = await HandleWhileTransientAsync(batch, token);
        if (failure is null)
        {
            batch.ForEach(p => p.Done.TrySetResult());
            Log.Handled(_logger, batch.Count, Clock.GetElapsedTime(started).TotalMilliseconds,
                Clock.GetElapsedTime(batch[0].ArrivedAt).TotalMilliseconds);
            return;
        }

        if (batch.Count == 1)
        {
            batch[0].Done.TrySetException(failure);
            return;
        }

        Log.BatchSplit(_logger, failure, batch.Count);
        foreach (var pending in batch)
        {
            var alone = await HandleWhileTransientAsync([pending], token);
            if (alone is null)
            {
                pending.Done.TrySetResult();
            }
            else
            {
                pending.Done.TrySetException(alone);
            }
        }
    }

    /// <summary>Returns the failure that retrying will not cure, or null once the batch is handled.</summary>
    private async Task<Exception?> HandleWhileTransientAsync(List<Pending> batch, CancellationToken token)
    {
        var items = batch.ConvertAll(p => p.Item);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                await _handle(scope.ServiceProvider, items, token);
                return null;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return new OperationCanceledException(token);
            }
            catch (Exception ex) when (_isTransient(ex))
            {
                Log.TransientFailure(_logger, ex, items.Count, attempt);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * attempt * attempt)), token);
                }
                catch (OperationCanceledException)
                {
                    return new OperationCanceledException(token);
                }
            }
            catch (Exception ex)
            {
                return ex;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop;
        }

        _stopping.Dispose();
    }

    private sealed record Pending(T Item, long ArrivedAt)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1200, EventName = "BatchHandled", Level = LogLevel.Debug,
            Message = "Handled a batch of {Count} in {HandleMs:0.0} ms; its first item had waited {AgeMs:0.0} ms in all")]
        public static partial void Handled(ILogger logger, int count, double handleMs, double ageMs);

        [LoggerMessage(EventId = 1201, EventName = "BatchGapSkipped", Level = LogLevel.Warning,
            Message = "Deliveries {From} up to {To} did not reach the consumer in time; the batch goes on without them")]
        public static partial void GapSkipped(ILogger logger, ulong from, ulong to);

        [LoggerMessage(EventId = 1202, EventName = "BatchSplit", Level = LogLevel.Warning,
            Message = "A batch of {Count} failed; its items are handled one by one to find the one at fault")]
        public static partial void BatchSplit(ILogger logger, Exception exception, int count);

        [LoggerMessage(EventId = 1203, EventName = "BatchTransientFailure", Level = LogLevel.Warning,
            Message = "A batch of {Count} failed on an unreachable store (attempt {Attempt}); it is retried in place")]
        public static partial void TransientFailure(ILogger logger, Exception exception, int count, int attempt);
    }
}
