using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Workers.Retention;

/// <summary>
/// One retention run: in every room with a retention period, removes the events older than the period, and the
/// messages those events posted, from the oldest on. Each batch is a transaction of its own that also raises the
/// room's first stored number past what it removed, so a reader always sees a truncation point that matches
/// what is left, and writers to the room wait for at most one batch.
/// </summary>
public sealed partial class RetentionSweeper(
    ChatDbContext db,
    RetentionOptions options,
    TimeProvider clock,
    ILogger<RetentionSweeper> logger)
{
    private const long RetentionLockKey = 0x4576_4368_6174_0003;
    private static readonly TimeSpan KeepRunsFor = TimeSpan.FromDays(30);

    /// <summary>
    /// Runs once and returns what it did; null when another process's job holds the lock. Every run is recorded
    /// in <c>retention_runs</c> and logged; records older than 30 days are dropped.
    /// </summary>
    public async Task<RetentionRun?> RunAsync(CancellationToken cancellationToken)
    {
        if (!db.IsPostgres)
        {
            return await SweepAsync(cancellationToken);
        }

        // A session lock, not a transaction one: the run is many short transactions, and two processes
        // interleaving their batches would count the same deletions twice.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var locked = await db.Database
                .SqlQuery<bool>($"SELECT pg_try_advisory_lock({RetentionLockKey}) AS \"Value\"")
                .SingleAsync(cancellationToken);
            if (!locked)
            {
                Log.Busy(logger);
                return null;
            }

            try
            {
                return await SweepAsync(cancellationToken);
            }
            finally
            {
                await db.Database
                    .SqlQuery<bool>($"SELECT pg_advisory_unlock({RetentionLockKey}) AS \"Value\"")
                    .SingleAsync(CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<RetentionRun> SweepAsync(CancellationToken cancellationToken)
    {
        var run = new RetentionRun { StartedAt = clock.GetUtcNow() };
        var rooms = await db.Rooms.AsNoTracking()
            .Where(r => r.RetentionDays != null && r.RetentionDays > 0)
            .Select(r => new { r.Id, Days = r.RetentionDays!.Value })
            .ToListAsync(cancellationToken);

        foreach (var room in rooms)
        {
            var cutoff = run.StartedAt.AddDays(-room.Days).ToUnixTimeMilliseconds();
            var (events, messages) = await TruncateAsync(room.Id, cutoff, cancellationToken);
            if (events + messages > 0)
            {
                run.RoomsTruncated++;
                run.EventsDeleted += events;
                run.MessagesDeleted += messages;
                Log.RoomTruncated(logger, room.Id, events, messages);
            }
        }

        run.FinishedAt = clock.GetUtcNow();
        db.RetentionRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);

        // Every run is listed, so operators can see the job is alive; a month of them is enough to look back on.
        var forgetBefore = run.StartedAt - KeepRunsFor;
        var old = await db.RetentionRuns.AsNoTracking().OrderBy(r => r.Id).Take(100).ToListAsync(cancellationToken);
        var expired = old.Where(r => r.StartedAt < forgetBefore).Select(r => r.Id).ToList();
        if (expired.Count > 0)
        {
            await db.RetentionRuns.Where(r => expired.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        Log.Finished(logger, rooms.Count, run.RoomsTruncated, run.EventsDeleted, run.MessagesDeleted,
            (run.FinishedAt - run.StartedAt).TotalMilliseconds);
        return run;
    }

    /// <summary>The cut is found through the index on (room_id, occurred_unix_ms): only the expired events are read.</summary>
    private async Task<(long Events, long Messages)> TruncateAsync(
        Guid roomId, long cutoffUnixMs, CancellationToken cancellationToken)
    {
        var firstSeq = await db.Rooms.AsNoTracking()
            .Where(r => r.Id == roomId)
            .Select(r => r.FirstSeq)
            .SingleAsync(cancellationToken);
        var cut = await db.Events.AsNoTracking()
            .Where(e => e.RoomId == roomId && e.Seq >= firstSeq && e.OccurredUnixMs < cutoffUnixMs)
            .MaxAsync(e => (long?)e.Seq, cancellationToken);
        if (cut is not { } last)
        {
            return (0, 0);
        }

        long events = 0;
        long messages = 0;
        for (var start = firstSeq; start <= last; start += options.BatchSize)
        {
            var end = Math.Min(last, start + options.BatchSize - 1);
            var (batchEvents, batchMessages) = await DeleteBatchAsync(roomId, start, end, cancellationToken);
            events += batchEvents;
            messages += batchMessages;
        }

        return (events, messages);
    }

    /// <summary>
    /// The room row is updated first: writers take that row's lock before they touch events, messages or
    /// reactions, and taking it in the same order here keeps a batch from deadlocking with them.
    /// </summary>
    private async Task<(int Events, int Messages)> DeleteBatchAsync(
        Guid roomId, long start, long end, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var next = end + 1;
        await db.Rooms
            .Where(r => r.Id == roomId && r.FirstSeq < next)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.FirstSeq, next), cancellationToken);
        var messages = await db.Messages
            .Where(m => m.RoomId == roomId && m.Seq >= start && m.Seq <= end)
            .ExecuteDeleteAsync(cancellationToken);
        var events = await db.Events
            .Where(e => e.RoomId == roomId && e.Seq >= start && e.Seq <= end)
            .ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.BatchDeleted(logger, roomId, start, end);
        return (events, messages);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7001, EventName = "RetentionRunFinished", Level = LogLevel.Information,
            Message = "Retention run checked {Rooms} rooms and truncated {Truncated}: {Events} events and "
                + "{Messages} messages deleted in {ElapsedMs:0} ms")]
        public static partial void Finished(
            ILogger logger, int rooms, int truncated, long events, long messages, double elapsedMs);

        [LoggerMessage(EventId = 7002, EventName = "RetentionRoomTruncated", Level = LogLevel.Debug,
            Message = "Retention truncated room {RoomId}: {Events} events and {Messages} messages deleted")]
        public static partial void RoomTruncated(ILogger logger, Guid roomId, long events, long messages);

        [LoggerMessage(EventId = 7003, EventName = "RetentionBatchDeleted", Level = LogLevel.Trace,
            Message = "Retention deleted numbers {Start} to {End} of room {RoomId}")]
        public static partial void BatchDeleted(ILogger logger, Guid roomId, long start, long end);

        [LoggerMessage(EventId = 7004, EventName = "RetentionBusy", Level = LogLevel.Debug,
            Message = "Another process is running retention; this run is skipped")]
        public static partial void Busy(ILogger logger);
    }
}
