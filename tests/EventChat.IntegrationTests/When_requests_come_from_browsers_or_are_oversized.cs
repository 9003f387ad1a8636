using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR.Client;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_requests_come_from_browsers_or_are_oversized(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_allow_cross_origin_calls_only_from_the_configured_origins()
    {
        using var http = new HttpClient { BaseAddress = cluster.Edge1 };

        using var allowed = await PreflightAsync(http, ClusterFixture.AllowedOrigin);
        using var refused = await PreflightAsync(http, "http://evil.example.test");

        Assert.Equal(ClusterFixture.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/rooms")]
    [InlineData("/health/live")]
    public async Task Should_send_security_headers_on_the_page_and_the_api(string path)
    {
        using var http = new HttpClient { BaseAddress = cluster.Edge1 };

        using var response = await http.GetAsync(path);

        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task Should_refuse_a_body_over_the_limit_with_413_problem_details()
    {
        using var http = new HttpClient { BaseAddress = cluster.Edge1 };
        var huge = new { username = new string('a', 70 * 1024), password = "long enough" };

        using var response = await http.PostAsJsonAsync("/api/auth/register", huge);

        var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("larger than this server accepts", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"username\": \"bob\", ", "application/json", 400, "not a JSON object")]
    [InlineData("{\"username\": 5, \"password\": [1]}", "application/json", 400, "$.username")]
    [InlineData("[\"username\"]", "application/json", 400, "not a JSON object")]
    [InlineData("\"\\ud800\"", "application/json", 400, "not a JSON object")]
    [InlineData("username=bob&password=x", "application/x-www-form-urlencoded", 415, "must be JSON")]
    [InlineData("", "application/json", 400, "needs a JSON body")]
    public async Task Should_answer_an_unreadable_body_with_a_reason_never_a_500(
        string body, string contentType, int status, string reason)
    {
        using var http = new HttpClient { BaseAddress = cluster.Edge1 };

        using var response = await http.PostAsync("/api/auth/register", new StringContent(body, Encoding.UTF8, contentType));

        var problem = await ProblemAsync(response, (HttpStatusCode)status);
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_refuse_names_over_their_length_limits()
    {
        using var http = new HttpClient { BaseAddress = cluster.Edge1 };
        var longName = new string('n', 33);
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");

        using var user = await http.PostAsJsonAsync("/api/auth/register", new { username = longName, password = "long enough" });
        using var room = await alice.RequestAsync(HttpMethod.Post, "/api/rooms",
            new { name = string.Concat(Enumerable.Repeat("😀", 101)), visibility = "public" });

        Assert.Contains("3 to 32 characters", (await ProblemAsync(user, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(),
            StringComparison.Ordinal);
        Assert.Contains("1 to 100 printable", (await ProblemAsync(room, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(),
            StringComparison.Ordinal);
        await alice.CreateRoomAsync(name: string.Concat(Enumerable.Repeat("😀", 100)));
    }

    [Fact]
    public async Task Should_close_a_connection_that_sends_a_frame_over_the_hub_limit_and_keep_the_others()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge1, "bob");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        var oversized = alice.Hub.InvokeAsync<JsonElement>("SendMessage", room.ToString(), "big", new string('x', 1100 * 1024));

        await Assert.ThrowsAnyAsync<Exception>(() => oversized.WaitAsync(ChatClient.Timeout));
        await Eventually.HoldsAsync(() => Task.FromResult(alice.Hub.State == HubConnectionState.Disconnected),
            ChatClient.Soon, "the edge closed alice's connection");
        await bob.SendAsync(room, "after", "still here");
        await bob.WaitForMessagesAsync(room, 1);
        Assert.DoesNotContain(await bob.HistoryAsync(room), m => m.ClientMessageId == "big");
    }

    private static async Task<HttpResponseMessage> PreflightAsync(HttpClient http, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/rooms");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return await http.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<JsonElement>(body);
    }
}
