using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>Refresh token families on PostgreSQL, used through both edges.</summary>
[Collection(ClusterCollection.Name)]
public sealed class When_refresh_tokens_are_used(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_rotate_on_every_use_on_any_edge_and_refuse_a_used_token()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        var first = alice.RefreshToken;

        var second = await RefreshAsync(cluster.Edge2, first);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.NotEqual(first, second.RefreshToken);
        using var http = new HttpClient { BaseAddress = cluster.Edge1 };
        http.DefaultRequestHeaders.Authorization = new("Bearer", second.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/rooms")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(cluster.Edge1, second.RefreshToken!)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(cluster.Edge1, "not-a-token")).Status);
    }

    [Fact]
    public async Task Should_store_only_a_hash_of_each_refresh_token()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(alice.RefreshToken)));
        Assert.Equal(1L, await cluster.ScalarAsync(
            "SELECT count(*) FROM refresh_tokens WHERE token_hash = @hash", ("hash", hash)));
        Assert.Equal(0L, await cluster.ScalarAsync(
            "SELECT count(*) FROM refresh_tokens WHERE token_hash = @token", ("token", alice.RefreshToken)));
    }

    [Fact]
    public async Task Should_revoke_the_whole_family_and_log_a_security_event_when_a_used_token_is_replayed()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var otherDevice = await alice.ConnectAgainAsync(cluster.Edge1);
        var stolen = alice.RefreshToken;
        var thief = await RefreshAsync(cluster.Edge2, stolen);
        Assert.Equal(HttpStatusCode.OK, thief.Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(cluster.Edge1, stolen)).Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(cluster.Edge2, thief.RefreshToken!)).Status);
        await otherDevice.RefreshAsync();
        var reported = $"of user {alice.UserId} was used again";
        var edge1 = cluster.Process("edge1");
        await Eventually.HoldsAsync(
            () => Task.FromResult(edge1.Lines.Any(l => l.Contains(reported, StringComparison.Ordinal))),
            ChatClient.Soon, "edge1 logs the reuse of alice's refresh token");
        Assert.Contains(edge1.Lines,
            l => l.Contains("warn: EventChat.Api.Auth.RefreshTokenStore[8001]", StringComparison.Ordinal));
        Assert.DoesNotContain(stolen, string.Join('\n', cluster.Process("edge1").Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_let_exactly_one_of_two_concurrent_uses_of_a_token_win()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        var token = alice.RefreshToken;
        for (var round = 0; round < 10; round++)
        {
            var results = await Task.WhenAll(RefreshAsync(cluster.Edge1, token), RefreshAsync(cluster.Edge2, token));

            var winner = Assert.Single(results, r => r.Status == HttpStatusCode.OK);
            Assert.Single(results, r => r.Status == HttpStatusCode.Unauthorized);

            // The loser's use counts as reuse and revokes the family, so the next round starts from a new login.
            Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(cluster.Edge1, winner.RefreshToken!)).Status);
            token = (await LogInAsync(alice)).RefreshToken!;
        }
    }

    [Fact]
    public async Task Should_revoke_the_family_on_logout_and_leave_other_devices_signed_in()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var otherDevice = await alice.ConnectAgainAsync(cluster.Edge2);
        var first = alice.RefreshToken;
        await alice.RefreshAsync();

        using var http = new HttpClient { BaseAddress = cluster.Edge2 };
        var logout = await http.PostAsJsonAsync("/api/auth/logout", new { refreshToken = first });
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(cluster.Edge1, alice.RefreshToken)).Status);
        await otherDevice.RefreshAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/auth/logout", new { })).StatusCode);
    }

    private static async Task<Tokens> RefreshAsync(Uri edge, string refreshToken)
    {
        using var http = new HttpClient { BaseAddress = edge, Timeout = ChatClient.Timeout };
        using var response = await http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
        return await TokensAsync(response);
    }

    private static async Task<Tokens> LogInAsync(ChatClient user)
    {
        using var http = new HttpClient { BaseAddress = user.Edge, Timeout = ChatClient.Timeout };
        using var response = await http.PostAsJsonAsync("/api/auth/login",
            new { username = user.UserName, password = ChatClient.Password });
        return await TokensAsync(response);
    }

    private static async Task<Tokens> TokensAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new Tokens(response.StatusCode, null, null);
        }

        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return new Tokens(response.StatusCode, body.GetProperty("accessToken").GetString(),
            body.GetProperty("refreshToken").GetString());
    }

    private sealed record Tokens(HttpStatusCode Status, string? AccessToken, string? RefreshToken);
}
