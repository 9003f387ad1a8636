using EventChat.Infrastructure.Presence;
using EventChat.Infrastructure.Redis;
using EventChat.IntegrationTests.Support;
using StackExchange.Redis;

namespace EventChat.IntegrationTests;

/// <summary>
/// An edge's link to Redis breaks just as one of its clients disconnects. The edge itself lives on, so no sweep of
/// dead edges would ever remove that connection: the edge must finish the removal itself once Redis answers again,
/// or the user stays online forever.
/// </summary>
public sealed class When_redis_is_unreachable_as_a_connection_closes : IAsyncLifetime
{
    /// <summary>
    /// Every call has its own timeouts; this bound turns a call that never returns, which would otherwise hold up
    /// the whole run, into a failure that names the call.
    /// </summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly string _prefix = $"presence-test-{Guid.NewGuid():N}";
    private TcpRelay _relay = null!;
    private ConnectionMultiplexer _edgeLink = null!;
    private ConnectionMultiplexer _reader = null!;

    public async Task InitializeAsync()
    {
        var direct = ConfigurationOptions.Parse(Services.Redis);
        _reader = await ConnectionMultiplexer.ConnectAsync(direct);
        _relay = new TcpRelay(direct.EndPoints[0]);
        var relayed = direct.Clone();
        relayed.EndPoints.Clear();
        relayed.EndPoints.Add("127.0.0.1", _relay.Port);
        relayed.AbortOnConnectFail = false;
        relayed.ConnectTimeout = 1_000;
        relayed.SyncTimeout = 1_000;
        relayed.AsyncTimeout = 1_000;
        _edgeLink = await ConnectionMultiplexer.ConnectAsync(relayed);
    }

    public async Task DisposeAsync()
    {
        var keys = _reader.GetServers()[0].KeysAsync(pattern: $"{_prefix}:*");
        await foreach (var key in keys)
        {
            await _reader.GetDatabase().KeyDeleteAsync(key);
        }

        await _edgeLink.DisposeAsync().AsTask().WaitAsync(Bound);
        await _reader.DisposeAsync().AsTask().WaitAsync(Bound);
        await _relay.DisposeAsync().AsTask().WaitAsync(Bound);
    }

    [Fact]
    public async Task Should_take_the_user_offline_at_the_next_heartbeat_after_redis_is_back()
    {
        var (edge, observer, user, room) = await ConnectOneUserAsync();
        Assert.True(await OnlineAsync(observer, user));

        _relay.Cut();
        await Assert.ThrowsAnyAsync<Exception>(
            () => edge.DisconnectedAsync(user, "phone", [room], CancellationToken.None).WaitAsync(Bound));
        _relay.Restore();
        await Eventually.HoldsAsync(() => Task.FromResult(_edgeLink.IsConnected), TimeSpan.FromSeconds(20),
            "the edge's Redis connection comes back");

        Assert.True(await OnlineAsync(observer, user), "the failed disconnect left the user's entry behind");

        var changes = await edge.HeartbeatAsync(CancellationToken.None).WaitAsync(Bound);

        var change = Assert.Single(changes);
        Assert.Equal((user, false), (change.UserId, change.Online));
        Assert.False(await OnlineAsync(observer, user));
        Assert.Empty(await observer.OnlineInRoomAsync(room, CancellationToken.None).WaitAsync(Bound));
        Assert.Empty(await edge.HeartbeatAsync(CancellationToken.None).WaitAsync(Bound));
    }

    [Fact]
    public async Task Should_report_the_user_offline_when_the_removal_went_through_but_its_answer_was_lost()
    {
        var (edge, observer, user, room) = await ConnectOneUserAsync();

        _relay.MuteReplies();
        await Assert.ThrowsAnyAsync<Exception>(
            () => edge.DisconnectedAsync(user, "phone", [room], CancellationToken.None).WaitAsync(Bound));
        Assert.False(await OnlineAsync(observer, user), "the removal reached Redis although its answer did not");

        _relay.Cut();
        _relay.Restore();

        // Nobody has told the user's rooms yet; the first heartbeat that gets through must. Heartbeats sent while
        // the edge's link is still coming back fail, as they would on a live edge, and the next one goes out.
        IReadOnlyList<PresenceStatus> changes = [];
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                changes = await edge.HeartbeatAsync(CancellationToken.None).WaitAsync(Bound);
                return true;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20), "a heartbeat gets through once the edge's Redis link is back");
        var change = Assert.Single(changes);
        Assert.Equal((user, false), (change.UserId, change.Online));
        Assert.Empty(await edge.HeartbeatAsync(CancellationToken.None).WaitAsync(Bound));
    }

    /// <summary>
    /// The edge's store, reaching Redis through the relay, with one user connected as "phone" and in a room, and
    /// a store of the same edge that reads Redis directly.
    /// </summary>
    private async Task<(RedisPresenceStore Edge, RedisPresenceStore Observer, Guid User, Guid Room)> ConnectOneUserAsync()
    {
        var options = new PresenceOptions { EdgeName = "edge-under-test" };
        var redisOptions = new RedisOptions { Prefix = _prefix };
        var edge = new RedisPresenceStore(_edgeLink, redisOptions, options, TimeProvider.System);
        var observer = new RedisPresenceStore(_reader, redisOptions, options, TimeProvider.System);
        var user = Guid.NewGuid();
        var room = Guid.NewGuid();
        await edge.HeartbeatAsync(CancellationToken.None).WaitAsync(Bound);
        await edge.ConnectedAsync(user, "phone", _ => Task.FromResult(false), CancellationToken.None).WaitAsync(Bound);
        await edge.JoinedAsync(room, user, "phone", CancellationToken.None).WaitAsync(Bound);
        return (edge, observer, user, room);
    }

    private static async Task<bool> OnlineAsync(RedisPresenceStore store, Guid user) =>
        (await store.GetAsync([user], CancellationToken.None).WaitAsync(Bound))[0].Online;
}
