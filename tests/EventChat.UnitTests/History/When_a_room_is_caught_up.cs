using EventChat.Api.History;
using EventChat.Contracts;
using EventChat.Infrastructure.Streams;
using EventChat.UnitTests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace EventChat.UnitTests.History;

/// <summary>Catch-up reads of one room of 30 events, from the database and from the recent-event cache.</summary>
public sealed class When_a_room_is_caught_up : IAsyncLifetime
{
    private const int Events = 30;

    private TempDatabase _database = null!;
    private Guid _room;

    public async Task InitializeAsync()
    {
        _database = await TempDatabase.CreateAsync();
        _room = await _database.SeedRoomAsync();
        using var db = _database.Open();
        for (var i = 1; i <= Events; i++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await RoomStream.AppendAsync(db, new RoomEvent(_room, 0, RoomEventTypes.MessagePosted,
                DateTimeOffset.UtcNow, Guid.NewGuid(), "sender", Guid.NewGuid(), $"c-{i}", $"message {i}"),
                CancellationToken.None);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(0L, 10, 1L, 10L, true)]
    [InlineData(10L, 100, 11L, 30L, false)]
    [InlineData(29L, 5, 30L, 30L, false)]
    public async Task Should_return_the_numbers_after_the_last_seen_one(
        long afterSeq, int limit, long first, long last, bool hasMore)
    {
        var page = await ReadAsync(new InMemoryRecentEvents(), afterSeq, limit);

        Assert.Equal(Range(first, last), page.Events.Select(e => e.Seq));
        Assert.Equal(Events, page.LastSeq);
        Assert.Equal(hasMore, page.HasMore);
        Assert.Null(page.Truncated);
    }

    [Fact]
    public async Task Should_return_nothing_to_a_client_that_is_up_to_date()
    {
        var page = await ReadAsync(new InMemoryRecentEvents(), Events, 10);

        Assert.Empty(page.Events);
        Assert.False(page.HasMore);
    }

    [Fact]
    public async Task Should_answer_from_the_cache_exactly_as_from_the_database()
    {
        var cache = new InMemoryRecentEvents();
        using (var db = _database.Open())
        {
            foreach (var stored in await db.Events.Where(e => e.RoomId == _room && e.Seq > 20).OrderBy(e => e.Seq).ToListAsync())
            {
                Assert.True((await cache.AppendAsync([RoomStream.Read(stored)], CancellationToken.None))[0]);
            }
        }

        var cached = await ReadAsync(cache, 20, 100);
        var fromDatabase = await ReadAsync(new InMemoryRecentEvents(), 20, 100);
        var partlyCached = await ReadAsync(cache, 15, 100);

        Assert.Equal(fromDatabase.Events, cached.Events);
        Assert.Equal(Range(16, 30), partlyCached.Events.Select(e => e.Seq));
    }

    [Fact]
    public async Task Should_mark_events_that_retention_removed()
    {
        using (var db = _database.Open())
        {
            await db.Events.Where(e => e.RoomId == _room && e.Seq < 12).ExecuteDeleteAsync();
            await db.Rooms.Where(r => r.Id == _room).ExecuteUpdateAsync(s => s.SetProperty(r => r.FirstSeq, 12L));
        }

        var behind = await ReadAsync(new InMemoryRecentEvents(), 5, 100);
        var justInTime = await ReadAsync(new InMemoryRecentEvents(), 11, 100);

        Assert.Equal(12, behind.Truncated?.FirstAvailableSeq);
        Assert.Equal(Range(12, 30), behind.Events.Select(e => e.Seq));
        Assert.Null(justInTime.Truncated);
        Assert.Equal(Range(12, 30), justInTime.Events.Select(e => e.Seq));
    }

    private async Task<EventPage> ReadAsync(IRecentEvents cache, long afterSeq, int limit)
    {
        using var db = _database.Open();
        return await new EventHistory(cache, db).ReadAsync(_room, afterSeq, limit, CancellationToken.None)
            .WaitAsync(Within.Timeout);
    }

    private static IEnumerable<long> Range(long first, long last) =>
        Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => (long)i);
}
