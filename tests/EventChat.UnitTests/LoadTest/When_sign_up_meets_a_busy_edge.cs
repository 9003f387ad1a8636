using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using EventChat.LoadTest.Common;

namespace EventChat.UnitTests.LoadTest;

/// <summary>Registration and login retry 503 and 429 within a bounded policy instead of ending the run.</summary>
public sealed class When_sign_up_meets_a_busy_edge
{
    private static readonly Uri Edge = new("http://127.0.0.1:9/");
    private static readonly RetryPolicy Quick =
        new(4, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40), TimeSpan.FromSeconds(3));

    [Fact]
    public async Task Should_retry_503_until_the_edge_answers()
    {
        using var handler = new ScriptedHandler(
            HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Created);
        using var api = new ApiClient(Edge, handler, Quick);

        await api.RegisterAsync("ann", "password", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("/api/auth/register", r));
        Assert.Equal(2, api.Retries);
    }

    [Fact]
    public async Task Should_wait_as_long_as_retry_after_asks_on_429()
    {
        using var handler = new ScriptedHandler(HttpStatusCode.TooManyRequests, HttpStatusCode.OK)
        {
            RetryAfter = TimeSpan.FromSeconds(1),
        };
        using var api = new ApiClient(Edge, handler, Quick);
        var started = Stopwatch.GetTimestamp();

        var login = await api.LoginAsync("ann", "password", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("token", login.AccessToken);
        Assert.Equal(2, handler.Requests.Count);
        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Should_give_up_after_the_last_attempt_with_the_edge_s_answer()
    {
        using var handler = new ScriptedHandler(Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, 10).ToArray());
        using var api = new ApiClient(Edge, handler, Quick);

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => api.LoginAsync("ann", "password", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(Quick.Attempts, handler.Requests.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("login failed: 503", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_not_retry_an_answer_that_will_not_change()
    {
        using var handler = new ScriptedHandler(HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var api = new ApiClient(Edge, handler, Quick);

        await Assert.ThrowsAsync<HttpRequestException>(
            () => api.LoginAsync("ann", "wrong", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public void Should_cap_backoff_and_retry_after()
    {
        var policy = new RetryPolicy(
            10, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), policy.Delay(1, TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.Zero, policy.Delay(1, TimeSpan.FromSeconds(-5)));
        Assert.InRange(policy.Delay(1, null), TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500));
        Assert.InRange(policy.Delay(9, null), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
    }

    /// <summary>Answers each request with the next status in its script, and records the paths asked for.</summary>
    private sealed class ScriptedHandler(params HttpStatusCode[] script) : HttpMessageHandler
    {
        private int _next;

        public List<string> Requests { get; } = [];

        public TimeSpan? RetryAfter { get; init; }

        protected override Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(request.RequestUri!.AbsolutePath);
            }

            var status = script[Math.Min(Interlocked.Increment(ref _next) - 1, script.Length - 1)];
            var response = new HttpResponseMessage(status)
            {
                Content = new StringContent(
                    status == HttpStatusCode.OK
                        ? """{"accessToken":"token","userId":"6f1c2f4e-3b9a-4c55-9d7e-0a1b2c3d4e5f","username":"ann"}"""
                        : "{}",
                    System.Text.Encoding.UTF8,
                    "application/json"),
            };
            if (RetryAfter is { } wait && status == HttpStatusCode.TooManyRequests)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(wait);
            }

            return Task.FromResult(response);
        }
    }
}
