using EventChat.UnitTests.TestSupport;
using Microsoft.EntityFrameworkCore;
using InboxLog = EventChat.Infrastructure.Inbox.Inbox;

namespace EventChat.UnitTests.Inbox;

public sealed class When_a_consumer_records_a_message : IAsyncLifetime
{
    private readonly Guid _messageId = Guid.NewGuid();
    private TempDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TempDatabase.CreateAsync().WaitAsync(Within.Timeout);
        Assert.True(await RecordAsync("persistence", _messageId));
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Should_refuse_the_same_id_for_the_same_consumer() =>
        Assert.False(await RecordAsync("persistence", _messageId));

    [Fact]
    public async Task Should_accept_the_same_id_for_another_consumer()
    {
        Assert.True(await RecordAsync("notifications.mentions", _messageId));

        using var db = _database.Open();
        var consumers = await db.Inbox.Where(m => m.MessageId == _messageId).Select(m => m.Consumer)
            .ToListAsync().WaitAsync(Within.Timeout);
        Assert.Equal(["notifications.mentions", "persistence"], consumers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Should_accept_another_id_for_the_same_consumer() =>
        Assert.True(await RecordAsync("persistence", Guid.NewGuid()));

    /// <summary>Records the id and commits, each time in a context of its own as a fresh delivery would.</summary>
    private async Task<bool> RecordAsync(string consumer, Guid messageId)
    {
        using var db = _database.Open();
        var recorded = await InboxLog.TryRecordAsync(db, consumer, messageId, CancellationToken.None)
            .WaitAsync(Within.Timeout);
        await db.SaveChangesAsync().WaitAsync(Within.Timeout);
        return recorded;
    }
}
