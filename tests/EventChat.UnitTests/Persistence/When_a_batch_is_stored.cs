using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Outbox;
using EventChat.Infrastructure.Streams;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EventChat.UnitTests.Persistence;

/// <summary>
/// Several messages and changes, across rooms, committed together: a reply or a reaction may name a message
/// earlier in the same batch, and a repeat within the batch is applied once.
/// </summary>
public sealed class When_a_batch_is_stored : IAsyncLifetime
{
    private TempDatabase _database = null!;
    private Guid _roomA;
    private Guid _roomB;

    public async Task InitializeAsync()
    {
        _database = await TempDatabase.CreateAsync().WaitAsync(Within.Timeout);
        _roomA = await _database.SeedRoomAsync().WaitAsync(Within.Timeout);
        _roomB = await _database.SeedRoomAsync().WaitAsync(Within.Timeout);
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    private async Task ApplyAsync(params object[] items)
    {
        await using var db = _database.Open();
        await new MessageStore(db, new OutboxSignal(), TimeProvider.System).ApplyAsync(items, CancellationToken.None)
            .WaitAsync(Within.Timeout);
    }

    [Fact]
    public async Task Should_number_each_room_in_batch_order_and_see_what_the_batch_wrote_before()
    {
        var first = PersistenceHarness.Approved(_roomA, "first in A");
        var inB = PersistenceHarness.Approved(_roomB, "first in B");
        var reply = PersistenceHarness.Approved(_roomA, "reply in A") with { ReplyToMessageId = first.MessageId };
        var reaction = PersistenceHarness.Change(first, MessageChanges.React, inB.SenderId, emoji: "👍");
        var edit = PersistenceHarness.Change(inB, MessageChanges.Edit, inB.SenderId, text: "edited in B");
        var later = PersistenceHarness.Approved(_roomB, "second in B");

        await ApplyAsync(first, inB, reply, reaction, first, edit, later);

        await using var db = _database.Open();
        var events = await db.Events.AsNoTracking().OrderBy(e => e.RoomId).ThenBy(e => e.Seq).ToListAsync()
            .WaitAsync(Within.Timeout);
        var a = events.Where(e => e.RoomId == _roomA).Select(RoomStream.Read).ToList();
        var b = events.Where(e => e.RoomId == _roomB).Select(RoomStream.Read).ToList();
        Assert.Equal([1L, 2, 3], a.Select(e => e.Seq));
        Assert.Equal([RoomEventTypes.MessagePosted, RoomEventTypes.MessagePosted, RoomEventTypes.ReactionAdded],
            a.Select(e => e.Type));
        Assert.Equal([first.MessageId, reply.MessageId, first.MessageId], a.Select(e => e.MessageId));
        Assert.Equal(1, a[2].Count);
        Assert.Equal([1L, 2, 3], b.Select(e => e.Seq));
        Assert.Equal([RoomEventTypes.MessagePosted, RoomEventTypes.MessageEdited, RoomEventTypes.MessagePosted],
            b.Select(e => e.Type));

        var lastSeqs = await db.Rooms.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.LastSeq)
            .WaitAsync(Within.Timeout);
        Assert.Equal(3, lastSeqs[_roomA]);
        Assert.Equal(3, lastSeqs[_roomB]);
        Assert.Equal(4, await db.Messages.CountAsync().WaitAsync(Within.Timeout));
        Assert.Equal("edited in B", (await db.Messages.SingleAsync(m => m.MessageId == inB.MessageId)).Text);
        Assert.Equal(6, await db.Inbox.CountAsync().WaitAsync(Within.Timeout));
        Assert.Equal(6, await db.Outbox.CountAsync().WaitAsync(Within.Timeout));
    }

    [Fact]
    public async Task Should_take_a_reaction_added_removed_and_added_again_in_one_batch()
    {
        var message = PersistenceHarness.Approved(_roomA, "react to me");
        var reactor = Guid.NewGuid();

        await ApplyAsync(
            message,
            PersistenceHarness.Change(message, MessageChanges.React, reactor, emoji: "🎉"),
            PersistenceHarness.Change(message, MessageChanges.Unreact, reactor, emoji: "🎉"),
            PersistenceHarness.Change(message, MessageChanges.React, reactor, emoji: "🎉"));

        await using var db = _database.Open();
        var events = (await db.Events.AsNoTracking().Where(e => e.RoomId == _roomA).OrderBy(e => e.Seq).ToListAsync()
            .WaitAsync(Within.Timeout)).Select(RoomStream.Read).ToList();
        Assert.Equal(
            [
                (RoomEventTypes.MessagePosted, (int?)null),
                (RoomEventTypes.ReactionAdded, 1),
                (RoomEventTypes.ReactionRemoved, 0),
                (RoomEventTypes.ReactionAdded, 1),
            ],
            events.Select(e => (e.Type, e.Count)));
        Assert.Equal(1, await db.Reactions.CountAsync().WaitAsync(Within.Timeout));
    }

    [Fact]
    public async Task Should_go_on_numbering_from_the_last_batch_and_skip_what_it_stored()
    {
        var first = PersistenceHarness.Approved(_roomA, "one");
        await ApplyAsync(first);

        var second = PersistenceHarness.Approved(_roomA, "two");
        await ApplyAsync(first, second);

        await using var db = _database.Open();
        Assert.Equal([1L, 2], await db.Events.AsNoTracking().Where(e => e.RoomId == _roomA).OrderBy(e => e.Seq)
            .Select(e => e.Seq).ToListAsync().WaitAsync(Within.Timeout));
    }

    [Fact]
    public async Task Should_store_nothing_from_a_batch_with_a_message_for_a_room_that_does_not_exist()
    {
        var fine = PersistenceHarness.Approved(_roomA, "fine");
        var lost = PersistenceHarness.Approved(Guid.NewGuid(), "nowhere");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ApplyAsync(fine, lost));

        Assert.Contains(lost.RoomId.ToString(), failure.Message);
        await using var db = _database.Open();
        Assert.Equal(0, await db.Messages.CountAsync().WaitAsync(Within.Timeout));
        Assert.Equal(0, await db.Inbox.CountAsync().WaitAsync(Within.Timeout));
    }
}
