using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Outbox;
using EventChat.UnitTests.TestSupport;
using EventChat.Workers;
using EventChat.Workers.Persistence;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventChat.UnitTests.Persistence;

/// <summary>The persistence consumer, registered with its definition, on a SQLite file of its own.</summary>
public sealed class PersistenceHarness
{
    private readonly ServiceProvider _provider;

    private PersistenceHarness(TempDatabase database, Guid roomId, ServiceProvider provider)
    {
        Database = database;
        RoomId = roomId;
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public TempDatabase Database { get; }

    /// <summary>A room that exists, with no messages yet.</summary>
    public Guid RoomId { get; }

    public ITestHarness Harness { get; }

    public static async Task<PersistenceHarness> StartAsync()
    {
        var database = await TempDatabase.CreateAsync().WaitAsync(Within.Timeout);
        var roomId = await database.SeedRoomAsync().WaitAsync(Within.Timeout);
        var provider = new ServiceCollection()
            .AddLogging()
            .AddDbContext<ChatDbContext>(database.Configure)
            .AddSingleton<OutboxSignal>()
            .AddSingleton(TimeProvider.System)
            .AddWorkerRoleServices(new ConfigurationBuilder().Build(), WorkerRole.Persistence)
            .AddMassTransitTestHarness(x => x.AddConsumer<PersistenceConsumer, PersistenceConsumerDefinition>())
            .BuildServiceProvider(validateScopes: true);

        var persistence = new PersistenceHarness(database, roomId, provider);
        await persistence.Harness.Start().WaitAsync(Within.Timeout);
        return persistence;
    }

    public static MessageApproved Approved(Guid roomId, string text) =>
        new(Guid.NewGuid(), roomId, $"c-{Guid.NewGuid():N}", Guid.NewGuid(), "sender", text, DateTimeOffset.UtcNow);

    public Task PublishAsync(MessageApproved message) => Harness.Bus.Publish(message).WaitAsync(Within.Timeout);

    public Task PublishAsync(MessageChangeApproved change) => Harness.Bus.Publish(change).WaitAsync(Within.Timeout);

    public static MessageChangeApproved Change(
        MessageApproved message, string change, Guid actorId, string? text = null, string? emoji = null) =>
        new(Guid.NewGuid(), message.RoomId, message.MessageId, change, actorId, "actor", text, emoji,
            DateTimeOffset.UtcNow);

    /// <summary>Waits until the consumer is done with <paramref name="count"/> changes; none may fail.</summary>
    public async Task UntilChangesConsumedAsync(int count)
    {
        await Within.UntilAsync(
            () => Harness.ConsumedSoFar<MessageChangeApproved>().Count >= count,
            $"{count} MessageChangeApproved are consumed");
        Assert.All(Harness.ConsumedSoFar<MessageChangeApproved>(), m => Assert.Null(m.Exception));
    }

    /// <summary>Waits until the consumer is done with <paramref name="count"/> deliveries; none may fail.</summary>
    public async Task UntilConsumedAsync(int count)
    {
        await Within.UntilAsync(
            () => Harness.ConsumedSoFar<MessageApproved>().Count >= count, $"{count} MessageApproved are consumed");
        Assert.All(Harness.ConsumedSoFar<MessageApproved>(), m => Assert.Null(m.Exception));
    }

    public async Task StopAsync()
    {
        await _provider.DisposeAsync().AsTask().WaitAsync(Within.Timeout);
        Database.Dispose();
    }
}
