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
        _edge = new ManagedProcess("embedded", RepoPaths.ApiDll,
            ["--contentRoot", RepoPaths.ApiContentRoot, "--urls", _url.ToString()],
            new Dictionary<string, string>
            {
                ["Storage__SqlitePath"] = Path.Combine(_dataDir, "eventchat.db"),
                ["Auth__KeyFile"] = Path.Combine(_dataDir, "signing-key"),
                ["ConnectionStrings__Postgres"] = "",
                ["ConnectionStrings__RabbitMq"] = "",
                ["ConnectionStrings__Redis"] = "",
            });
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
        await bob.JoinAsync(room);

        for (var i = 0; i < 20; i++)
        {
            await alice.SendAsync(room, $"e{i}", $"embedded {i}");
        }

        await alice.SendAsync(room, "blocked", "a badword here");
        await bob.SendAsync(room, "reply", "hi @" + alice.UserName);

        var live = await bob.WaitForMessagesAsync(room, 21);
        Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i), live.Select(m => m.Seq));
        Assert.DoesNotContain(live, m => m.ClientMessageId == "blocked");
        Assert.Equal(live, await alice.FullHistoryAsync(room));
        await Eventually.HoldsAsync(() => Task.FromResult(!alice.Rejected.IsEmpty && !alice.Notifications.IsEmpty),
            ChatClient.Timeout, "alice hears of her rejected message and of bob's mention");

        using var page = new HttpClient();
        var html = await page.GetStringAsync(_url);
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
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
