using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using EventChat.LoadTest.Cli;
using EventChat.LoadTest.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventChat.LoadTest.Reference;

/// <summary>
/// A bare broadcast server for comparison: Kestrel and WebSockets only, no SignalR, broker or database.
/// A client connects to <c>/ws?room=X</c>; each text frame it sends goes to the room's other sockets.
/// </summary>
public static class ReferenceServer
{
    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("urls", "http://127.0.0.1:5400", "where to listen (loopback only)"),
        new("duration", "0", "seconds to run; 0 runs until Ctrl+C"),
    ];

    public static async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var urls = Loopback.RequireUrls(line.List("urls"));
        var seconds = line.Seconds("duration");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(urls.Select(u => u.ToString()).ToArray());
        await using var app = builder.Build();
        var rooms = new ConcurrentDictionary<string, ReferenceRoom>();
        long nextId = 0;
        app.UseWebSockets();
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            var roomName = context.Request.Query["room"].ToString();
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var room = rooms.GetOrAdd(roomName, _ => new ReferenceRoom());
            var id = Interlocked.Increment(ref nextId);
            await ServeAsync(socket, room, id, context.RequestAborted);
        });

        await app.StartAsync(cancellationToken);
        await Console.Error.WriteLineAsync($"reference server listening on {string.Join(", ", urls.Select(u => u.ToString()))}");

        // The host turns SIGTERM into ApplicationStopping; Ctrl+C arrives through cancellationToken.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(
            cancellationToken, app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop below.
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    private static async Task ServeAsync(WebSocket socket, ReferenceRoom room, long id, CancellationToken cancellationToken)
    {
        var client = new ReferenceSocket(socket);
        room.Sockets[id] = client;
        var sending = client.SendLoopAsync(cancellationToken);
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
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

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    continue;
                }

                var frame = buffer.WrittenMemory.ToArray();
                foreach (var (otherId, other) in room.Sockets)
                {
                    if (otherId != id)
                    {
                        other.Enqueue(frame);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            room.Sockets.TryRemove(id, out _);
            client.Complete();
        }

        await sending;
        if (socket.State == WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
    }
}
