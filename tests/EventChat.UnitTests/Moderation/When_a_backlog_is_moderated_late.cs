using EventChat.Contracts;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Moderation;

namespace EventChat.UnitTests.Moderation;

/// <summary>Moderation was down; the messages it finds waiting were sent at a calm pace and are not a flood.</summary>
public sealed class When_a_backlog_is_moderated_late : IAsyncLifetime
{
    private ModerationHarness _moderation = null!;

    public async Task InitializeAsync() =>
        _moderation = await ModerationHarness.StartAsync(
                new ModerationOptions { FloodLimit = 3, FloodWindow = TimeSpan.FromSeconds(10) })
            .WaitAsync(Within.Timeout);

    public Task DisposeAsync() => _moderation.StopAsync();

    [Fact]
    public async Task Should_count_each_message_in_the_window_it_was_sent_in()
    {
        var roomId = Guid.NewGuid();
        var sender = Guid.NewGuid();
        var start = new DateTimeOffset(2025, 6, 1, 12, 30, 0, TimeSpan.Zero);
        int[] secondsAfterStart = [0, 3, 6, 10, 13, 16, 20, 23, 26];

        foreach (var second in secondsAfterStart)
        {
            await _moderation.SendAsync(ModerationHarness.Sent(roomId, sender, $"at {second}", start.AddSeconds(second)));
        }

        await _moderation.UntilConsumedAsync(secondsAfterStart.Length);
        Assert.Equal(secondsAfterStart.Length, _moderation.Harness.PublishedSoFar<MessageApproved>().Count);
        Assert.Empty(_moderation.Harness.PublishedSoFar<MessageRejected>());
    }
}
