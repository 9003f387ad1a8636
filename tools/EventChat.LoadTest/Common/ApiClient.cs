using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace EventChat.LoadTest.Common;

/// <summary>The REST calls of the EventChat contract that the scenarios need, against one edge.</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RetryPolicy _retry;
    private long _retries;

    public ApiClient(Uri baseUrl, HttpMessageHandler handler, RetryPolicy? retry = null)
    {
        _http = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        _retry = retry ?? RetryPolicy.Default;
    }

    public Uri BaseUrl => _http.BaseAddress!;

    /// <summary>How many registration and login calls were tried again after a 503 or 429.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public async Task RegisterAsync(string username, string password, CancellationToken cancellationToken)
    {
        using var response = await PostWithRetryAsync(
            "/api/auth/register", new { username, password }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw await FailureAsync("register", response, cancellationToken);
        }
    }

    public async Task<LoginAnswer> LoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        using var response = await PostWithRetryAsync("/api/auth/login", new { username, password }, cancellationToken);
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

    /// <summary>
    /// Posts, and posts again while the edge answers 503 or 429, within the retry policy: an edge that is starting,
    /// or shedding the password-hashing load of many registrations at once, should slow the set-up, not end the run.
    /// </summary>
    private async Task<HttpResponseMessage> PostWithRetryAsync(
        string path, object body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await _http.PostAsJsonAsync(path, body, Json.Web, cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
                || attempt >= _retry.Attempts)
            {
                return response;
            }

            var delay = _retry.Delay(attempt, RetryAfter(response));
            response.Dispose();
            Interlocked.Increment(ref _retries);
            await Task.Delay(delay, cancellationToken);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

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
