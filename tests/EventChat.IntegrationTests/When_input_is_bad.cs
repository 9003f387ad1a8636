using System.Net;
using System.Net.Http.Json;
using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_input_is_bad(ClusterFixture cluster)
{
    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("   ", "must not be empty")]
    [InlineData("nul\0char", "NUL")]
    public async Task Should_refuse_bad_text_with_a_reason_and_keep_the_connection(string text, string reason)
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);

        var error = await Assert.ThrowsAsync<HubException>(() => alice.SendAsync(room, "x", text));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);

        await alice.SendAsync(room, "after", "still connected");
        Assert.Equal("after", Assert.Single(await alice.WaitForMessagesAsync(room, 1)).ClientMessageId);
        Assert.DoesNotContain(cluster.Process("edge1").Lines, l => l.Contains("HubException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_store_and_deliver_text_holding_noncharacters()
    {
        // Unicode normalisation refuses U+FFFE; moderation must still decide on the message, not fail on it.
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;

        await alice.SendAsync(room, "fffe", "a \uFFFE b");
        await alice.SendAsync(room, "after", "and the next one");

        var received = await bob.WaitForMessagesAsync(room, 2);
        Assert.Equal(["fffe", "after"], received.Select(m => m.ClientMessageId));
        Assert.Equal("a \uFFFE b", received[0].Text);
    }

    [Fact]
    public async Task Should_refuse_text_over_the_limit()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);

        var error = await Assert.ThrowsAsync<HubException>(() => alice.SendAsync(room, "long", new string('y', 4001)));
        Assert.Contains("limit is 4000", error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, alice.Hub.State);
    }

    [Fact]
    public async Task Should_refuse_sending_to_a_room_the_user_is_not_in()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var mallory = await ChatClient.ConnectAsync(cluster.Edge2, "mallory");
        var room = await alice.CreateRoomAsync("private");

        var notMember = await Assert.ThrowsAsync<HubException>(() => mallory.SendAsync(room, "x", "let me in"));
        Assert.Contains("not a member", notMember.Message, StringComparison.Ordinal);
        var cannotJoin = await Assert.ThrowsAsync<HubException>(() => mallory.JoinAsync(room));
        Assert.Contains("does not exist, or it is private", cannotJoin.Message, StringComparison.Ordinal);
        var badId = await Assert.ThrowsAsync<HubException>(() => mallory.Hub.InvokeAsync<object>("JoinRoom", "not-a-guid"));
        Assert.Contains("not a valid room id", badId.Message, StringComparison.Ordinal);

        var history = await mallory.RawGetAsync($"/api/rooms/{room}/messages");
        Assert.Equal(HttpStatusCode.NotFound, history.StatusCode);
        Assert.Equal(HubConnectionState.Connected, mallory.Hub.State);
    }

    [Fact]
    public async Task Should_answer_bad_http_requests_with_400_409_and_401()
    {
        using var http = new HttpClient { BaseAddress = cluster.Edge1 };
        var name = $"carol{Random.Shared.Next(100_000, 999_999)}";

        Assert.Equal(HttpStatusCode.BadRequest,
            (await http.PostAsJsonAsync("/api/auth/register", new { username = "x", password = "long enough" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await http.PostAsJsonAsync("/api/auth/register", new { username = name, password = "short" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await http.PostAsync("/api/auth/register", new StringContent("{not json", null, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created,
            (await http.PostAsJsonAsync("/api/auth/register", new { username = name, password = "long enough" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict,
            (await http.PostAsJsonAsync("/api/auth/register", new { username = name.ToUpperInvariant(), password = "long enough" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await http.PostAsJsonAsync("/api/auth/login", new { username = name, password = "wrong password" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/api/rooms/{Guid.NewGuid()}/messages")).StatusCode);
    }

    [Theory]
    [InlineData("/api/users?name=%00")]
    [InlineData("/api/users?name=bob%00")]
    [InlineData("/api/users?name=%1B%5B2J")]
    [InlineData("/api/rooms/search?q=%00")]
    [InlineData("/api/rooms/search?q=lounge%00")]
    public async Task Should_refuse_a_lookup_holding_a_control_character_with_400(string path)
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");

        await alice.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, path);
        var found = await alice.GetAsync($"/api/users?name={alice.UserName}");
        Assert.Equal(alice.UserId, found.GetProperty("userId").GetGuid());
    }

    [Fact]
    public async Task Should_refuse_a_validly_signed_token_whose_subject_is_not_a_user_id()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        using var http = new HttpClient { BaseAddress = cluster.Edge1, Timeout = ChatClient.Timeout };

        // The same signing with a real user's id is accepted, so the refusals below are about the subject alone.
        var control = cluster.SignAccessToken(alice.UserId.ToString(), alice.UserName);
        using (var accepted = await GetRoomsAsync(http, control))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        foreach (var subject in new[] { "not-a-guid", "", null })
        {
            var token = cluster.SignAccessToken(subject, "mallory");
            using var refused = await GetRoomsAsync(http, token);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            foreach (var edge in new[] { cluster.Edge1, cluster.Edge2 })
            {
                await Assert.ThrowsAnyAsync<Exception>(() => ChatClient.ConnectWithTokenAsync(edge, "mallory", token));
            }
        }

        Assert.DoesNotContain(cluster.Process("edge1").Lines, l => l.Contains("Guid format", StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> GetRoomsAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/rooms");
        request.Headers.Authorization = new("Bearer", token);
        return await http.SendAsync(request);
    }
}
