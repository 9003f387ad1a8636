using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Outbox;
using EventChat.UnitTests.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OutboxLog = EventChat.Infrastructure.Outbox.Outbox;

namespace EventChat.UnitTests.Outbox;

/// <summary>
/// A SQLite outbox and the in-memory harness as the relay's bus. The relay is started on demand, so that rows can
/// be left in the table first, as a process that died between its commit and its publish would leave them.
/// </summary>
public sealed class RelayHarness
{
    private readonly ServiceProvider _provider;
    private OutboxRelay? _relay;

    private RelayHarness(TempDatabase database, ServiceProvider provider)
    {
        Database = database;
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Signal = provider.GetRequiredService<OutboxSignal>();
    }

    public TempDatabase Database { get; }

    public ITestHarness Harness { get; }

    public OutboxSignal Signal { get; }

    public static async Task<RelayHarness> StartAsync(OutboxOptions options)
    {
        var database = await TempDatabase.CreateAsync().WaitAsync(Within.Timeout);
        var provider = new ServiceCollection()
            .AddLogging()
            .AddDbContext<ChatDbContext>(database.Configure)
            .AddSingleton(options)
            .AddSingleton<OutboxSignal>()
            .AddSingleton<IHostApplicationLifetime, StartedLifetime>()
            .AddMassTransitTestHarness()
            .BuildServiceProvider(validateScopes: true);

        var relay = new RelayHarness(database, provider);
        await relay.Harness.Start().WaitAsync(Within.Timeout);
        return relay;
    }

    public async Task StartRelayAsync()
    {
        _relay = ActivatorUtilities.CreateInstance<OutboxRelay>(_provider);
        await _relay.StartAsync(CancellationToken.None).WaitAsync(Within.Timeout);
    }

    /// <summary>Commits one <see cref="RoomEvent"/> to the outbox, as a consumer's transaction would.</summary>
    public async Task<RoomEvent> WriteAsync(Guid roomId, long seq)
    {
        var posted = new RoomEvent(roomId, seq, RoomEventTypes.MessagePosted, DateTimeOffset.UtcNow, Guid.NewGuid(),
            "sender", Guid.NewGuid(), $"c-{seq}", $"message {seq}");
        using var db = Database.Open();
        OutboxLog.Add(db, posted, posted.MessageId!.Value, roomId);
        await db.SaveChangesAsync().WaitAsync(Within.Timeout);
        return posted;
    }

    public async Task<List<Guid>> MessageIdsInTableAsync(Guid roomId)
    {
        using var db = Database.Open();
        return await db.Outbox.AsNoTracking()
            .Where(m => m.PartitionKey == roomId.ToString("N"))
            .OrderBy(m => m.Id)
            .Select(m => m.MessageId)
            .ToListAsync()
            .WaitAsync(Within.Timeout);
    }

    public async Task<int> RowsLeftAsync()
    {
        using var db = Database.Open();
        return await db.Outbox.CountAsync().WaitAsync(Within.Timeout);
    }

    public IReadOnlyList<IPublishedMessage<RoomEvent>> PublishedFor(Guid roomId) =>
        Harness.PublishedSoFar<RoomEvent>().Where(m => m.Context.Message.RoomId == roomId).ToList();

    public async Task UntilDrainedAsync(int published)
    {
        await Within.UntilAsync(
            () => Harness.PublishedSoFar<RoomEvent>().Count >= published, $"{published} rows are published");
        await Within.UntilAsync(async () => await RowsLeftAsync() == 0, "the outbox table is empty");
    }

    public async Task StopAsync()
    {
        if (_relay is not null)
        {
            await _relay.StopAsync(CancellationToken.None).WaitAsync(Within.Timeout);
            _relay.Dispose();
        }

        await _provider.DisposeAsync().AsTask().WaitAsync(Within.Timeout);
        Database.Dispose();
    }
}
