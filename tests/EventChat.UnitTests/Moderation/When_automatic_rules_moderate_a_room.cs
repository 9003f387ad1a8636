using EventChat.Contracts;
using EventChat.Infrastructure.Data.Entities;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Moderation;
using Microsoft.EntityFrameworkCore;

namespace EventChat.UnitTests.Moderation;

public sealed class When_automatic_rules_moderate_a_room : IAsyncLifetime
{
    private ModerationHarness _moderation = null!;
    private int _sent;

    public async Task InitializeAsync() =>
        _moderation = await ModerationHarness.StartAsync(new ModerationOptions
        {
            BlockedWords = ["ass"],
            RepeatLimit = 2,
            MentionLimit = 3,
            NewAccountLinkLimit = 1,
            StrikeLimit = 3,
            StrikeMuteDuration = TimeSpan.FromMinutes(7),
        }).WaitAsync(Within.Timeout);

    public Task DisposeAsync() => _moderation.StopAsync();

    [Fact]
    public async Task Should_refuse_the_same_text_past_the_limit_in_a_row_however_it_is_dressed()
    {
        var room = Guid.NewGuid();
        var user = Guid.NewGuid();

        var verdicts = await DecideAsync(
            ModerationHarness.Sent(room, user, "buy now"),
            ModerationHarness.Sent(room, user, "BUY\u200B NOW"),
            ModerationHarness.Sent(room, user, "buy now"),
            ModerationHarness.Sent(room, user, "something else"),
            ModerationHarness.Sent(room, user, "buy now"),
            ModerationHarness.Sent(Guid.NewGuid(), user, "buy now"));

        Assert.Equal([null, null, "The same message again", null, null, null], verdicts);
    }

    [Fact]
    public async Task Should_refuse_a_mention_flood()
    {
        var room = Guid.NewGuid();
        var user = Guid.NewGuid();

        var verdicts = await DecideAsync(
            ModerationHarness.Sent(room, user, "@ann @bob @cy hello"),
            ModerationHarness.Sent(room, user, "@ann @bob @cy @dee hello"));

        Assert.Equal([null, "Too many mentions"], verdicts);
    }

    [Fact]
    public async Task Should_limit_links_from_new_accounts_only()
    {
        var room = await _moderation.Database.SeedRoomAsync();
        var fresh = await AddMemberAsync(room, ModerationHarness.SentAt - TimeSpan.FromHours(1));
        var old = await AddMemberAsync(room, ModerationHarness.SentAt - TimeSpan.FromDays(2));

        var verdicts = await DecideAsync(
            ModerationHarness.Sent(room, fresh, "see https://example.test/1"),
            ModerationHarness.Sent(room, fresh, "see www.example.test/2"),
            ModerationHarness.Sent(room, fresh, "no link here"),
            ModerationHarness.Sent(room, old, "see https://example.test/1"),
            ModerationHarness.Sent(room, old, "see https://example.test/2"));

        Assert.Equal([null, "New accounts may send at most 1", null, null, null], verdicts);
    }

    [Theory]
    [InlineData("see http\u200B://g.example")]
    [InlineData("see \uFF48\uFF54\uFF54\uFF50\uFF53://h.example")]
    [InlineData("see https:/\u2060/i.example")]
    public async Task Should_count_a_link_from_a_new_account_however_it_is_dressed(string disguised)
    {
        var room = await _moderation.Database.SeedRoomAsync();
        var fresh = await AddMemberAsync(room, ModerationHarness.SentAt - TimeSpan.FromHours(1));

        var verdicts = await DecideAsync(
            ModerationHarness.Sent(room, fresh, disguised),
            ModerationHarness.Sent(room, fresh, disguised.Replace("see", "and", StringComparison.Ordinal)));

        Assert.Equal([null, "New accounts may send at most 1"], verdicts);
    }

    [Fact]
    public async Task Should_mute_a_member_whose_strikes_reach_the_limit_and_log_it()
    {
        var room = await _moderation.Database.SeedRoomAsync();
        var member = await AddMemberAsync(room, ModerationHarness.SentAt - TimeSpan.FromDays(2));

        await DecideAsync(
            ModerationHarness.Sent(room, member, "you ass"),
            ModerationHarness.Sent(room, member, "an ass"),
            ModerationHarness.Sent(room, member, "fine words"));
        using (var db = _moderation.Database.Open())
        {
            Assert.False(await db.RoomMutes.AnyAsync());
        }

        await DecideAsync(ModerationHarness.Sent(room, member, "ass again"));

        using var after = _moderation.Database.Open();
        var mute = await after.RoomMutes.SingleAsync();
        Assert.Equal((room, member, (Guid?)null), (mute.RoomId, mute.UserId, mute.MutedBy));
        Assert.InRange(mute.Until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(7));
        var logged = await after.ModerationActions.SingleAsync();
        Assert.Equal((ModerationActions.Mute, (Guid?)null, (Guid?)member), (logged.Action, logged.ActorId, logged.UserId));
        var muted = await after.Events.SingleAsync(e => e.RoomId == room);
        Assert.Equal(RoomEventTypes.MemberMuted, muted.Type);
        Assert.Contains(await after.Outbox.Select(o => o.MessageType).ToListAsync(), t => t == nameof(ModerationActionTaken));
    }

    /// <summary>Sends the messages one after another; returns each one's rejection reason cut to its prefix, or null.</summary>
    private async Task<List<string?>> DecideAsync(params MessageSent[] messages)
    {
        foreach (var message in messages)
        {
            await _moderation.SendAsync(message);
            await _moderation.UntilConsumedAsync(++_sent);
        }

        await Within.UntilAsync(
            () => _moderation.Harness.PublishedSoFar<MessageApproved>().Count
                  + _moderation.Harness.PublishedSoFar<MessageRejected>().Count >= _sent,
            "every verdict is published");
        var rejected = _moderation.Harness.PublishedSoFar<MessageRejected>()
            .ToDictionary(m => m.Context.Message.MessageId, m => m.Context.Message.Reason);
        return messages
            .Select(m => rejected.TryGetValue(m.MessageId, out var reason) ? Prefix(reason) : null)
            .ToList();
    }

    private static readonly string[] ReasonPrefixes =
        ["The same message again", "Too many mentions", "New accounts may send at most 1"];

    private static string Prefix(string reason) =>
        ReasonPrefixes.FirstOrDefault(p => reason.StartsWith(p, StringComparison.Ordinal)) ?? reason;

    private async Task<Guid> AddMemberAsync(Guid room, DateTimeOffset createdAt)
    {
        var name = $"member-{Guid.NewGuid():N}";
        var user = new User
        {
            Id = Guid.NewGuid(),
            UserName = name,
            NormalizedUserName = name,
            PasswordHash = "not-a-real-hash",
            CreatedAt = createdAt,
        };
        using var db = _moderation.Database.Open();
        db.Users.Add(user);
        db.RoomMembers.Add(new RoomMember { RoomId = room, UserId = user.Id, Role = RoomRole.Member, JoinedAt = createdAt });
        await db.SaveChangesAsync().WaitAsync(Within.Timeout);
        return user.Id;
    }
}
