using System.Net;
using System.Net.Sockets;

namespace EventChat.LoadTest.Common;

/// <summary>
/// HTTP handlers whose sockets are bound to chosen local 127.0.0.x addresses, handed out round-robin, so one
/// process can hold more connections to one edge than a single source address has ephemeral ports.
/// </summary>
public sealed class SocketPool : IDisposable
{
    // Linux's IP_BIND_ADDRESS_NO_PORT (level SOL_IP): the local port is chosen at connect time, for the whole
    // address pair. Without it, bind picks a port that is free for every destination, and that search grows with
    // the ports already in use until it dominates the tool's CPU at tens of thousands of connections.
    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;

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
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
            }

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
