using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using StackExchange.Redis;

namespace EventChat.IntegrationTests;

/// <summary>
/// Two more edges on the cluster's services with low limits. Their counts live in the cluster's Redis, so what a
/// client spends on one edge is gone on the other. Users are signed up through the cluster's own edges, whose
/// limits are high, so that only what a test does on the limited edges counts.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_limits_are_reached(ClusterFixture cluster) : IAsyncLifetime
{
    private const int Messages = 5;
    private const int Joins = 3;
    private const int RoomCreations = 2;
    private const int LoginsPerAccount = 3;
    private const int LoginsPerAddress = 4;
    private const int RegistrationsPerAddress = 3;
    private const int ConnectionsPerUser = 2;
    private const string Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e";
    private const string HandshakeAccepted = "{}\u001e";
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(10);

    private Uri _limited1 = null!;
    private Uri _limited2 = null!;
    private readonly List<ManagedProcess> _edges = [];

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Limits__Messages__Permits"] = $"{Messages}",
            ["Limits__Joins__Permits"] = $"{Joins}",
            ["Limits__RoomCreations__Permits"] = $"{RoomCreations}",
            ["Limits__LoginsPerAccount__Permits"] = $"{LoginsPerAccount}",
            ["Limits__LoginsPerAddress__Permits"] = $"{LoginsPerAddress}",
            ["Limits__RegistrationsPerAddress__Permits"] = $"{RegistrationsPerAddress}",
            ["Limits__ConnectionsPerUser"] = $"{ConnectionsPerUser}",
        };
        foreach (var rule in new[]
                 { "Messages", "Joins", "RoomCreations", "LoginsPerAccount", "LoginsPerAddress", "RegistrationsPerAddress" })
        {
            settings[$"Limits__{rule}__Period"] = Period.ToString();
        }

        var started = await Task.WhenAll(cluster.StartEdgeAsync("limited1", settings),
            cluster.StartEdgeAsync("limited2", settings));
        _edges.AddRange(started.Select(e => e.Process));
        (_limited1, _limited2) = (started[0].Url, started[1].Url);
    }

    public async Task DisposeAsync()
    {
        foreach (var edge in _edges)
        {
            await edge.DisposeAsync();
        }
    }

    [Fact]
    public async Task Should_share_the_message_limit_across_edges_and_say_how_long_to_wait()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        var room = await alice.CreateRoomAsync();
        await MoveHubAsync(alice, _limited1);
        await alice.JoinAsync(room);
        await using var phone = await alice.ConnectAgainAsync(cluster.Edge2);
        await MoveHubAsync(phone, _limited2);

        for (var i = 0; i < Messages; i++)
        {
            await (i % 2 == 0 ? alice : phone).SendAsync(room, $"m{i}", $"message {i}");
        }

        foreach (var device in new[] { alice, phone })
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => device.SendAsync(room, "over", "one too many"));
            Assert.Matches(@"Too many messages: try again in \d+ s\.", refused.Message);
            Assert.Equal(HubConnectionState.Connected, device.Hub.State);
        }

        // Changes draw on the same allowance: they cost the pipeline as much as a message.
        var first = (await alice.WaitForMessagesAsync(room, 1))[0].MessageId!.Value;
        await Assert.ThrowsAsync<HubException>(() => phone.ReactAsync(room, first, "👍"));
        Assert.Equal(Messages, (await alice.WaitForMessagesAsync(room, Messages)).Count);

        // The count is one key under the run's prefix, and it goes away by itself once the bucket is full again.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Services.Redis);
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync($"{cluster.RedisPrefix}:limit:messages:{alice.UserId:N}");
        Assert.InRange(ttl ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), Period);
    }

    [Fact]
    public async Task Should_share_the_join_room_creation_and_connection_limits_across_edges()
    {
        await using var owner = await ChatClient.ConnectAsync(cluster.Edge1, "owner");
        var rooms = new List<Guid>();
        for (var i = 0; i <= Joins; i++)
        {
            rooms.Add(await owner.CreateRoomAsync());
        }

        await using var bob = await ChatClient.ConnectAsync(cluster.Edge1, "bob");
        for (var i = 0; i < Joins; i++)
        {
            await MoveHubAsync(bob, i % 2 == 0 ? _limited1 : _limited2);
            await bob.JoinAsync(rooms[i]);
        }

        var refused = await Assert.ThrowsAsync<HubException>(() => bob.JoinAsync(rooms[Joins]));
        Assert.Matches(@"Too many rooms joined: try again in \d+ s\.", refused.Message);
        await bob.JoinAsync(rooms[0]);

        using var http1 = Http(_limited1, bob.AccessToken);
        using var http2 = Http(_limited2, bob.AccessToken);
        for (var i = 0; i < RoomCreations; i++)
        {
            var created = await (i % 2 == 0 ? http1 : http2).PostAsJsonAsync("/api/rooms", new { name = $"r{i}", visibility = "public" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var tooMany = await http1.PostAsJsonAsync("/api/rooms", new { name = "one more", visibility = "public" });
        await AssertTooManyAsync(tooMany, "Too many rooms created");
        using var joinOverHttp = await http2.PostAsync($"/api/rooms/{rooms[Joins]}/join", null);
        await AssertTooManyAsync(joinOverHttp, "Too many rooms joined");

        // bob holds one connection; a second device fills his allowance, and a third is refused on either edge.
        await using var tablet = await bob.ConnectAgainAsync(cluster.Edge1);
        await MoveHubAsync(tablet, _limited1);
        await UntilNegotiateIsRefusedAsync(http2, "a third connection of bob's is refused");
        using var third = await http1.PostAsync("/hubs/chat/negotiate?negotiateVersion=1", null);
        await AssertTooManyAsync(third, "Too many open connections (at most 2 per user)");

        await tablet.CloseHubAsync();
        await Eventually.HoldsAsync(async () =>
        {
            using var negotiate = await http1.PostAsync("/hubs/chat/negotiate?negotiateVersion=1", null);
            return negotiate.IsSuccessStatusCode;
        }, ChatClient.Soon, "bob may connect again once a device has gone");
    }

    [Fact]
    public async Task Should_refuse_websockets_that_skip_negotiate_past_the_connection_limit()
    {
        // erin holds one connection on a cluster edge, and a long-polling one on a limited edge fills her allowance.
        await using var erin = await ChatClient.ConnectAsync(cluster.Edge1, "erin");
        using var http1 = Http(_limited1, erin.AccessToken);
        using var http2 = Http(_limited2, erin.AccessToken);
        using var negotiated = await http1.PostAsync("/hubs/chat/negotiate?negotiateVersion=1", null);
        var polling = "/hubs/chat?id=" + (await negotiated.EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString();
        (await http1.GetAsync(polling)).EnsureSuccessStatusCode();
        (await http1.PostAsync(polling, new StringContent(Handshake))).EnsureSuccessStatusCode();
        Assert.Equal(HandshakeAccepted, await (await http1.GetAsync(polling)).Content.ReadAsStringAsync());
        await UntilNegotiateIsRefusedAsync(http2, "erin's second connection is counted");

        // A WebSocket that skips negotiate is refused on either edge, however the request is spelt.
        foreach (var (edge, path) in new[]
        {
            (_limited1, "/hubs/chat"), (_limited2, "/hubs/chat"),
            (_limited2, "/HUBS/Chat/"), (_limited1, "/hubs/chat?id="),
        })
        {
            using var refused = await OpenWebSocketAsync(edge, path, erin.AccessToken);
            var retryAfter = refused.HttpResponseHeaders?.GetValueOrDefault("Retry-After")?.SingleOrDefault();
            Assert.True(refused.HttpStatusCode == HttpStatusCode.TooManyRequests && int.Parse(retryAfter ?? "0") >= 1,
                $"{path}: {(int)refused.HttpStatusCode}, Retry-After {retryAfter}");
        }

        // The requests of a connection made before are not new ones: long polling goes on at the limit.
        var call = "{\"type\":1,\"invocationId\":\"1\",\"target\":\"JoinRoom\",\"arguments\":[\"x\"]}\u001e";
        (await http1.PostAsync(polling, new StringContent(call))).EnsureSuccessStatusCode();
        var answered = "";
        await Eventually.HoldsAsync(async () =>
        {
            using var poll = await http1.GetAsync(polling);
            answered += await poll.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
            return answered.Contains("\"invocationId\":\"1\"", StringComparison.Ordinal);
        }, ChatClient.Soon, () => $"the long-polling call is answered: {answered}");

        // Once a connection has gone, a WebSocket without negotiate gets through, and counts.
        await erin.CloseHubAsync();
        ClientWebSocket? socket = null;
        await Eventually.HoldsAsync(async () =>
        {
            socket?.Dispose();
            socket = await OpenWebSocketAsync(_limited2, "/hubs/chat", erin.AccessToken);
            return socket.HttpStatusCode == HttpStatusCode.SwitchingProtocols;
        }, ChatClient.Soon, "a WebSocket of erin's gets through once she has room");
        using (socket)
        {
            await HandshakeAsync(socket!);
            await UntilNegotiateIsRefusedAsync(http1, "the WebSocket counts against erin's allowance");
        }
    }

    [Fact]
    public async Task Should_limit_login_attempts_per_account_and_per_address_across_edges()
    {
        var victim = $"kvictim{Random.Shared.Next(100_000, 999_999)}";
        using var register = new HttpClient { BaseAddress = cluster.Edge1 };
        (await register.PostAsJsonAsync("/api/auth/register", new { username = victim, password = "the right one" }))
            .EnsureSuccessStatusCode();

        // Each guess from an address of its own, as nginx would forward it: only the account's count can stop them.
        for (var i = 0; i < LoginsPerAccount; i++)
        {
            using var guess = await LogInAsync(i % 2 == 0 ? _limited1 : _limited2, $"192.0.2.{i + 1}", victim, "a guess");
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        using var locked = await LogInAsync(_limited2, "192.0.2.100", victim, "the right one");
        await AssertTooManyAsync(locked, "Too many login attempts for this account");

        // The same name with the Kelvin sign for 'k' lower-cases to it, but no account is named so: no way around.
        using var kelvin = await LogInAsync(_limited1, "192.0.2.101", victim.Replace('k', '\u212A'), "the right one");
        Assert.Equal(HttpStatusCode.Unauthorized, kelvin.StatusCode);

        // One address trying many accounts.
        for (var i = 0; i < LoginsPerAddress; i++)
        {
            using var spray = await LogInAsync(i % 2 == 0 ? _limited1 : _limited2, "198.51.100.7", $"nobody{i}x", "pw12345678");
            Assert.Equal(HttpStatusCode.Unauthorized, spray.StatusCode);
        }

        using var blocked = await LogInAsync(_limited1, "198.51.100.7", $"nobody{LoginsPerAddress}x", "pw12345678");
        await AssertTooManyAsync(blocked, "Too many login attempts from this address");
        using var elsewhere = await LogInAsync(_limited1, "198.51.100.8", "nobodyelse", "pw12345678");
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Should_share_the_registration_limit_per_address_across_edges()
    {
        var prefix = $"reg{Random.Shared.Next(100_000, 999_999)}x";
        for (var i = 0; i < RegistrationsPerAddress; i++)
        {
            using var created = await SendAsync(i % 2 == 0 ? _limited1 : _limited2, "/api/auth/register", "203.0.113.9",
                $"{prefix}{i}", "long enough");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var refused = await SendAsync(_limited2, "/api/auth/register", "203.0.113.9", $"{prefix}last", "long enough");
        await AssertTooManyAsync(refused, "Too many accounts registered from this address");

        // Another address is not held back, and an invalid request is answered without taking a permit.
        using var invalid = await SendAsync(_limited1, "/api/auth/register", "203.0.113.10", "x", "short");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        using var other = await SendAsync(_limited1, "/api/auth/register", "203.0.113.10", $"{prefix}other", "long enough");
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task Should_keep_other_users_messages_flowing_while_one_user_floods()
    {
        await using var mallory = await ChatClient.ConnectAsync(cluster.Edge1, "mallory");
        await using var carol = await ChatClient.ConnectAsync(cluster.Edge1, "carol");
        await using var dave = await ChatClient.ConnectAsync(cluster.Edge1, "dave");
        var room = await carol.CreateRoomAsync();
        foreach (var (client, edge) in new[] { (mallory, _limited1), (carol, _limited1), (dave, _limited2) })
        {
            await client.OpenHubAsync(edge);
            await client.JoinAsync(room);
        }

        // Thousands of calls in flight at once; all but the first few are refused.
        var flood = Enumerable.Range(0, 3000)
            .Select(i => mallory.Hub.InvokeAsync<JsonElement>("SendMessage", room.ToString(), $"f{i}", $"flood {i}"))
            .ToList();

        var latencies = new List<TimeSpan>();
        for (var i = 0; i < Messages; i++)
        {
            var clock = Stopwatch.StartNew();
            await carol.SendAsync(room, $"c{i}", $"carol {i}");
            await Eventually.HoldsAsync(() => Task.FromResult(dave.ReceivedAt.ContainsKey($"c{i}")),
                ChatClient.Soon, $"dave received carol's message {i} during the flood");
            latencies.Add(clock.Elapsed);
        }

        var outcomes = await Task.WhenAll(flood.Select(async call =>
        {
            try
            {
                await call;
                return "sent";
            }
            catch (HubException ex)
            {
                return ex.Message.Contains("Too many messages", StringComparison.Ordinal) ? "limited" : ex.Message;
            }
        }));
        Assert.Equal(Messages, outcomes.Count(o => o == "sent"));
        Assert.Equal(3000 - Messages, outcomes.Count(o => o == "limited"));
        Assert.All(latencies, l => Assert.True(l < TimeSpan.FromSeconds(5), $"carol's message took {l} to reach dave"));
        Assert.Equal(HubConnectionState.Connected, mallory.Hub.State);
    }

    /// <summary>Waits until the cap refuses a negotiate: presence counts a connection soon after it is made.</summary>
    private static async Task UntilNegotiateIsRefusedAsync(HttpClient http, string what) =>
        await Eventually.HoldsAsync(async () =>
        {
            using var negotiate = await http.PostAsync("/hubs/chat/negotiate?negotiateVersion=1", null);
            return negotiate.StatusCode == HttpStatusCode.TooManyRequests;
        }, ChatClient.Soon, what);

    /// <summary>
    /// Moves a client's hub connection to <paramref name="edge"/>. The connection it closes counts against the cap
    /// until its edge has let presence know, so a refusal in that moment is tried again.
    /// </summary>
    private static async Task MoveHubAsync(ChatClient client, Uri edge) =>
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await client.OpenHubAsync(edge);
                return true;
            }
            catch (WebSocketException ex) when (ex.Message.Contains("'429'", StringComparison.Ordinal))
            {
                return false;
            }
        }, ChatClient.Soon, $"{client.UserName} connects to {edge}");

    /// <summary>
    /// Opens a WebSocket to the hub without negotiating, token in the query as browsers send it. A refused handshake
    /// does not throw: the socket keeps the answer's status and headers.
    /// </summary>
    private static async Task<ClientWebSocket> OpenWebSocketAsync(Uri edge, string path, string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var url = new Uri($"ws://{edge.Authority}{path}{separator}access_token={Uri.EscapeDataString(token)}");
        using var timeout = new CancellationTokenSource(ChatClient.Timeout);
        try
        {
            await socket.ConnectAsync(url, timeout.Token);
        }
        catch (WebSocketException) when (socket.HttpStatusCode != 0)
        {
            // Refused: what the server answered is the socket's status and headers, which the caller checks.
        }

        return socket;
    }

    /// <summary>SignalR's JSON handshake over a raw socket; an empty answer means the hub accepted it.</summary>
    private static async Task HandshakeAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(ChatClient.Timeout);
        await socket.SendAsync(Encoding.UTF8.GetBytes(Handshake), WebSocketMessageType.Text, endOfMessage: true,
            timeout.Token);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(HandshakeAccepted, Encoding.UTF8.GetString(buffer, 0, received.Count));
    }

    private static HttpClient Http(Uri edge, string token)
    {
        var http = new HttpClient { BaseAddress = edge, Timeout = ChatClient.Timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static Task<HttpResponseMessage> LogInAsync(Uri edge, string address, string username, string password) =>
        SendAsync(edge, "/api/auth/login", address, username, password);

    /// <summary>Credentials to an auth endpoint, as nginx forwards them from <paramref name="address"/>.</summary>
    private static async Task<HttpResponseMessage> SendAsync(
        Uri edge, string path, string address, string username, string password)
    {
        using var http = new HttpClient { BaseAddress = edge, Timeout = ChatClient.Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(new { username, password }),
        };
        request.Headers.Add("X-Forwarded-For", address);
        return await http.SendAsync(request);
    }

    private static async Task AssertTooManyAsync(HttpResponseMessage response, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode}: {body}");
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After: {response.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.StartsWith(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains($"try again in {retryAfter!.Value.TotalSeconds} s", body, StringComparison.Ordinal);
    }
}
