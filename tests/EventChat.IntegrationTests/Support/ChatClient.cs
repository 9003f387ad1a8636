using System.Collections.Concurrent;
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
    private const string Password = "correct horse battery staple";

    private readonly HttpClient _http;
    private HubConnection? _hub;

    private ChatClient(Uri edge, string userName)
    {
        Edge = edge;
        UserName = userName;
        _http = new HttpClient { BaseAddress = edge, Timeout = Timeout };
    }

    public Uri Edge { get; }

    public string UserName { get; }

    public Guid UserId { get; private set; }

    public string AccessToken { get; private set; } = "";

    /// <summary>Why the hub connection closed, if it did: part of every failure message about missing messages.</summary>
    public string? ClosedBecause { get; private set; }

    public HubConnection Hub => _hub ?? throw new InvalidOperationException("Not connected.");

    public ConcurrentQueue<Message> Received { get; } = new();

    /// <summary>When each client message id first arrived, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp.</summary>
    public ConcurrentDictionary<string, long> ReceivedAt { get; } = new();

    public ConcurrentQueue<Rejection> Rejected { get; } = new();

    public ConcurrentQueue<JsonElement> Notifications { get; } = new();

    /// <summary>Registers a new user on <paramref name="edge"/>, logs in, and opens a hub connection.</summary>
    public static async Task<ChatClient> ConnectAsync(Uri edge, string namePrefix)
    {
        var client = new ChatClient(edge, $"{namePrefix}{Random.Shared.Next(100_000, 999_999)}");
        var credentials = new { username = client.UserName, password = Password };
        (await client._http.PostAsJsonAsync("/api/auth/register", credentials)).EnsureSuccessStatusCode();
        var login = await (await client._http.PostAsJsonAsync("/api/auth/login", credentials))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        client.AccessToken = login.GetProperty("accessToken").GetString()!;
        client.UserId = login.GetProperty("userId").GetGuid();
        client._http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", client.AccessToken);
        await client.OpenHubAsync(edge);
        return client;
    }

    /// <summary>Opens a new hub connection, as a client that reconnects would, optionally to another edge.</summary>
    public async Task OpenHubAsync(Uri edge)
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(edge, "/hubs/chat"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(AccessToken);
            })
            .Build();
        _hub.On<Message>("MessageReceived", m =>
        {
            ReceivedAt.TryAdd(m.ClientMessageId, System.Diagnostics.Stopwatch.GetTimestamp());
            Received.Enqueue(m);
        });
        _hub.On<Rejection>("MessageRejected", Rejected.Enqueue);
        _hub.On<JsonElement>("NotificationReceived", Notifications.Enqueue);
        _hub.Closed += error =>
        {
            ClosedBecause = error?.ToString() ?? "closed without an error";
            return Task.CompletedTask;
        };
        await _hub.StartAsync().WaitAsync(Timeout);
    }

    public async Task<Guid> CreateRoomAsync(string visibility = "public")
    {
        var response = await _http.PostAsJsonAsync("/api/rooms", new { name = $"room of {UserName}", visibility });
        var body = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("roomId").GetGuid();
    }

    public async Task<long> JoinAsync(Guid roomId)
    {
        var result = await Hub.InvokeAsync<JsonElement>("JoinRoom", roomId.ToString()).WaitAsync(Timeout);
        return result.GetProperty("lastSeq").GetInt64();
    }

    public async Task<Guid> SendAsync(Guid roomId, string clientMessageId, string text)
    {
        var result = await Hub.InvokeAsync<JsonElement>("SendMessage", roomId.ToString(), clientMessageId, text)
            .WaitAsync(Timeout);
        return result.GetProperty("messageId").GetGuid();
    }

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

    public async Task<JsonElement> GetAsync(string path) =>
        await (await _http.GetAsync(path)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

    public Task<HttpResponseMessage> RawGetAsync(string path) => _http.GetAsync(path);

    /// <summary>Waits until the live stream of <paramref name="roomId"/> holds <paramref name="count"/> messages.</summary>
    public async Task<List<Message>> WaitForMessagesAsync(Guid roomId, int count, TimeSpan? timeout = null)
    {
        await Eventually.HoldsAsync(
            () => Task.FromResult(Received.Count(m => m.RoomId == roomId) >= count),
            timeout ?? Timeout,
            $"{UserName} received {count} messages in room {roomId} (has {Received.Count(m => m.RoomId == roomId)}, " +
            $"connection {_hub?.State}{(ClosedBecause is null ? "" : ", closed: " + ClosedBecause)})");
        return Received.Where(m => m.RoomId == roomId).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        _http.Dispose();
    }

    public sealed record Message(
        Guid RoomId, long Seq, Guid MessageId, string ClientMessageId, Guid SenderId, string SenderName, string Text,
        DateTimeOffset SentAt);

    public sealed record Rejection(Guid RoomId, string ClientMessageId, Guid MessageId, string Reason);
}
