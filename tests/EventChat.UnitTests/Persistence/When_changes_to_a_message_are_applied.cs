using System.Text.Json;
using EventChat.Contracts;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Streams;
using EventChat.UnitTests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace EventChat.UnitTests.Persistence;

/// <summary>Edits, deletes and reactions on one stored message, applied in the order they arrive.</summary>
public sealed class When_changes_to_a_message_are_applied : IAsyncLifetime
{
    private PersistenceHarness _persistence = null!;
    private MessageApproved _message = null!;
    private int _changes;

    public async Task InitializeAsync()
    {
        _persistence = await PersistenceHarness.StartAsync().WaitAsync(Within.Timeout);
        _message = PersistenceHarness.Approved(_persistence.RoomId, "first draft");
        await _persistence.PublishAsync(_message);
        await _persistence.UntilConsumedAsync(1);
    }

    public Task DisposeAsync() => _persistence.StopAsync();

    [Fact]
    public async Task Should_let_the_author_edit_and_announce_the_new_text()
    {
        await ApplyAsync(MessageChanges.Edit, _message.SenderId, text: "second draft");

        var stored = await StoredAsync();
        var events = await EventsAsync();
        Assert.Equal("second draft", stored.Text);
        Assert.NotNull(stored.EditedAt);
        Assert.Equal([RoomEventTypes.MessagePosted, RoomEventTypes.MessageEdited], events.Select(e => e.Type));
        Assert.Equal([1L, 2], events.Select(e => e.Seq));
        Assert.Equal("second draft", events[1].Text);
    }

    [Fact]
    public async Task Should_refuse_an_edit_by_someone_else_and_tell_them()
    {
        var stranger = Guid.NewGuid();
        await ApplyAsync(MessageChanges.Edit, stranger, text: "not yours");

        Assert.Equal("first draft", (await StoredAsync()).Text);
        Assert.Single(await EventsAsync());
        var rejection = Assert.Single(await RejectionsAsync());
        Assert.Equal(stranger, rejection.SenderId);
        Assert.Equal(MessageChanges.Edit, rejection.Request);
    }

    [Fact]
    public async Task Should_leave_a_tombstone_without_text_or_reactions_after_a_delete()
    {
        await ApplyAsync(MessageChanges.React, Guid.NewGuid(), emoji: "👍");
        await ApplyAsync(MessageChanges.Delete, _message.SenderId);
        await ApplyAsync(MessageChanges.Delete, _message.SenderId);

        var stored = await StoredAsync();
        using var db = _persistence.Database.Open();
        Assert.Equal(string.Empty, stored.Text);
        Assert.NotNull(stored.DeletedAt);
        Assert.Empty(await db.Reactions.ToListAsync());
        Assert.Equal(
            [RoomEventTypes.MessagePosted, RoomEventTypes.ReactionAdded, RoomEventTypes.MessageDeleted],
            (await EventsAsync()).Select(e => e.Type));
    }

    [Fact]
    public async Task Should_erase_the_text_from_every_stored_event_after_a_delete()
    {
        await ApplyAsync(MessageChanges.Edit, _message.SenderId, text: "second draft");
        await ApplyAsync(MessageChanges.Delete, _message.SenderId);

        using var db = _persistence.Database.Open();
        var payloads = await db.Events.AsNoTracking().Select(e => e.Payload).ToListAsync();
        Assert.Equal(3, payloads.Count);
        Assert.DoesNotContain(payloads, p => p.Contains("draft", StringComparison.Ordinal));
        Assert.All((await EventsAsync()).Take(2), e => Assert.Equal(_message.MessageId, e.MessageId));
    }

    [Fact]
    public async Task Should_let_a_room_admin_delete_but_not_a_plain_member()
    {
        var admin = await MemberAsync(RoomRole.Admin);
        var member = await MemberAsync(RoomRole.Member);

        await ApplyAsync(MessageChanges.Delete, member);
        Assert.Null((await StoredAsync()).DeletedAt);
        Assert.Single(await RejectionsAsync());

        await ApplyAsync(MessageChanges.Delete, admin);
        Assert.NotNull((await StoredAsync()).DeletedAt);
    }

