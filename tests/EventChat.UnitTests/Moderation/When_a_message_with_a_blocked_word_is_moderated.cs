using EventChat.Contracts;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Moderation;

namespace EventChat.UnitTests.Moderation;

public sealed class When_a_message_with_a_blocked_word_is_moderated : IAsyncLifetime
{
    private ModerationHarness _moderation = null!;

    public async Task InitializeAsync() =>
        _moderation = await ModerationHarness.StartAsync(new ModerationOptions { BlockedWords = ["ass"] })
            .WaitAsync(Within.Timeout);

    public Task DisposeAsync() => _moderation.StopAsync();

    [Theory]
    [InlineData("you ass")]
    [InlineData("you \uFF21\uFF33\uFF33!")]
    public async Task Should_publish_it_rejected_for_the_blocked_word_and_never_approved(string text)
    {
        var sent = ModerationHarness.Sent(Guid.NewGuid(), Guid.NewGuid(), text);

        await _moderation.SendAsync(sent);
        await _moderation.UntilConsumedAsync(1);

        var rejected = Assert.Single(_moderation.Harness.PublishedSoFar<MessageRejected>()).Context.Message;
        Assert.Equal(Moderator.BlockedWordReason, rejected.Reason);
        Assert.Equal(sent.MessageId, rejected.MessageId);
        Assert.Equal(sent.RoomId, rejected.RoomId);
        Assert.Equal(sent.ClientMessageId, rejected.ClientMessageId);
        Assert.Equal(sent.SenderId, rejected.SenderId);
        Assert.Empty(_moderation.Harness.PublishedSoFar<MessageApproved>());
    }
}
