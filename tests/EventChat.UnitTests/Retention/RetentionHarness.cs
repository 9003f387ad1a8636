using System.Data.Common;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventChat.UnitTests.Retention;

/// <summary>
/// A SQLite file with rooms whose events have chosen ages, and a sweeper on a frozen clock. The sweeper's
/// context counts the batches it deletes, and can be told to fail one of them.
/// </summary>
public sealed class RetentionHarness : IDisposable
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private RetentionHarness(TempDatabase database)
    {
        Database = database;
    }

    public TempDatabase Database { get; }

    public BatchCounter Batches { get; } = new();

    public static async Task<RetentionHarness> CreateAsync() =>
        new(await TempDatabase.CreateAsync().WaitAsync(Within.Timeout));

    /// <summary>
    /// Adds a room with one event per entry of <paramref name="ages"/>, numbered from 1; every odd-numbered event
    /// posted a message, and every message has a reaction.
    /// </summary>
    public async Task<Guid> AddRoomAsync(int? retentionDays, params TimeSpan[] ages)
    {
        var owner = new User
        {
            Id = Guid.NewGuid(),
            UserName = $"owner-{Guid.NewGuid():N}",
            NormalizedUserName = $"owner-{Guid.NewGuid():N}",
            PasswordHash = "not-a-real-hash",
            CreatedAt = Now,
        };
        var room = new Room
        {
            Id = Guid.NewGuid(),
            Name = "general",
            NormalizedName = "general",
            OwnerId = owner.Id,
            LastSeq = ages.Length,
            RetentionDays = retentionDays,
            CreatedAt = Now,
        };

        using var db = Database.Open();
        var reactions = new List<MessageReaction>();
        db.Users.Add(owner);
        db.Rooms.Add(room);
        for (var i = 0; i < ages.Length; i++)
        {
            var seq = i + 1L;
            var at = Now - ages[i];
            db.Events.Add(new StoredEvent
            {
                RoomId = room.Id,
                Seq = seq,
                Type = "message.posted",
                Payload = "{}",
                OccurredUnixMs = at.ToUnixTimeMilliseconds(),
            });
            if (seq % 2 == 1)
            {
                var messageId = Guid.NewGuid();
                db.Messages.Add(new StoredMessage
                {
                    RoomId = room.Id,
                    Seq = seq,
                    MessageId = messageId,
                    ClientMessageId = $"c-{seq}",
                    SenderId = owner.Id,
                    SenderName = owner.UserName,
                    Text = $"message {seq}",
                    SentAt = at,
                    PostedAt = at,
                });
                reactions.Add(new MessageReaction
                {
                    MessageId = messageId, Emoji = "👍", UserId = owner.Id, CreatedAt = at,
                });
            }
        }

        await db.SaveChangesAsync().WaitAsync(Within.Timeout);

        // The model does not tie reactions to messages, so they go in once their messages are stored.
        db.Reactions.AddRange(reactions);
        await db.SaveChangesAsync().WaitAsync(Within.Timeout);
        return room.Id;
    }

    public async Task<RetentionRun?> RunAsync(int batchSize)
    {
        using var db = new ChatDbContext(new DbContextOptionsBuilder<ChatDbContext>()
            .UseSqlite(Database.ConnectionString)
            .AddInterceptors(Batches)
            .Options);
        var sweeper = new RetentionSweeper(db, new RetentionOptions { BatchSize = batchSize },
            new FrozenClock(Now), NullLogger<RetentionSweeper>.Instance);
        return await sweeper.RunAsync(CancellationToken.None).WaitAsync(Within.Timeout);
    }

    public async Task<RoomState> StateAsync(Guid roomId)
    {
        using var db = Database.Open();
        var firstSeq = await db.Rooms.Where(r => r.Id == roomId).Select(r => r.FirstSeq)
            .SingleAsync().WaitAsync(Within.Timeout);
        var events = await db.Events.Where(e => e.RoomId == roomId).OrderBy(e => e.Seq).Select(e => e.Seq)
            .ToListAsync().WaitAsync(Within.Timeout);
        var messages = await db.Messages.Where(m => m.RoomId == roomId).OrderBy(m => m.Seq).Select(m => m.Seq)
            .ToListAsync().WaitAsync(Within.Timeout);
        var messageIds = await db.Messages.Where(m => m.RoomId == roomId).Select(m => m.MessageId)
            .ToListAsync().WaitAsync(Within.Timeout);
        var reactions = await db.Reactions.CountAsync(r => messageIds.Contains(r.MessageId)).WaitAsync(Within.Timeout);
        return new RoomState(firstSeq, events, messages, reactions);
    }

    public async Task<List<RetentionRun>> RunsAsync()
    {
        using var db = Database.Open();
        return await db.RetentionRuns.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout);
    }

    public void Dispose() => Database.Dispose();

    public sealed record RoomState(long FirstSeq, List<long> Events, List<long> Messages, int Reactions);

    /// <summary>Counts the statements that delete a batch of events, and fails the one numbered FailAt.</summary>
    public sealed class BatchCounter : DbCommandInterceptor
    {
        public int Count { get; private set; }

        public int? FailAt { get; set; }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("DELETE FROM \"room_events\"", StringComparison.Ordinal))
            {
                Count++;
                if (Count == FailAt)
                {
                    throw new InvalidOperationException($"Batch {Count} fails on purpose.");
                }
            }

            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
