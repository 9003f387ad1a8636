using System.Net;
using System.Net.Sockets;

namespace EventChat.LoadTest.Common;

/// <summary>
/// HTTP handlers whose sockets are bound to chosen local 127.0.0.x addresses, handed out round-robin, so one
/// process can hold more connections to one edge than a single source address has ephemeral ports.
/// </summary>
public sealed class SocketPool : IDisposable
{
    private readonly SocketsHttpHandler[] _handlers;
    private int _next = -1;

    public SocketPool(IReadOnlyList<IPAddress> sourceAddresses)
    {
        _handlers = sourceAddresses.Count == 0
            ? [CreateHandler(null)]
            : sourceAddresses.Select(CreateHandler).ToArray();
    }

    public int Count => _handlers.Length;

    public SocketsHttpHandler Next() => _handlers[(int)((uint)Interlocked.Increment(ref _next) % _handlers.Length)];

    public void Dispose()
    {
        foreach (var handler in _handlers)
        {
            handler.Dispose();
        }
    }

    private static SocketsHttpHandler CreateHandler(IPAddress? source)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = int.MaxValue,
            UseCookies = false,
        };
        if (source is not null)
        {
            handler.ConnectCallback = (context, cancellationToken) => ConnectFromAsync(source, context, cancellationToken);
        }

        return handler;
    }

    private static async ValueTask<Stream> ConnectFromAsync(
        IPAddress source, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
