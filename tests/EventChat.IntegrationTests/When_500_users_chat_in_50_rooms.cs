using System.Text.Json;
using EventChat.IntegrationTests.Support;
using Xunit.Abstractions;

namespace EventChat.IntegrationTests;

/// <summary>
/// The load tool's <c>chat</c> scenario at the scale the product is first sized for, through the whole cluster, as
/// a correctness check: every acknowledged message reaches every other member of its room once and in
/// <c>seq</c> order, and history holds each exactly once. Its figures are printed, never asserted.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_500_users_chat_in_50_rooms(ClusterFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_lose_duplicate_and_reorder_nothing()
    {
        string[] args =
        [
            "chat", "--urls", string.Join(',', new[] { cluster.Edge1, cluster.Edge2 }.Select(e => e.ToString().TrimEnd('/'))),
            "--users", "500", "--rooms", "50", "--rate", "0.1", "--warmup", "3", "--duration", "20", "--drain", "30",

            // Five devices to an account, as one user's phone, laptop and so on: registration hashes each password
            // on purpose, and 500 of them would make a loaded machine's set-up, not the check, decide the outcome.
            "--connections-per-account", "5",
        ];
        await using var tool = new ManagedProcess("loadtest-chat", RepoPaths.LoadTestDll, args,
            new Dictionary<string, string>(), Path.Combine(cluster.LogDirectory, "loadtest-chat.log"));
        tool.Start();
        int code;
        try
        {
            code = await tool.WaitForExitAsync(TimeSpan.FromMinutes(10));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the tool did not finish within 10 minutes{Environment.NewLine}{tool.Output}");
            throw;
        }

        var json = tool.Lines.LastOrDefault(l => l.StartsWith('{'));
        Assert.True(json is not null, $"the tool printed no JSON result{Environment.NewLine}{tool.Output}");
        using var result = JsonDocument.Parse(json);
        var figures = result.RootElement;
        output.WriteLine(json);
        Assert.True(code == 0, $"the tool exited with {code}{Environment.NewLine}{tool.Output}");
        // Failed connections or sends would leave messages out of the checks, so a run with any is no proof.
        foreach (var fault in new[] { "lost", "duplicated", "outOfOrder", "unexpected", "ackedMissingFromHistory",
                     "ackedDuplicatedInHistory", "connectionsFailed", "sendFailed" })
        {
            Assert.True(figures.GetProperty(fault).GetInt64() == 0, $"{fault}: {json}");
        }

        Assert.True(figures.GetProperty("ackedTotal").GetInt64() >= 500, $"too few messages to check: {json}");
        Assert.True(figures.GetProperty("correct").GetBoolean(), json);
    }
}
