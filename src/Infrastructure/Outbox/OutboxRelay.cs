using System.Text.Json;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Hosting;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventChat.Infrastructure.Outbox;

/// <summary>
/// Publishes outbox rows in id order and deletes them once the broker has confirmed them. Every process that
/// writes to the outbox runs one; on PostgreSQL an advisory lock lets one relay at a time drain the table,
/// which keeps each room's events in order. A crash between publish and delete publishes a row again, so
/// consumers deduplicate by message id.
/// </summary>
public sealed partial class OutboxRelay(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    OutboxOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    /// <summary>The PostgreSQL advisory lock that lets one relay at a time publish.</summary>
    public const long RelayLockKey = 0x4576_4368_6174_0002;

    private enum Pass
    {
        Empty,
        More,
        Busy,
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WaitForStartAsync(stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pass = await DrainOnceAsync(stoppingToken);
                failures = 0;
                switch (pass)
                {
                    case Pass.More:
                        continue;
                    case Pass.Busy:
                        await Task.Delay(options.BusyRetry, stoppingToken);
                        continue;
                    default:
                        await signal.WaitAsync(options.PollInterval, stoppingToken);
                        break;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                Log.PassFailed(logger, ex, failures);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * failures * failures)), stoppingToken);
            }
        }
    }

    private async Task<Pass> DrainOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        if (db.IsPostgres)
        {
            var locked = await db.Database
                .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({RelayLockKey}) AS \"Value\"")
                .SingleAsync(cancellationToken);
            if (!locked)
            {
                return Pass.Busy;
            }
        }

        var batch = await db.Outbox.AsNoTracking()
            .OrderBy(m => m.Id)
            .Take(options.BatchSize)
            .ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return Pass.Empty;
        }

        await Task.WhenAll(batch
            .GroupBy(m => m.PartitionKey)
            .Select(partition => PublishInOrderAsync(partition, cancellationToken)));

        var ids = batch.Select(m => m.Id).ToList();
        await db.Outbox.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.Published(logger, batch.Count);

        return batch.Count == options.BatchSize ? Pass.More : Pass.Empty;
    }

    private async Task PublishInOrderAsync(IEnumerable<OutboxMessage> partition, CancellationToken cancellationToken)
    {
        foreach (var row in partition)
        {
            var type = Outbox.ResolveType(row.MessageType);
            var message = JsonSerializer.Deserialize(row.Payload, type, Outbox.Json)
                ?? throw new InvalidOperationException($"Outbox row {row.Id} has an empty payload.");
            await bus.Publish(message, type, context => context.MessageId = row.MessageId, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, EventName = "OutboxPublished", Level = LogLevel.Trace,
            Message = "Outbox relay published {Count} events")]
        public static partial void Published(ILogger logger, int count);

        [LoggerMessage(EventId = 1102, EventName = "OutboxPassFailed", Level = LogLevel.Warning,
            Message = "Outbox relay pass failed ({Failures} in a row); it will try again")]
        public static partial void PassFailed(ILogger logger, Exception exception, int failures);
    }
}
