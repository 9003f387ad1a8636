using System.Net;
using System.Security.Cryptography;
using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>
/// An edge that trusts an OpenID Connect issuer of the test's own, on a loopback port, instead of EventChat's
/// accounts. The edge reads the issuer's discovery document and keys over plain HTTP, which only a loopback
/// issuer may use.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_an_external_issuer_is_trusted(ClusterFixture cluster) : IAsyncLifetime
{
    private const string Audience = "eventchat-api";
    private readonly TestIssuer _issuer = new();
    private ManagedProcess? _edge;
    private Uri _url = null!;

    public async Task InitializeAsync() =>
        (_edge, _url) = await cluster.StartEdgeAsync("edge-external", new Dictionary<string, string>
        {
            ["Auth__Authority"] = _issuer.Authority,
            ["Auth__Audience"] = Audience,
            ["Auth__RequireHttpsMetadata"] = "false",
        });

    [Fact]
    public async Task Should_map_the_issuers_user_to_a_local_one_that_chats()
    {
        var subject = Guid.NewGuid().ToString();
        var name = $"ext_{Random.Shared.Next(100_000, 999_999)}";
        await using var alice =
            await ChatClient.ConnectWithTokenAsync(_url, name, _issuer.Token(subject, name, Audience));
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);

        await alice.SendAsync(room, "external", "hello from outside");

        var posted = Assert.Single(await alice.WaitForMessagesAsync(room, 1));
        Assert.Equal(name, posted.ActorName);
        var userId = (await alice.GetAsync($"/api/users?name={name}")).GetProperty("userId").GetGuid();
        Assert.Equal(userId, posted.ActorId);
        Assert.Equal(subject, await cluster.ScalarAsync(
            "SELECT external_subject FROM users WHERE id = @id AND external_issuer = @issuer",
            ("id", userId), ("issuer", _issuer.Authority)));

        // The same identity later, with a new token, is the same local user.
        await using var again =
            await ChatClient.ConnectWithTokenAsync(_url, name, _issuer.Token(subject, name, Audience));
        await again.JoinAsync(room);
        await again.SendAsync(room, "external-again", "me again");
        Assert.Equal(userId, (await alice.WaitForMessagesAsync(room, 2))[1].ActorId);
    }

    [Fact]
    public async Task Should_refuse_a_token_of_another_key_another_audience_or_expired()
    {
        using var otherKey = RSA.Create(2048);
        var subject = Guid.NewGuid().ToString();
        string[] refused =
        [
            _issuer.Token(subject, "mallory", Audience, signWith: otherKey),
            _issuer.Token(subject, "mallory", "another-api"),
            _issuer.Token(subject, "mallory", Audience, expires: DateTimeOffset.UtcNow.AddMinutes(-5)),
        ];

        using var http = new HttpClient { BaseAddress = _url, Timeout = ChatClient.Timeout };
        foreach (var token in refused)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/rooms");
            request.Headers.Authorization = new("Bearer", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
            await Assert.ThrowsAnyAsync<Exception>(() => ChatClient.ConnectWithTokenAsync(_url, "mallory", token));
        }

        Assert.Null(await cluster.ScalarAsync("SELECT id FROM users WHERE external_subject = @s", ("s", subject)));
        using var login = JsonContent("{\"username\":\"mallory\",\"password\":\"correct horse\"}");
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/auth/login", login)).StatusCode);
    }

    [Fact]
    public async Task Should_take_any_subject_for_an_identity_and_refuse_a_token_without_a_usable_one()
    {
        // The issuer's subjects are its own business: they name identities, never local user ids.
        var name = $"ext_{Random.Shared.Next(100_000, 999_999)}";
        var subject = $"not-a-guid-{name}";
        var accepted = _issuer.Token(subject, name, Audience);
        await using (var carol = await ChatClient.ConnectWithTokenAsync(_url, name, accepted))
        {
            Assert.Equal(name, (await carol.GetAsync($"/api/users?name={name}")).GetProperty("userName").GetString());
        }

        using var http = new HttpClient { BaseAddress = _url, Timeout = ChatClient.Timeout };
        foreach (var missing in new[] { null, "", RandomNumberGenerator.GetHexString(6000) })
        {
            var token = _issuer.Token(missing, "mallory", Audience);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/rooms");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            await Assert.ThrowsAnyAsync<Exception>(() => ChatClient.ConnectWithTokenAsync(_url, "mallory", token));
        }

        Assert.Null(await cluster.ScalarAsync("SELECT id FROM users WHERE external_subject = ''"));
    }

    public async Task DisposeAsync()
    {
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }

        await _issuer.DisposeAsync();
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