    [Fact]
    public async Task Should_count_one_reaction_of_a_kind_per_user()
    {
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();
        await ApplyAsync(MessageChanges.React, alice, emoji: "🎉");
        await ApplyAsync(MessageChanges.React, alice, emoji: "🎉");
        await ApplyAsync(MessageChanges.React, bob, emoji: "🎉");
        await ApplyAsync(MessageChanges.Unreact, alice, emoji: "🎉");
        await ApplyAsync(MessageChanges.Unreact, alice, emoji: "🎉");

        var reactions = (await EventsAsync()).Skip(1).ToList();
        Assert.Equal(
            [RoomEventTypes.ReactionAdded, RoomEventTypes.ReactionAdded, RoomEventTypes.ReactionRemoved],
            reactions.Select(e => e.Type));
        Assert.Equal([1, 2, 1], reactions.Select(e => e.Count ?? -1));
        Assert.Equal([alice, bob, alice], reactions.Select(e => e.ActorId));
    }

    [Fact]
    public async Task Should_apply_a_redelivered_change_once()
    {
        var change = PersistenceHarness.Change(_message, MessageChanges.React, Guid.NewGuid(), emoji: "❤️");
        await _persistence.PublishAsync(change);
        await _persistence.PublishAsync(change);
        await _persistence.UntilChangesConsumedAsync(2);

        Assert.Equal(2, (await EventsAsync()).Count);
    }

    [Fact]
    public async Task Should_refuse_a_reaction_on_a_deleted_message()
    {
        await ApplyAsync(MessageChanges.Delete, _message.SenderId);
        await ApplyAsync(MessageChanges.React, Guid.NewGuid(), emoji: "👍");

        Assert.Equal(2, (await EventsAsync()).Count);
        Assert.Single(await RejectionsAsync());
    }

    [Fact]
    public async Task Should_store_a_reply_to_a_stored_message_and_refuse_one_to_a_message_that_never_came()
    {
        var reply = PersistenceHarness.Approved(_persistence.RoomId, "an answer") with
        {
            ReplyToMessageId = _message.MessageId,
        };
        var orphan = PersistenceHarness.Approved(_persistence.RoomId, "an answer to nothing") with
        {
            ReplyToMessageId = Guid.NewGuid(),
        };
        await _persistence.PublishAsync(reply);
        await _persistence.PublishAsync(orphan);
        await _persistence.UntilConsumedAsync(3);

        var events = await EventsAsync();
        Assert.Equal([_message.MessageId, reply.MessageId], events.Select(e => e.MessageId));
        Assert.Equal(_message.MessageId, events[1].ReplyToMessageId);
        var rejection = Assert.Single(await RejectionsAsync());
        Assert.Equal((orphan.MessageId, orphan.ClientMessageId, "send"),
            (rejection.MessageId, rejection.ClientMessageId, rejection.Request));
        Assert.Equal("The message replied to does not exist.", rejection.Reason);
    }

    private async Task ApplyAsync(string change, Guid actor, string? text = null, string? emoji = null)
    {
        await _persistence.PublishAsync(PersistenceHarness.Change(_message, change, actor, text, emoji));
        await _persistence.UntilChangesConsumedAsync(++_changes);
    }

    private async Task<Guid> MemberAsync(RoomRole role)
    {
        using var db = _persistence.Database.Open();
        var user = new User
        {
            Id = Guid.NewGuid(),
            UserName = $"user-{role}",
            NormalizedUserName = $"user-{role}".ToLowerInvariant(),
            PasswordHash = "not-a-real-hash",
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Users.Add(user);
        db.RoomMembers.Add(new RoomMember
        {
            RoomId = _persistence.RoomId,
            UserId = user.Id,
            Role = role,
            JoinedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return user.Id;
    }

    private async Task<StoredMessage> StoredAsync()
    {
        using var db = _persistence.Database.Open();
        return await db.Messages.AsNoTracking().SingleAsync(m => m.MessageId == _message.MessageId)
            .WaitAsync(Within.Timeout);
    }

    private async Task<List<RoomEvent>> EventsAsync()
    {
        using var db = _persistence.Database.Open();
        var rows = await db.Events.AsNoTracking().Where(e => e.RoomId == _persistence.RoomId).OrderBy(e => e.Seq)
            .ToListAsync().WaitAsync(Within.Timeout);
        return rows.Select(RoomStream.Read).ToList();
    }

    private async Task<List<MessageRejected>> RejectionsAsync()
    {
        using var db = _persistence.Database.Open();
        var rows = await db.Outbox.AsNoTracking().Where(o => o.MessageType == nameof(MessageRejected))
            .ToListAsync().WaitAsync(Within.Timeout);
        return rows.Select(r => JsonSerializer.Deserialize<MessageRejected>(r.Payload, RoomStream.Json)!).ToList();
    }
}
