using EventChat.Infrastructure.Presence;
using EventChat.UnitTests.TestSupport;

namespace EventChat.UnitTests.Presence;

/// <summary>An in-memory store on a manual clock, with a durable invisible flag that counts its reads.</summary>
public sealed class PresenceFixture
{
    public static readonly DateTimeOffset Start = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public PresenceFixture()
    {
        Store = new InMemoryPresenceStore(Clock);
    }

    public ManualClock Clock { get; } = new(Start);

    public InMemoryPresenceStore Store { get; }

    /// <summary>What the database says about invisibility, read only when the store does not know.</summary>
    public bool StoredInvisible { get; set; }

    public int InvisibleReads { get; private set; }

    public Task<PresenceStatus?> ConnectAsync(Guid userId, string connectionId) =>
        Store.ConnectedAsync(userId, connectionId, LoadInvisibleAsync, CancellationToken.None)
            .WaitAsync(Within.Timeout);

    public Task<PresenceStatus?> DisconnectAsync(Guid userId, string connectionId, params Guid[] rooms) =>
        Store.DisconnectedAsync(userId, connectionId, rooms, CancellationToken.None).WaitAsync(Within.Timeout);

    public async Task<PresenceStatus> StatusAsync(Guid userId)
    {
        var statuses = await Store.GetAsync([userId], CancellationToken.None).WaitAsync(Within.Timeout);
        return Assert.Single(statuses);
    }

    private Task<bool> LoadInvisibleAsync(CancellationToken cancellationToken)
    {
        InvisibleReads++;
        return Task.FromResult(StoredInvisible);
    }
}
