using System.Net;
using System.Net.Sockets;
using System.Text;
using EventChat.LoadTest.Common;

namespace EventChat.UnitTests.LoadTest;

/// <summary>
/// The load tool spreads its sockets over several 127.0.0.x source addresses, each with its own ephemeral ports.
/// On Linux the port is chosen at connect time; the source address must still be the one asked for, and many
/// connections from one address to one server must each get a port of their own.
/// </summary>
public sealed class When_connections_come_from_chosen_addresses : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly byte[] Ok = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    private readonly TcpListener _server = new(IPAddress.Loopback, 0);
    private readonly List<IPEndPoint> _callers = [];
    private Task _accepting = Task.CompletedTask;

    public Task InitializeAsync()
    {
        _server.Start();
        _accepting = AcceptAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _server.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task Should_connect_from_each_address_in_turn_with_a_port_per_connection()
    {
        IPAddress[] sources = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")];
        using var pool = new SocketPool(sources);
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)_server.LocalEndpoint).Port}/");

        // The server closes every connection after its answer, so each request opens a socket of its own.
        for (var i = 0; i < 40; i++)
        {
            using var client = new HttpClient(pool.Next(), disposeHandler: false);
            using var response = await client.GetAsync(url).WaitAsync(Bound);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        IPEndPoint[] callers;
        lock (_callers)
        {
            callers = [.. _callers];
        }

        Assert.Equal(40, callers.Length);
        Assert.Equal(sources.Select(s => s.ToString()).Order(),
            callers.Select(c => c.Address.ToString()).Distinct().Order());
        Assert.Equal(20, callers.Count(c => c.Address.Equals(sources[0])));
        Assert.All(callers, c => Assert.NotEqual(0, c.Port));
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            using var socket = await _server.AcceptSocketAsync();
            lock (_callers)
            {
                _callers.Add((IPEndPoint)socket.RemoteEndPoint!);
            }

            var request = new byte[4096];
            await socket.ReceiveAsync(request);
            await socket.SendAsync(Ok);
            socket.Shutdown(SocketShutdown.Both);
        }
    }
}
