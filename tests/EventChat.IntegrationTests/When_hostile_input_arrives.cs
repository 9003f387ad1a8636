using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace EventChat.IntegrationTests;

/// <summary>
/// Thousands of generated hub calls, HTTP requests and raw WebSocket frames from a hostile user, while two honest
/// users chat in a private room. No request may be answered with a 5xx, no hub call may fail with an error of ours
/// rather than a reason, no process may crash or log an unhandled error, and every honest message must still be
/// delivered and stored exactly once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_hostile_input_arrives(ClusterFixture cluster, ITestOutputHelper output)
{
    private const int HubCalls = 2_000;
    private const int HttpRequests = 1_200;
    private const int RawFrames = 150;
    private const int HonestMessages = 60;
    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxUrlLength = 4 * 1024;

    private static readonly byte[] Probe =
        "{\"type\":1,\"invocationId\":\"probe\",\"target\":\"SetInvisible\",\"arguments\":[false]}\u001e"u8.ToArray();

    private static readonly string[] Processes =
        ["edge1", "edge2", "persistence", "moderation", "notifications"];

    private static readonly (string Name, int Arity)[] HubMethods =
    [
        ("JoinRoom", 1), ("LeaveRoom", 1), ("Unsubscribe", 1), ("SendMessage", 3), ("SendReply", 4),
        ("EditMessage", 3), ("DeleteMessage", 2), ("AddReaction", 3), ("RemoveReaction", 3), ("MarkRead", 2),
        ("Typing", 1), ("Sync", 1), ("SetInvisible", 1), ("NoSuchMethod", 1),
    ];

    private static readonly (string Method, string Template)[] Routes =
    [
        ("POST", "/api/auth/register"), ("POST", "/api/auth/login"), ("POST", "/api/auth/refresh"),
        ("POST", "/api/auth/logout"),
        ("GET", "/api/users/?name={x}"), ("GET", "/api/users/presence?ids={x}"), ("PUT", "/api/me/presence"),
        ("POST", "/api/rooms/"), ("GET", "/api/rooms/"), ("GET", "/api/rooms/search?q={x}"),
        ("GET", "/api/rooms/{x}"), ("PATCH", "/api/rooms/{x}"), ("POST", "/api/rooms/{x}/join"),
        ("POST", "/api/rooms/{x}/leave"), ("PUT", "/api/rooms/{x}/mute"), ("GET", "/api/rooms/{x}/members"),
        ("POST", "/api/rooms/{x}/members"), ("DELETE", "/api/rooms/{x}/members/{x}"),
        ("PUT", "/api/rooms/{x}/members/{x}/role"), ("GET", "/api/rooms/{x}/messages?afterSeq={x}&limit={x}"),
        ("GET", "/api/rooms/{x}/messages/{x}/replies"), ("GET", "/api/rooms/{x}/events?afterSeq={x}&limit={x}"),
        ("GET", "/api/rooms/{x}/presence"), ("POST", "/api/dms/"), ("POST", "/api/dms/group"),
        ("GET", "/api/notifications/?unread={x}"), ("POST", "/api/notifications/read-all"),
        ("POST", "/api/notifications/{x}/read"), ("GET", "/api/retention/runs?limit={x}"),
        ("POST", "/api/rooms/{x}/bans"), ("GET", "/api/rooms/{x}/bans"), ("DELETE", "/api/rooms/{x}/bans/{x}"),
        ("POST", "/api/rooms/{x}/mutes"), ("DELETE", "/api/rooms/{x}/mutes/{x}"),
        ("POST", "/api/rooms/{x}/messages/{x}/reports"), ("GET", "/api/rooms/{x}/reports?status={x}"),
        ("POST", "/api/rooms/{x}/reports/{x}/resolve"), ("GET", "/api/rooms/{x}/moderation-log"),
        ("POST", "/hubs/chat/negotiate?negotiateVersion={x}"), ("GET", "/{x}"),
    ];

    [Fact]
    public async Task Should_answer_every_call_with_a_reason_and_lose_no_honest_message()
    {
        var seed = Environment.TickCount;
        var logs = LogLines.MarkNow(cluster.LogDirectory);
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        await using var mallory = await ChatClient.ConnectAsync(cluster.Edge1, "mallory");
        var room = await alice.CreateRoomAsync("private");
        await alice.JoinAsync(room);
        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/rooms/{room}/members", new { userId = bob.UserId });
        var startSeq = await bob.JoinAsync(room);
        var honestId = await alice.SendAsync(room, "honest-first", "a message mallory will aim at");
        var ownRoom = await mallory.CreateRoomAsync();
        await mallory.JoinAsync(ownRoom);

        // Ids that exist, so that guesses at other people's rooms, messages and users are among the attempts.
        string[] known =
        [
            room.ToString(), ownRoom.ToString(), honestId.ToString(), alice.UserId.ToString(), bob.UserId.ToString(),
            mallory.UserId.ToString(), "1", "0",
        ];
        var input = new HostileInput(seed, known);
        var failures = new List<string>();

        var honest = SendHonestlyAsync(alice, room);
        await TimedAsync("hub calls", () => CallTheHubAsync(mallory, input, failures));
        await TimedAsync("HTTP requests", () => RequestOverHttpAsync(mallory, input, failures));
        await TimedAsync("raw frames", () => SendRawFramesAsync(mallory, input, failures));
        var sent = await honest;

        var kinds = string.Join(", ", failures.GroupBy(f => f.Split(' ')[0]).Select(g => $"{g.Count()} {g.Key}"));
        Assert.True(failures.Count == 0,
            $"seed {seed}: {failures.Count} hostile inputs were answered badly ({kinds}); the first ones:" +
            $"{Environment.NewLine}{string.Join(Environment.NewLine, failures.DistinctBy(f => f[..Math.Min(40, f.Length)]).Take(15))}");
        foreach (var name in Processes)
        {
            Assert.False(cluster.Process(name).HasExited, $"seed {seed}: {name} exited{Environment.NewLine}{cluster.Process(name).Output}");
        }

        var errors = logs.ErrorsSince();
        Assert.True(errors.Count == 0,
            $"seed {seed}: the processes logged errors during the run:{Environment.NewLine}{string.Join(Environment.NewLine, errors.Take(20))}");

        // Every honest message arrived live once, in a gap-free stream, and is stored once.
        var expected = sent.Prepend("honest-first").ToList();
        var live = await bob.WaitForMessagesAsync(room, expected.Count);
        Assert.Equal(expected, live.Select(m => m.ClientMessageId));
        Streams.AssertGapFree(bob.Stream(room).Where(e => e.Seq > startSeq), startSeq, startSeq + expected.Count,
            "bob's live stream");
        var stored = await alice.FullHistoryAsync(room);
        Assert.Equal(expected, stored.Select(m => m.ClientMessageId));
        Assert.All(stored, m => Assert.Equal(alice.UserId, m.SenderId));
        var members = (await alice.GetAsync($"/api/rooms/{room}/members")).GetProperty("members").EnumerateArray()
            .Select(m => m.GetProperty("userId").GetGuid());
        Assert.DoesNotContain(mallory.UserId, members);
    }

    private async Task TimedAsync(string phase, Func<Task> run)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await run();
        output.WriteLine($"{phase}: {watch.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task<List<string>> SendHonestlyAsync(ChatClient alice, Guid room)
    {
        var sent = new List<string>();
        for (var i = 0; i < HonestMessages; i++)
        {
            var id = $"honest-{i}";
            await alice.SendAsync(room, id, $"honest message {i}");
            sent.Add(id);
            await Task.Delay(200);
        }

        return sent;
    }

    /// <summary>Every hub method with arguments of every type and count; the connection must stay up throughout.</summary>
    private static async Task CallTheHubAsync(ChatClient mallory, HostileInput input, List<string> failures)
    {
        var closed = 0;
        mallory.Hub.Closed += _ =>
        {
            Interlocked.Increment(ref closed);
            return Task.CompletedTask;
        };
        var calls = Enumerable.Range(0, HubCalls).Select(_ =>
        {
            var (method, arity) = input.Pick(HubMethods);
            var count = input.Next(4) == 0 ? input.Next(6) : arity;
            return (method, args: Enumerable.Range(0, count).Select(_ => input.Value()).ToArray());
        }).ToList();

        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (call, token) =>
        {
            try
            {
                await mallory.Hub.InvokeCoreAsync(call.method, typeof(JsonElement), call.args, token)
                    .WaitAsync(ChatClient.Timeout, token);
            }
            catch (HubException ex) when (ex.Message.Contains("HubException: ", StringComparison.Ordinal))
            {
                // A refusal with its reason. SignalR hides any other exception behind a bare "An unexpected error
                // occurred invoking 'X' on the server." or "Failed to invoke 'X' due to an error on the server."
            }
            catch (Exception ex)
            {
                lock (failures)
                {
                    failures.Add($"hub {call.method}({Describe(call.args)}): {ex.GetType().Name}: {ex.Message}");
                }
            }
        });

        if (closed > 0 || mallory.Hub.State != HubConnectionState.Connected)
        {
            failures.Add($"hub: mallory's connection closed during the calls: {mallory.ClosedBecause}");
        }
    }

    /// <summary>Every endpoint with odd ids, queries, bodies, content types and credentials; nothing may be a 5xx.</summary>
    private async Task RequestOverHttpAsync(ChatClient mallory, HostileInput input, List<string> failures)
    {
        using var http = new HttpClient { BaseAddress = cluster.Edge2, Timeout = ChatClient.Timeout };
        var requests = Enumerable.Range(0, HttpRequests).Select(_ =>
        {
            var (method, template) = input.Pick(Routes);
            var path = string.Join("", template.Split("{x}").Select((part, i) => i == 0 ? part : input.PathSegment() + part));
            return (method: input.Next(8) == 0 ? input.Pick(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]) : method,
                path,
                body: input.Body(v => JsonSerializer.Serialize(v)),
                auth: input.Next(10) switch
                {
                    0 => null,
                    1 => "Bearer not-a-token",
                    2 => "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
                    3 => "Basic " + Convert.ToBase64String("alice:password"u8.ToArray()),
                    _ => "Bearer " + mallory.AccessToken,
                });
        }).ToList();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (r, token) =>
        {
            // A connection of its own: one the edge closed after refusing an oversized request is never reused.
            using var request = new HttpRequestMessage(new HttpMethod(r.method), r.path);
            request.Headers.ConnectionClose = true;
            if (r.method is not ("GET" or "HEAD" or "OPTIONS"))
            {
                request.Content = new ByteArrayContent(r.body.Body);
                if (r.body.ContentType is not null)
                {
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(r.body.ContentType);
                }
            }

            if (r.auth is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", r.auth);
            }

            try
            {
                using var response = await http.SendAsync(request, token);
                if ((int)response.StatusCode >= 500)
                {
                    var text = await response.Content.ReadAsStringAsync(token);
                    lock (failures)
                    {
                        failures.Add($"http {r.method} {Shorten(r.path)} ({r.body.Body.Length} bytes, {r.body.ContentType}): " +
                                     $"{(int)response.StatusCode} {Shorten(text)}");
                    }
                }
            }
            catch (HttpRequestException) when (r.body.Body.Length > MaxBodyBytes || r.path.Length > MaxUrlLength)
            {
                // Kestrel answers an oversized body or URL and closes the connection while the client still sends.
            }
            catch (Exception ex)
            {
                lock (failures)
                {
                    failures.Add($"http {r.method} {Shorten(r.path)}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        });
    }

    /// <summary>Malformed frames on raw WebSockets: the edge may close such a connection, but must answer or close it.</summary>
    private async Task SendRawFramesAsync(ChatClient mallory, HostileInput input, List<string> failures)
    {
        var url = ChatClient.HubSocketUrl(cluster.Edge1, mallory.AccessToken);
        var frames = Enumerable.Range(0, RawFrames).Select(i => (i, input.Frame())).ToList();
        await Parallel.ForEachAsync(frames, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (item, _) =>
        {
            var (i, (handshake, frame, binary)) = item;
            using var socket = new ClientWebSocket();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await socket.ConnectAsync(url, deadline.Token);
                if (handshake)
                {
                    await socket.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(),
                        WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
                }

                await socket.SendAsync(frame, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text,
                    endOfMessage: true, deadline.Token);

                // A frame without its record separator waits for the rest, so an honest invocation follows: the
                // edge answers it, or finds the two together malformed and closes.
                await socket.SendAsync(Probe, WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
                await ReadUntilAnsweredAsync(socket, deadline.Token);
            }
            catch (WebSocketException)
            {
                // The edge dropped the connection outright: an answer too.
            }
            catch (OperationCanceledException)
            {
                lock (failures)
                {
                    failures.Add($"raw frame {i} ({frame.Length} bytes, handshake {handshake}, starting " +
                                 $"{Shorten(Encoding.UTF8.GetString(frame, 0, Math.Min(60, frame.Length)))}): " +
                                 "no answer and no close in 20 s");
                }
            }
        });

        // The edge still takes an honest connection afterwards.
        var after = await mallory.ConnectAgainAsync(cluster.Edge1);
        await after.DisposeAsync();
    }

    /// <summary>Reads until the edge answers the probe, sends a close message, or closes the socket.</summary>
    private static async Task ReadUntilAnsweredAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var received = new StringBuilder();
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            received.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            var text = received.ToString();
            if (text.Contains("\"invocationId\":\"probe\"", StringComparison.Ordinal)
                || text.Contains("\"type\":7", StringComparison.Ordinal))
            {
                return;
            }
        }
    }

    private static string Describe(object?[] args) =>
        Shorten(string.Join(", ", args.Select(a => JsonSerializer.Serialize(a))));

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + $"…({text.Length} chars)";
}
