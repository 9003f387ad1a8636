using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace EventChat.IntegrationTests.Support;

/// <summary>A chat user as a real client sees EventChat: its REST API and a SignalR connection over WebSockets.</summary>
public sealed class ChatClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>For what the pipeline should do in well under a second; short so a broken promise fails fast.</summary>
    public static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    public const string Password = "correct horse battery staple";

    private readonly HttpClient _http;
    private HubConnection? _hub;

    private ChatClient(Uri edge, string userName)
    {
        Edge = edge;
        UserName = userName;
        _http = new HttpClient { BaseAddress = edge, Timeout = Timeout };
    }

    public Uri Edge { get; private set; }

    public string UserName { get; }

    public Guid UserId { get; private set; }

    public string AccessToken { get; private set; } = "";

    public string RefreshToken { get; private set; } = "";

    /// <summary>Why the hub connection closed, if it did: part of every failure message about missing events.</summary>
    public string? ClosedBecause { get; private set; }

    public HubConnection Hub => _hub ?? throw new InvalidOperationException("Not connected.");

    /// <summary>
    /// Every room event pushed to this client (hub events <c>MessageReceived</c> and <c>RoomEvent</c>), over all its
    /// connections, in arrival order.
    /// </summary>
    public ConcurrentQueue<RoomEvent> Events { get; } = new();

    /// <summary>When each client message id was first pushed, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp.</summary>
    public ConcurrentDictionary<string, long> ReceivedAt { get; } = new();

    /// <summary>The hub event each pushed room event came as: <c>MessageReceived</c> or <c>RoomEvent</c>.</summary>
    public ConcurrentDictionary<(Guid RoomId, long Seq), string> PushedAs { get; } = new();

    public ConcurrentQueue<Rejection> Rejected { get; } = new();

    public ConcurrentQueue<JsonElement> Notifications { get; } = new();

    public ConcurrentQueue<ReadReceipt> ReadReceipts { get; } = new();

    public ConcurrentQueue<UserTyping> Typing { get; } = new();

    public ConcurrentQueue<PresenceChange> PresenceChanges { get; } = new();

    /// <summary>The hub's WebSocket address on <paramref name="edge"/>, token in the query, for raw sockets that skip negotiate.</summary>
    public static Uri HubSocketUrl(Uri edge, string accessToken) => new UriBuilder(edge)
    {
        Scheme = "ws",
        Path = "/hubs/chat",
        Query = $"access_token={Uri.EscapeDataString(accessToken)}",
    }.Uri;

    /// <summary>Registers a new user on <paramref name="edge"/>, logs in, and opens a hub connection.</summary>
    public static async Task<ChatClient> ConnectAsync(Uri edge, string namePrefix, bool statefulReconnect = false)
    {
        var client = new ChatClient(edge, $"{namePrefix}{Random.Shared.Next(100_000, 999_999)}");
        var credentials = new { username = client.UserName, password = Password };
        (await client._http.PostAsJsonAsync("/api/auth/register", credentials)).EnsureSuccessStatusCode();
        await client.LogInAsync();
        await client.OpenHubAsync(edge, statefulReconnect);
        return client;
    }

    /// <summary>
    /// A user whose access token someone else issued (an external issuer): no login, the token as it is, and a
    /// hub connection made with it.
    /// </summary>
    public static async Task<ChatClient> ConnectWithTokenAsync(Uri edge, string userName, string accessToken)
    {
        var client = new ChatClient(edge, userName) { AccessToken = accessToken };
        client._http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            await client.OpenHubAsync(edge);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Exchanges the refresh token for a new pair, as a client does before its token expires.</summary>
    public async Task RefreshAsync()
    {
        using var response = await _http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = RefreshToken });
        Remember(await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>The same user on a second device: a client of its own, logged in again, with its own connection.</summary>
    public async Task<ChatClient> ConnectAgainAsync(Uri edge)
    {
        var device = new ChatClient(edge, UserName);
        await device.LogInAsync();
        await device.OpenHubAsync(edge);
        return device;
    }

    /// <summary>Opens a new hub connection, as a client that reconnects would, optionally to another edge.</summary>
    /// <remarks>
    /// Stateful reconnect needs the negotiate round trip (the .NET client turns it off when negotiation is
    /// skipped), so only such connections negotiate; the rest go straight to WebSockets.
    /// </remarks>
    public async Task OpenHubAsync(Uri edge, bool statefulReconnect = false)
    {
        await CloseHubAsync();
        Edge = edge;
        ClosedBecause = null;

        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(edge, "/hubs/chat"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = !statefulReconnect;
                o.AccessTokenProvider = () => Task.FromResult<string?>(AccessToken);
            });
        if (statefulReconnect)
        {
            builder.WithStatefulReconnect();
        }

        _hub = builder.Build();
        _hub.On<RoomEvent>("MessageReceived", e =>
        {
            if (e.ClientMessageId is not null)
            {
                ReceivedAt.TryAdd(e.ClientMessageId, System.Diagnostics.Stopwatch.GetTimestamp());
            }

            PushedAs[(e.RoomId, e.Seq)] = "MessageReceived";
            Events.Enqueue(e);
        });
        _hub.On<RoomEvent>("RoomEvent", e =>
        {
            PushedAs[(e.RoomId, e.Seq)] = "RoomEvent";
            Events.Enqueue(e);
        });
        _hub.On<Rejection>("MessageRejected", Rejected.Enqueue);
        _hub.On<JsonElement>("NotificationReceived", Notifications.Enqueue);
        _hub.On<ReadReceipt>("ReadReceipt", ReadReceipts.Enqueue);
        _hub.On<UserTyping>("UserTyping", Typing.Enqueue);
        _hub.On<PresenceChange>("PresenceChanged", PresenceChanges.Enqueue);
        _hub.Closed += error =>
        {
            ClosedBecause = error?.ToString() ?? "closed without an error";
            return Task.CompletedTask;
        };
        await _hub.StartAsync().WaitAsync(Timeout);
    }

    /// <summary>Goes offline: closes the hub connection, keeping everything received so far.</summary>
    public async Task CloseHubAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
            _hub = null;
        }
    }

    public async Task<Guid> CreateRoomAsync(string visibility = "public", string? name = null)
    {
        var body = await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/rooms",
            new { name = name ?? $"room of {UserName}", visibility });
        return body.GetProperty("roomId").GetGuid();
    }

    public async Task<long> JoinAsync(Guid roomId)
    {
        var result = await InvokeAsync("JoinRoom", roomId.ToString());
        return result.GetProperty("lastSeq").GetInt64();
    }

    public Task LeaveAsync(Guid roomId) => InvokeVoidAsync("LeaveRoom", roomId.ToString());

    public Task UnsubscribeAsync(Guid roomId) => InvokeVoidAsync("Unsubscribe", roomId.ToString());

    public async Task<Guid> SendAsync(Guid roomId, string clientMessageId, string text) =>
        (await InvokeAsync("SendMessage", roomId.ToString(), clientMessageId, text)).GetProperty("messageId").GetGuid();

    public async Task<Guid> ReplyAsync(Guid roomId, string clientMessageId, string text, Guid replyTo) =>
        (await InvokeAsync("SendReply", roomId.ToString(), clientMessageId, text, replyTo.ToString()))
        .GetProperty("messageId").GetGuid();

    public async Task<Guid> EditMessageAsync(Guid roomId, Guid messageId, string text) =>
        ChangeId(await InvokeAsync("EditMessage", roomId.ToString(), messageId.ToString(), text));

    public async Task<Guid> DeleteMessageAsync(Guid roomId, Guid messageId) =>
        ChangeId(await InvokeAsync("DeleteMessage", roomId.ToString(), messageId.ToString()));

    public async Task<Guid> ReactAsync(Guid roomId, Guid messageId, string emoji) =>
        ChangeId(await InvokeAsync("AddReaction", roomId.ToString(), messageId.ToString(), emoji));

    public async Task<Guid> UnreactAsync(Guid roomId, Guid messageId, string emoji) =>
        ChangeId(await InvokeAsync("RemoveReaction", roomId.ToString(), messageId.ToString(), emoji));

    public async Task<long> MarkReadAsync(Guid roomId, long seq) =>
        (await InvokeAsync("MarkRead", roomId.ToString(), seq)).GetProperty("lastReadSeq").GetInt64();

    public Task TypingAsync(Guid roomId) => InvokeVoidAsync("Typing", roomId.ToString());

    public Task SetInvisibleAsync(bool invisible) => InvokeVoidAsync("SetInvisible", invisible);

    public async Task<List<StreamPage>> SyncAsync(IEnumerable<(Guid RoomId, long AfterSeq)> rooms)
    {
        var request = rooms.Select(r => new { roomId = r.RoomId.ToString(), afterSeq = r.AfterSeq }).ToArray();
        var result = await InvokeAsync("Sync", [request]);
        return result.Deserialize<List<StreamPage>>(JsonSerializerOptions.Web)!;
    }

    public async Task<JsonElement> InvokeAsync(string method, params object?[] args) =>
        await Hub.InvokeCoreAsync<JsonElement>(method, args).WaitAsync(Timeout);

    public async Task InvokeVoidAsync(string method, params object?[] args) =>
        await Hub.InvokeCoreAsync(method, typeof(object), args).WaitAsync(Timeout);

    public async Task<List<Message>> HistoryAsync(Guid roomId, long? afterSeq = null, int limit = 100)
    {
        var query = afterSeq is null ? $"?limit={limit}" : $"?afterSeq={afterSeq}&limit={limit}";
        var body = await GetAsync($"/api/rooms/{roomId}/messages{query}");
        return body.GetProperty("messages").Deserialize<List<Message>>(JsonSerializerOptions.Web)!;
    }

    /// <summary>The whole history of the room, page by page.</summary>
    public async Task<List<Message>> FullHistoryAsync(Guid roomId)
    {
        var all = new List<Message>();
        while (true)
        {
            var page = await HistoryAsync(roomId, afterSeq: all.Count == 0 ? 0 : all[^1].Seq);
            all.AddRange(page);
            if (page.Count < 100)
            {
                return all;
            }
        }
    }

    public async Task<List<Message>> RepliesAsync(Guid roomId, Guid messageId) =>
        (await GetAsync($"/api/rooms/{roomId}/messages/{messageId}/replies")).GetProperty("messages")
        .Deserialize<List<Message>>(JsonSerializerOptions.Web)!;

    public async Task<Message> MessageAsync(Guid roomId, Guid messageId) =>
        Assert.Single(await FullHistoryAsync(roomId), m => m.MessageId == messageId);

    public async Task<StreamPage> EventsAsync(Guid roomId, long afterSeq = 0, int limit = 500) =>
        (await GetAsync($"/api/rooms/{roomId}/events?afterSeq={afterSeq}&limit={limit}"))
        .Deserialize<StreamPage>(JsonSerializerOptions.Web)!;

    public async Task<long> LastSeqAsync(Guid roomId) =>
        (await GetAsync($"/api/rooms/{roomId}")).GetProperty("lastSeq").GetInt64();

    /// <summary>This user's entry in <c>GET /api/rooms</c> for the room, or null when it is not listed.</summary>
    public async Task<JsonElement?> RoomEntryAsync(Guid roomId)
    {
        foreach (var room in (await GetAsync("/api/rooms")).GetProperty("rooms").EnumerateArray())
        {
            if (room.GetProperty("roomId").GetGuid() == roomId)
            {
                return room;
            }
        }

        return null;
    }

    public async Task<JsonElement> PresenceOfAsync(Guid userId) =>
        Assert.Single((await GetAsync($"/api/users/presence?ids={userId}")).GetProperty("users").EnumerateArray());

    public async Task<List<JsonElement>> NotificationsListAsync(bool unreadOnly = false) =>
        (await GetAsync($"/api/notifications{(unreadOnly ? "?unreadOnly=true" : "")}"))
        .GetProperty("notifications").EnumerateArray().ToList();

    public async Task<JsonElement> GetAsync(string path) =>
        await ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, path);

    public Task<HttpResponseMessage> RawGetAsync(string path) => _http.GetAsync(path);

    public async Task<HttpResponseMessage> RequestAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await _http.SendAsync(request);
    }

    /// <summary>Sends a request, fails with the response body unless it answers <paramref name="expected"/>, and
    /// returns the JSON body (an undefined element when there is none).</summary>
    public async Task<JsonElement> ExpectAsync(HttpStatusCode expected, HttpMethod method, string path, object? body = null)
    {
        using var response = await RequestAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected,
            $"{UserName}: {method} {path} answered {(int)response.StatusCode} {response.StatusCode}, " +
            $"expected {(int)expected} {expected}: {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    /// <summary>The <c>message.posted</c> events pushed for the room, in arrival order.</summary>
    public List<RoomEvent> Posted(Guid roomId) =>
        Events.Where(e => e.RoomId == roomId && e.Type == RoomEvent.Posted).ToList();

    /// <summary>Every event pushed for the room, once per seq, in seq order.</summary>
    public List<RoomEvent> Stream(Guid roomId) =>
        Events.Where(e => e.RoomId == roomId).DistinctBy(e => e.Seq).OrderBy(e => e.Seq).ToList();

    /// <summary>Waits until the live stream of <paramref name="roomId"/> holds <paramref name="count"/> messages.</summary>
    public async Task<List<RoomEvent>> WaitForMessagesAsync(Guid roomId, int count, TimeSpan? timeout = null)
    {
        await Eventually.HoldsAsync(
            () => Task.FromResult(Posted(roomId).Count >= count),
            timeout ?? Timeout,
            () => $"{UserName} received {count} messages in room {roomId} (has {Posted(roomId).Count}, {ConnectionState()})");
        return Posted(roomId);
    }

    /// <summary>Waits until an event numbered <paramref name="seq"/> or later has been pushed for the room.</summary>
    public async Task<List<RoomEvent>> WaitForSeqAsync(Guid roomId, long seq, TimeSpan? timeout = null)
    {
        await Eventually.HoldsAsync(
            () => Task.FromResult(Events.Any(e => e.RoomId == roomId && e.Seq >= seq)),
            timeout ?? Soon,
            () => $"{UserName} was pushed event {seq} of room {roomId} (newest: " +
            $"{Events.Where(e => e.RoomId == roomId).Select(e => e.Seq).DefaultIfEmpty().Max()}, {ConnectionState()})");
        return Stream(roomId);
    }

    /// <summary>Waits for the first pushed event of the room that matches, and returns it.</summary>
    public async Task<RoomEvent> WaitForEventAsync(Guid roomId, Func<RoomEvent, bool> match, string what)
    {
        await Eventually.HoldsAsync(
            () => Task.FromResult(Events.Any(e => e.RoomId == roomId && match(e))),
            Soon, () => $"{UserName} was pushed {what} in room {roomId} ({ConnectionState()})");
        return Events.First(e => e.RoomId == roomId && match(e));
    }

    /// <summary>Waits until the room's stream has reached <paramref name="seq"/>, as the server numbers it.</summary>
    public async Task WaitForLastSeqAsync(Guid roomId, long seq, TimeSpan? timeout = null)
    {
        long last = 0;
        await Eventually.HoldsAsync(async () => (last = await LastSeqAsync(roomId)) >= seq, timeout ?? Soon,
            () => $"room {roomId} reaches seq {seq} (now {last})");
        Assert.True(last == seq, $"room {roomId} went past seq {seq}, to {last}");
    }

    public string ConnectionState() =>
        $"connection {_hub?.State.ToString() ?? "closed"}{(ClosedBecause is null ? "" : ", closed: " + ClosedBecause)}";

    public async ValueTask DisposeAsync()
    {
        await CloseHubAsync();
        _http.Dispose();
    }

    private async Task LogInAsync()
    {
        var credentials = new { username = UserName, password = Password };
        Remember(await (await _http.PostAsJsonAsync("/api/auth/login", credentials))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>());
    }

    private void Remember(JsonElement tokens)
    {
        AccessToken = tokens.GetProperty("accessToken").GetString()!;
        RefreshToken = tokens.GetProperty("refreshToken").GetString()!;
        UserId = tokens.GetProperty("userId").GetGuid();
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
    }

    private static Guid ChangeId(JsonElement result) => result.GetProperty("changeId").GetGuid();
}
