using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Moderation;
using EventChat.Infrastructure.Outbox;
using EventChat.Infrastructure.Redis;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers;
using EventChat.Workers.Moderation;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventChat.UnitTests.Moderation;

/// <summary>The moderation consumer, registered with its definition as the worker does, on the harness.</summary>
public sealed class ModerationHarness
{
    private readonly ServiceProvider _provider;

    private ModerationHarness(ServiceProvider provider, TempDatabase database)
    {
        _provider = provider;
        Database = database;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    /// <summary>Where the moderator reads account ages and writes the mutes it imposes.</summary>
    public TempDatabase Database { get; }

    public static async Task<ModerationHarness> StartAsync(ModerationOptions options)
    {
        var database = await TempDatabase.CreateAsync();

        // The counter's clock is frozen so that the flood window cannot roll over between two sends.
        var provider = new ServiceCollection()
            .AddLogging()
            .AddDbContext<ChatDbContext>(database.Configure)
            .AddSingleton<OutboxSignal>()
            .AddSingleton(new RedisOptions())
            .AddSingleton<MembershipNotices>()
            .AddSingleton(new BlockedWordFilter(options.BlockedWords))
            .AddSingleton(options)
            .AddSingleton<IRateCounter>(new InMemoryRateCounter(new FrozenClock(DateTimeOffset.UtcNow)))
            .AddSingleton<IDecisionMemory>(new InMemoryDecisionMemory(TimeProvider.System))
            .AddSingleton(TimeProvider.System)
            .AddModerator()
            .AddMassTransitTestHarness(x => x.AddConsumer<ModerationConsumer, ModerationConsumerDefinition>())
            .BuildServiceProvider(validateScopes: true);

        var moderation = new ModerationHarness(provider, database);
        await moderation.Harness.Start().WaitAsync(Within.Timeout);
        return moderation;
    }

    public static readonly DateTimeOffset SentAt = new(2025, 6, 1, 12, 30, 15, 123, TimeSpan.Zero);

    public static MessageSent Sent(Guid roomId, Guid senderId, string text, DateTimeOffset? sentAt = null) =>
        new(Guid.NewGuid(), roomId, $"client-{Guid.NewGuid():N}", senderId, "sender", text, sentAt ?? SentAt);

    public Task SendAsync(MessageSent message) => Harness.Bus.Publish(message).WaitAsync(Within.Timeout);

    public Task UntilConsumedAsync(int count) =>
        Within.UntilAsync(
            () => Harness.ConsumedSoFar<MessageSent>().Count >= count, $"{count} MessageSent are consumed");

    public async Task StopAsync()
    {
        await _provider.DisposeAsync().AsTask().WaitAsync(Within.Timeout);
        Database.Dispose();
    }
}
