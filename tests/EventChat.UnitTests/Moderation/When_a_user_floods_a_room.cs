using EventChat.Contracts;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers.Moderation;

namespace EventChat.UnitTests.Moderation;

public sealed class When_a_user_floods_a_room : IAsyncLifetime
{
    private ModerationHarness _moderation = null!;

    public async Task InitializeAsync() =>
        _moderation = await ModerationHarness.StartAsync(new ModerationOptions { FloodLimit = 3 })
            .WaitAsync(Within.Timeout);

    public Task DisposeAsync() => _moderation.StopAsync();

    [Fact]
    public async Task Should_approve_up_to_the_limit_and_reject_the_rest_for_that_user_only()
    {
        var roomId = Guid.NewGuid();
        var flooder = Guid.NewGuid();
        var neighbour = Guid.NewGuid();

        for (var i = 0; i < 5; i++)
        {
            await _moderation.SendAsync(ModerationHarness.Sent(roomId, flooder, $"message {i}"));
        }

        for (var i = 0; i < 3; i++)
        {
            await _moderation.SendAsync(ModerationHarness.Sent(roomId, neighbour, $"reply {i}"));
        }

        await _moderation.UntilConsumedAsync(8);

        var approved = _moderation.Harness.PublishedSoFar<MessageApproved>().Select(m => m.Context.Message).ToList();
        var rejected = _moderation.Harness.PublishedSoFar<MessageRejected>().Select(m => m.Context.Message).ToList();
        Assert.Equal(3, approved.Count(m => m.SenderId == flooder));
        Assert.Equal(2, rejected.Count(m => m.SenderId == flooder));
        Assert.All(rejected, m => Assert.StartsWith("Too many messages", m.Reason, StringComparison.Ordinal));
        Assert.Equal(3, approved.Count(m => m.SenderId == neighbour));
        Assert.DoesNotContain(rejected, m => m.SenderId == neighbour);
    }
}
