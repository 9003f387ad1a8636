using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace EventChat.LoadTest.Common;

/// <summary>
/// Builds SignalR connections the way the load test needs them: WebSockets only, no negotiate round trip, and
/// the socket opened through a <see cref="SocketPool"/> handler so its source address can be chosen.
/// </summary>
public static class HubConnector
{
    public static HubConnection Create(Uri edge, string accessToken, SocketPool sockets)
    {
        var handler = sockets.Next();
        var url = new Uri(edge, $"/hubs/chat?access_token={Uri.EscapeDataString(accessToken)}");
        var connection = new HubConnectionBuilder()
            .WithUrl(url, HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.WebSocketFactory = (context, cancellationToken) => OpenAsync(context.Uri, handler, cancellationToken);
            })
            .Build();

        // Under load a busy edge may answer pings late; that is a measurement, not a dead connection.
        connection.ServerTimeout = TimeSpan.FromSeconds(60);
        connection.HandshakeTimeout = TimeSpan.FromSeconds(60);
        return connection;
    }

    public static async ValueTask<WebSocket> OpenAsync(Uri uri, HttpMessageHandler handler, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
            await socket.ConnectAsync(uri, invoker, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
