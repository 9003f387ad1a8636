using System.Net.WebSockets;
using System.Threading.Channels;

namespace EventChat.LoadTest.Reference;

/// <summary>
/// One client socket with its own send queue: a WebSocket allows one send at a time, and a queue per receiver
/// keeps each sender's frames in order without one slow receiver holding up the room.
/// </summary>
public sealed class ReferenceSocket(WebSocket socket)
{
    private readonly Channel<ReadOnlyMemory<byte>> _outbox = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(
        new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(ReadOnlyMemory<byte> frame) => _outbox.Writer.TryWrite(frame);

    public void Complete() => _outbox.Writer.TryComplete();

    public async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in _outbox.Reader.ReadAllAsync(cancellationToken))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away; its receive loop ends the connection.
        }
    }
}
