using System.Threading.Channels;
using EventChat.Contracts;

namespace EventChat.Workers.Persistence;

/// <summary>
/// Group commit: consumers hand their message over and wait, and one loop stores whatever has gathered since its
/// last transaction, up to <see cref="BatchSize"/>, in the next one. A quiet room gets a transaction per message
/// without waiting for anyone; a busy one shares each commit among many.
/// </summary>
public sealed partial class PersistenceBatcher(IServiceScopeFactory scopes, ILogger<PersistenceBatcher> logger)
    : BackgroundService
{
    public const int BatchSize = 100;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(
        new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Completes once the message is committed; fails if its transaction failed or its room is unknown.</summary>
    public async Task StoreAsync(MessageApproved message, CancellationToken cancellationToken)
    {
        var pending = new Pending(message);
        await _pending.Writer.WriteAsync(pending, cancellationToken);
        await pending.Stored.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(BatchSize);
        while (await _pending.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < BatchSize && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await StoreAsync(batch, stoppingToken);
            batch.Clear();
        }
    }

    private async Task StoreAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<MessageStore>();
            var orphans = (await store.StoreAsync(batch.Select(p => p.Message).ToList(), stoppingToken))
                .Select(m => m.MessageId)
                .ToHashSet();
            foreach (var pending in batch)
            {
                if (orphans.Contains(pending.Message.MessageId))
                {
                    pending.Stored.TrySetException(new InvalidOperationException(
                        $"Message {pending.Message.MessageId} names room {pending.Message.RoomId}, which does not exist."));
                }
                else
                {
                    pending.Stored.TrySetResult();
                }
            }

            Log.Stored(logger, batch.Count - orphans.Count);
        }
        catch (Exception ex)
        {
            // Every consumer in the batch sees the failure and retries its own message.
            Log.BatchFailed(logger, ex, batch.Count);
            foreach (var pending in batch)
            {
                pending.Stored.TrySetException(ex);
            }
        }
    }

    private sealed record Pending(MessageApproved Message)
    {
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, EventName = "MessagesStored", Level = LogLevel.Trace,
            Message = "Stored a batch of {Count} messages")]
        public static partial void Stored(ILogger logger, int count);

        [LoggerMessage(EventId = 3002, EventName = "BatchFailed", Level = LogLevel.Warning,
            Message = "A batch of {Count} messages failed to commit; each will be retried")]
        public static partial void BatchFailed(ILogger logger, Exception exception, int count);
    }
}
