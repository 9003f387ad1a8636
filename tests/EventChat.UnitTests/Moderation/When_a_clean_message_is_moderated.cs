using EventChat.Contracts;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Moderation;

namespace EventChat.UnitTests.Moderation;

public sealed class When_a_clean_message_is_moderated : IAsyncLifetime
{
    private ModerationHarness _moderation = null!;

    public async Task InitializeAsync() =>
        _moderation = await ModerationHarness.StartAsync(new ModerationOptions { BlockedWords = ["ass"] })
            .WaitAsync(Within.Timeout);

    public Task DisposeAsync() => _moderation.StopAsync();

    [Fact]
    public async Task Should_publish_it_approved_with_the_same_fields()
    {
        var sent = ModerationHarness.Sent(Guid.NewGuid(), Guid.NewGuid(), " a perfectly classy message\n");

        await _moderation.SendAsync(sent);
        await _moderation.UntilConsumedAsync(1);

        var approved = Assert.Single(_moderation.Harness.PublishedSoFar<MessageApproved>()).Context.Message;
        var expected = new MessageApproved(sent.MessageId, sent.RoomId, sent.ClientMessageId, sent.SenderId,
            sent.SenderName, sent.Text, sent.SentAt);
        Assert.Equal(expected, approved);
        Assert.Empty(_moderation.Harness.PublishedSoFar<MessageRejected>());
    }
}
