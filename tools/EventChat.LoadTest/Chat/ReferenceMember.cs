using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using EventChat.LoadTest.Common;

namespace EventChat.LoadTest.Chat;

/// <summary>
/// A member of a room on the reference server. The reference numbers nothing, so each sender's counter is the
/// stream position: per receiver and sender it must arrive once, in order, with no gaps.
/// </summary>
public sealed class ReferenceMember(int index, int room, ChatContext context, Uri server, SocketPool sockets)
    : ChatMember(index, room, context)
{
    private readonly CancellationTokenSource _stop = new();
    private WebSocket? _socket;
    private Task? _receiving;
    private int _dropped;

    // The reference server has no catch-up and the member does not reconnect: a drop lasts to the end.
    public override bool DisconnectedAtEnd => Volatile.Read(ref _dropped) == 1;

    public override async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var scheme = server.Scheme == "http" ? "ws" : server.Scheme;
        var uri = new UriBuilder(server) { Scheme = scheme, Path = "/ws", Query = $"room={Context.RunId}r{Room}" }.Uri;
        _socket = await HubConnector.OpenAsync(uri, sockets.Next(), cancellationToken);
        Connected = true;
        Context.Metrics.Add(Counter.Connections);
        _receiving = ReceiveLoopAsync(_socket, _stop.Token);
    }

    public override Task JoinAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing politely is a courtesy; the socket is disposed either way.
            }

            _socket.Dispose();
        }

        if (_receiving is not null)
        {
            await _receiving;
        }

        _stop.Dispose();
    }

    protected override async Task<AckedMessage> SendAsync(long counter, string text, CancellationToken cancellationToken)
    {
        await _socket!.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);
        return new AckedMessage(counter, string.Empty, Guid.Empty);
    }

    private async Task ReceiveLoopAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
                if (ChatMessageText.TryParse(text, out var sender, out var counter, out _))
                {
                    OnDelivery(sender, counter, posted: true, text);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The run is ending or the server went away; a drop during the run is counted below.
        }

        if (!Context.Stopping)
        {
            Volatile.Write(ref _dropped, 1);
            Context.Metrics.Add(Counter.Dropped);
            Context.Metrics.Add(Counter.Connections, -1);
        }
    }
}
