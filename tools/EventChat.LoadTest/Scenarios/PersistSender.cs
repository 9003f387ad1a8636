using EventChat.LoadTest.Common;
using Microsoft.AspNetCore.SignalR.Client;

namespace EventChat.LoadTest.Scenarios;

/// <summary>
/// One sending account of the <c>persist</c> scenario. When its connection drops (an edge died, the network cut
/// it), the next send waits for a new one: the sender backs off and connects again, to the next of the URLs in
/// turn (the same one when there is only one), so a lost edge slows the run instead of stopping it.
/// </summary>
public sealed class PersistSender(
    int index, IReadOnlyList<Uri> urls, string accessToken, SocketPool sockets, Metrics metrics,
    Action<HubConnection> configure) : IAsyncDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _reconnecting = new(1, 1);
    private HubConnection? _connection;
    private int _url = index % urls.Count;
    private long _reconnects;
    private long _reconnectFailures;
    private volatile bool _stopping;

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long ReconnectFailures => Interlocked.Read(ref _reconnectFailures);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = Create(urls[_url]);
        try
        {
            await connection.StartAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        Volatile.Write(ref _connection, connection);
        metrics.Add(Counter.Connections);
    }

    /// <summary>
    /// The current connection when it is up; otherwise one new connection, made by whichever caller comes first
    /// while the others wait for it, retried with backoff until it opens or <paramref name="cancellationToken"/>
    /// fires.
    /// </summary>
    public async Task<HubConnection> ConnectedAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _connection)!;
        if (current.State == HubConnectionState.Connected)
        {
            return current;
        }

        await _reconnecting.WaitAsync(cancellationToken);
        try
        {
            var backoff = FirstBackoff;
            while (true)
            {
                current = _connection!;
                if (current.State == HubConnectionState.Connected)
                {
                    return current;
                }

                _url = (_url + 1) % urls.Count;
                var fresh = Create(urls[_url]);
                try
                {
                    await fresh.StartAsync(cancellationToken);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    await fresh.DisposeAsync();
                    Interlocked.Increment(ref _reconnectFailures);
                    await Task.Delay(Jitter(backoff), cancellationToken);
                    backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
                    continue;
                }
                catch
                {
                    await fresh.DisposeAsync();
                    throw;
                }

                Volatile.Write(ref _connection, fresh);
                Interlocked.Increment(ref _reconnects);
                metrics.Add(Counter.Connections);
                await current.DisposeAsync();
                return fresh;
            }
        }
        finally
        {
            _reconnecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (Volatile.Read(ref _connection) is { } connection)
        {
            await connection.DisposeAsync();
        }

        _reconnecting.Dispose();
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.5 + (Random.Shared.NextDouble() / 2));

    private HubConnection Create(Uri edge)
    {
        var connection = HubConnector.Create(edge, accessToken, sockets);
        configure(connection);
        connection.Closed += _ =>
        {
            if (!_stopping)
            {
                metrics.Add(Counter.Dropped);
                metrics.Add(Counter.Connections, -1);
            }

            return Task.CompletedTask;
        };
        return connection;
    }
}
