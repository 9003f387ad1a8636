using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using EventChat.LoadTest;

namespace EventChat.UnitTests.LoadTest;

/// <summary>
/// Members of a reference run do not reconnect, so a server that dies mid-run leaves them disconnected at the end,
/// which makes the run inconclusive rather than correct.
/// </summary>
public sealed class When_the_reference_server_dies : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TcpListener _server = new(IPAddress.Loopback, 0);

    public When_the_reference_server_dies() => _server.Start();

    [Fact]
    public async Task Should_count_its_members_as_disconnected_at_the_end()
    {
        // At 0.001 msg/s the first send is minutes away: nothing is sent, so nothing can be lost, and only the
        // members still disconnected at the end can make the run anything but correct.
        using var stop = new CancellationTokenSource();
        var serving = AcceptThenDieAsync(2, stop.Token);
        using var error = new StringWriter();

        var code = await Commands.RunAsync(
            [
                "chat", "--target", "reference", "--urls", $"http://127.0.0.1:{((IPEndPoint)_server.LocalEndpoint).Port}",
                "--users", "2", "--rooms", "1", "--rate", "0.001", "--warmup", "0", "--duration", "3", "--drain", "0",
            ],
            error).WaitAsync(Bound);

        await stop.CancelAsync();
        await serving.WaitAsync(Bound);
        Assert.True(code == 3, $"exit code {code}; stderr: {error}");
    }

    public void Dispose() => _server.Dispose();

    // A WebSocket server that does the handshake for each client, then, once all are in, drops them all at once
    // the way a killed process does.
    private async Task AcceptThenDieAsync(int clients, CancellationToken cancellationToken)
    {
        var sockets = new List<TcpClient>();
        try
        {
            for (var i = 0; i < clients; i++)
            {
                var client = await _server.AcceptTcpClientAsync(cancellationToken);
                sockets.Add(client);
                await HandshakeAsync(client.GetStream(), cancellationToken);
            }

            await Task.Delay(TimeSpan.FromSeconds(0.5), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The run ended before every client came.
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Client.LingerState = new LingerOption(true, 0);
                socket.Dispose();
            }
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Security", "CA5350", Justification = "RFC 6455 fixes SHA-1 for the handshake; it protects nothing here.")]
    private static async Task HandshakeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var request = new StringBuilder();
        var buffer = new byte[1024];
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var key = request.ToString().Split("\r\n")
            .First(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))
            .Split(':', 2)[1].Trim();
        var accept = Convert.ToBase64String(
            SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        var response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                       $"Sec-WebSocket-Accept: {accept}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response), cancellationToken);
    }
}
