using EventChat.Api.Presence;
using EventChat.Infrastructure.Presence;
using EventChat.UnitTests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventChat.UnitTests.Presence;

/// <summary>
/// A heartbeat whose Redis call never completes must not stop the edge's heartbeat: the beat fails after one
/// interval and the next one goes out.
/// </summary>
public sealed class When_a_heartbeat_never_returns
{
    [Fact]
    public async Task Should_give_up_on_it_and_beat_again()
    {
        var store = new StuckOnceStore();
        var options = new PresenceOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            EdgeTimeout = TimeSpan.FromSeconds(1),
        };
        using var services = new ServiceCollection().BuildServiceProvider();
        var heartbeat = new PresenceHeartbeat(store, services.GetRequiredService<IServiceScopeFactory>(), options,
            NullLogger<PresenceHeartbeat>.Instance);

        await heartbeat.StartAsync(CancellationToken.None);
        try
        {
            await store.SecondBeat.Task.WaitAsync(Within.Timeout);
        }
        finally
        {
            // Stopping waits for the beat in progress; bounded, so a stuck beat fails the test instead of hanging it.
            using var stopping = new CancellationTokenSource(Within.Timeout);
            await heartbeat.StopAsync(stopping.Token);
        }

        Assert.True(store.Beats >= 2);
    }

    /// <summary>A store whose first heartbeat never completes; every later one succeeds with no changes.</summary>
    private sealed class StuckOnceStore : IPresenceStore
    {
        private int _beats;

        public TaskCompletionSource SecondBeat { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Beats => Volatile.Read(ref _beats);

        public string EdgeId => "edge-under-test";

        public Task<IReadOnlyList<PresenceStatus>> HeartbeatAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _beats) == 1)
            {
                return new TaskCompletionSource<IReadOnlyList<PresenceStatus>>().Task;
            }

            SecondBeat.TrySetResult();
            return Task.FromResult<IReadOnlyList<PresenceStatus>>([]);
        }

        public Task ResignAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<PresenceStatus?> ConnectedAsync(Guid userId, string connectionId,
            Func<CancellationToken, Task<bool>> loadInvisible, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<PresenceStatus?> DisconnectedAsync(Guid userId, string connectionId,
            IReadOnlyCollection<Guid> rooms, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task JoinedAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task LeftAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<PresenceStatus?> SetInvisibleAsync(Guid userId, bool invisible, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<PresenceStatus>> GetAsync(IReadOnlyList<Guid> userIds,
            CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PresenceSweep> SweepDeadEdgesAsync(CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<Guid>> OnlineInRoomAsync(Guid roomId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<string>> ConnectionsInRoomAsync(Guid roomId, Guid userId,
            CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> IsOnlineAsync(Guid userId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<int> ConnectionCountAsync(Guid userId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
