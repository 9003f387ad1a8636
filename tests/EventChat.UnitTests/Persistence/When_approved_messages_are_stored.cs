using System.Text.Json;
using EventChat.Contracts;
using EventChat.UnitTests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace EventChat.UnitTests.Persistence;

public sealed class When_approved_messages_are_stored : IAsyncLifetime
{
    private const int Count = 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private PersistenceHarness _persistence = null!;

    public async Task InitializeAsync() =>
        _persistence = await PersistenceHarness.StartAsync().WaitAsync(Within.Timeout);

    public Task DisposeAsync() => _persistence.StopAsync();

    [Fact]
    public async Task Should_number_them_one_to_twenty_without_gaps_and_announce_each()
    {
        var sent = new List<MessageApproved>();
        for (var i = 1; i <= Count; i++)
        {
            var message = PersistenceHarness.Approved(_persistence.RoomId, $"message {i}");
            sent.Add(message);
            await _persistence.PublishAsync(message);
        }

        await _persistence.UntilConsumedAsync(Count);

        using var db = _persistence.Database.Open();
        var stored = await db.Messages.AsNoTracking().Where(m => m.RoomId == _persistence.RoomId)
            .OrderBy(m => m.Seq).ToListAsync().WaitAsync(Within.Timeout);
        var lastSeq = await db.Rooms.Where(r => r.Id == _persistence.RoomId).Select(r => r.LastSeq)
            .SingleAsync().WaitAsync(Within.Timeout);
        var outbox = await db.Outbox.AsNoTracking().ToListAsync().WaitAsync(Within.Timeout);

        Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Equal(sent.Select(m => m.MessageId).Order(), stored.Select(m => m.MessageId).Order());
        Assert.Equal(Count, lastSeq);

        Assert.Equal(Count, outbox.Count);
        Assert.All(outbox, row => Assert.Equal(nameof(RoomEvent), row.MessageType));
        var seqById = stored.ToDictionary(m => m.MessageId, m => m.Seq);
        foreach (var row in outbox)
        {
            var posted = JsonSerializer.Deserialize<RoomEvent>(row.Payload, Json);
            Assert.NotNull(posted);
            Assert.Equal(RoomEventTypes.MessagePosted, posted.Type);
            Assert.Equal(seqById[posted.MessageId!.Value], posted.Seq);
            Assert.Equal(_persistence.RoomId, posted.RoomId);
            Assert.Equal(_persistence.RoomId.ToString("N"), row.PartitionKey);
        }
    }
}
