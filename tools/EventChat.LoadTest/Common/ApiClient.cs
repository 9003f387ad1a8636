using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace EventChat.LoadTest.Common;

/// <summary>The REST calls of the EventChat contract that the scenarios need, against one edge.</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(Uri baseUrl, HttpMessageHandler handler)
    {
        _http = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseUrl => _http.BaseAddress!;

    public async Task RegisterAsync(string username, string password, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(
            "/api/auth/register", new { username, password }, Json.Web, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw await FailureAsync("register", response, cancellationToken);
        }
    }

    public async Task<LoginAnswer> LoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(
            "/api/auth/login", new { username, password }, Json.Web, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync("login", response, cancellationToken);
        }

        return (await response.Content.ReadFromJsonAsync<LoginAnswer>(Json.Web, cancellationToken))!;
    }

    public async Task<CreatedRoom> CreateRoomAsync(string token, string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rooms")
        {
            Content = JsonContent.Create(new { name, visibility = "public" }, options: Json.Web),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw await FailureAsync("create room", response, cancellationToken);
        }

        return (await response.Content.ReadFromJsonAsync<CreatedRoom>(Json.Web, cancellationToken))!;
    }

    public async Task JoinRoomAsync(string token, Guid roomId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/rooms/{roomId}/join");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync("join room", response, cancellationToken);
        }
    }

    public Task<RoomInfo> GetRoomAsync(string token, Guid roomId, CancellationToken cancellationToken) =>
        GetAsync<RoomInfo>(token, $"/api/rooms/{roomId}", cancellationToken);

    public Task<MessagePage> GetMessagesAsync(
        string token, Guid roomId, long afterSeq, CancellationToken cancellationToken) =>
        GetAsync<MessagePage>(token, $"/api/rooms/{roomId}/messages?afterSeq={afterSeq}&limit=100", cancellationToken);

    public Task<EventPage> GetEventsAsync(string token, Guid roomId, long afterSeq, CancellationToken cancellationToken) =>
        GetAsync<EventPage>(token, $"/api/rooms/{roomId}/events?afterSeq={afterSeq}&limit=500", cancellationToken);

    /// <summary>Every event of a room after <paramref name="afterSeq"/>, paging through the history API.</summary>
    public async Task<List<RoomEventView>> GetAllEventsAsync(
        string token, Guid roomId, long afterSeq, CancellationToken cancellationToken)
    {
        var all = new List<RoomEventView>();
        while (true)
        {
            var page = await GetEventsAsync(token, roomId, afterSeq, cancellationToken);
            all.AddRange(page.Events);
            if (!page.HasMore || page.Events.Count == 0)
            {
                return all;
            }

            afterSeq = page.Events[^1].Seq;
        }
    }

    /// <summary>Every stored message of a room, paging through the history API.</summary>
    public async Task<List<HistoryMessage>> GetAllMessagesAsync(
        string token, Guid roomId, CancellationToken cancellationToken)
    {
        var all = new List<HistoryMessage>();
        long afterSeq = 0;
        while (true)
        {
            var page = await GetMessagesAsync(token, roomId, afterSeq, cancellationToken);
            all.AddRange(page.Messages);
            if (page.Messages.Count < 100)
            {
                return all;
            }

            afterSeq = page.Messages[^1].Seq;
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> GetAsync<T>(string token, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync($"GET {path}", response, cancellationToken);
        }

        return (await response.Content.ReadFromJsonAsync<T>(Json.Web, cancellationToken))!;
    }

    private static async Task<HttpRequestException> FailureAsync(
        string what, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new HttpRequestException(
            $"{what} failed: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}",
            null,
            response.StatusCode);
    }
}
