using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>
/// The edge with no connection strings at all: in-memory bus, SQLite, in-memory presence and cache, every worker
/// role in the same process. It needs nothing but the .NET SDK.
/// </summary>
public sealed class When_running_the_embedded_default : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("eventchat-embedded-").FullName;
    private readonly Uri _url = new($"http://127.0.0.1:{Ports.Free()}");
    private ManagedProcess? _edge;

    public async Task InitializeAsync()
    {
        // Run as a user runs the build output: from its own folder, in Development as under dotnet run.
        _edge = new ManagedProcess("embedded", RepoPaths.ApiDll,
            ["--urls", _url.ToString()],
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["Storage__SqlitePath"] = Path.Combine(_dataDir, "eventchat.db"),
                ["Auth__KeyFile"] = Path.Combine(_dataDir, "signing-key"),
                ["ConnectionStrings__Postgres"] = "",
                ["ConnectionStrings__RabbitMq"] = "",
                ["ConnectionStrings__Redis"] = "",
            },
            workingDirectory: Path.GetDirectoryName(RepoPaths.ApiDll));
        _edge.Start();
        using var http = new HttpClient();
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (await http.GetAsync(new Uri(_url, "/health"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return !_edge.HasExited ? false : throw new InvalidOperationException(_edge.Output);
            }
        }, TimeSpan.FromSeconds(60), "the embedded edge answers /health");
    }

    [Fact]
    public async Task Should_chat_moderate_and_keep_history_with_nothing_but_dotnet()
    {
        await using var alice = await ChatClient.ConnectAsync(_url, "alice");
        await using var bob = await ChatClient.ConnectAsync(_url, "bob");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        var startSeq = await bob.JoinAsync(room);

        for (var i = 0; i < 20; i++)
        {
            await alice.SendAsync(room, $"e{i}", $"embedded {i}");
        }

        await alice.SendAsync(room, "blocked", "a badword here");
        await bob.SendAsync(room, "reply", "hi @" + alice.UserName);

        var live = await bob.WaitForMessagesAsync(room, 21);
        Assert.Equal(Enumerable.Range(1, 21).Select(i => startSeq + i), live.Select(m => m.Seq));
        Assert.DoesNotContain(live, m => m.ClientMessageId == "blocked");
        Assert.Equal(live.Select(e => e.AsPosted()), (await alice.FullHistoryAsync(room)).Select(m => m.AsPosted()));
        await Eventually.HoldsAsync(() => Task.FromResult(!alice.Rejected.IsEmpty && !alice.Notifications.IsEmpty),
            ChatClient.Timeout, "alice hears of her rejected message and of bob's mention");

        using var page = new HttpClient();
        var html = await page.GetStringAsync(_url);
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("POST", "/api/auth/register", "{\"username\":\"x\"", "JSON")]
    [InlineData("POST", "/api/auth/register", "{\"username\":123,\"password\":true}", "JSON")]
    [InlineData("POST", "/api/auth/register", "null", "JSON body")]
    [InlineData("POST", "/api/auth/register", "[]", "JSON")]
    [InlineData("POST", "/api/rooms", "{\"name\":\"x\",\"visibility\":1}", "JSON")]
    [InlineData("GET", "/api/rooms/not-a-room", null, "not a valid room id")]
    [InlineData("GET", "/api/rooms/00000000-0000-0000-0000-000000000001/messages?limit=abc", null, "limit")]
    [InlineData("GET", "/api/rooms/00000000-0000-0000-0000-000000000001/messages?afterSeq=99999999999999999999", null, "afterSeq")]
    [InlineData("GET", "/api/notifications?limit=0", null, "limit")]
    [InlineData("GET", "/api/notifications?limit=x", null, "limit")]
    public async Task Should_answer_a_malformed_request_with_400_and_a_reason(
        string method, string path, string? body, string reason)
    {
        await using var alice = await ChatClient.ConnectAsync(_url, "alice");
        using var http = new HttpClient { BaseAddress = _url };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new("Bearer", alice.AccessToken);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        Assert.Contains(reason, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("EventChat.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_edge!.Lines, LogLines.IsError);
    }

    [Fact]
    public async Task Should_refuse_far_oversized_text_with_a_reason_and_keep_the_connection()
    {
        await using var alice = await ChatClient.ConnectAsync(_url, "alice");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);

        var error = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(
            () => alice.SendAsync(room, "huge", new string('a', 200_000)));
        Assert.Contains("limit is 4000", error.Message, StringComparison.Ordinal);

        await alice.SendAsync(room, "after", "still here");
        Assert.Equal("after", Assert.Single(await alice.WaitForMessagesAsync(room, 1)).ClientMessageId);

        // A client's mistake is answered, not logged as a server failure with a stack trace.
        Assert.DoesNotContain(_edge!.Lines, LogLines.IsError);
    }

    public async Task DisposeAsync()
    {
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }
}
