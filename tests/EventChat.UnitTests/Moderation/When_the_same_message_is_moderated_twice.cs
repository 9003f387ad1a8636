using EventChat.Contracts;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Moderation;

namespace EventChat.UnitTests.Moderation;

/// <summary>A redelivery, or a client's retry with the same clientMessageId, carries the same message id.</summary>
public sealed class When_the_same_message_is_moderated_twice : IAsyncLifetime
{
    private ModerationHarness _moderation = null!;

    public async Task InitializeAsync() =>
        _moderation = await ModerationHarness.StartAsync(new ModerationOptions { FloodLimit = 1 })
            .WaitAsync(Within.Timeout);

    public Task DisposeAsync() => _moderation.StopAsync();

    [Fact]
    public async Task Should_give_the_first_decision_again_and_count_it_once()
    {
        var roomId = Guid.NewGuid();
        var sender = Guid.NewGuid();
        var first = ModerationHarness.Sent(roomId, sender, "only once");

        await _moderation.SendAsync(first);
        await _moderation.SendAsync(first);
        await _moderation.UntilConsumedAsync(2);

        var approved = _moderation.Harness.PublishedSoFar<MessageApproved>().Select(m => m.Context.Message).ToList();
        Assert.Equal(2, approved.Count);
        Assert.All(approved, m => Assert.Equal(first.MessageId, m.MessageId));
        Assert.Empty(_moderation.Harness.PublishedSoFar<MessageRejected>());

        var second = ModerationHarness.Sent(roomId, sender, "one too many");
        await _moderation.SendAsync(second);
        await _moderation.UntilConsumedAsync(3);
        var rejected = Assert.Single(_moderation.Harness.PublishedSoFar<MessageRejected>());
        Assert.Equal(second.MessageId, rejected.Context.Message.MessageId);
    }
}
