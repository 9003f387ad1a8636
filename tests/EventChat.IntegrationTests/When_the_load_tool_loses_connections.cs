using System.Globalization;
using System.Net;
using System.Text.Json;
using EventChat.IntegrationTests.Support;
using Xunit.Abstractions;

namespace EventChat.IntegrationTests;

/// <summary>
/// The load tool against real edges whose connections are cut mid-run (a relay in front of one edge drops every
/// connection through it and refuses new ones for a while): the run must go on, reconnect, keep its checks exact,
/// and tell dropped connections apart from product losses.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_the_load_tool_loses_connections(ClusterFixture cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Cut = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RunBound = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Should_reconnect_persist_senders_and_keep_polling_through_the_cut()
    {
        await using var relay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, cluster.Edge1.Port));
        var csv = Path.Combine(cluster.LogDirectory, "loadtest-persist-cut.csv");
        await using var tool = new LoadToolRun("loadtest-persist-cut", cluster.LogDirectory,
            "persist", "--urls", $"http://127.0.0.1:{relay.Port}", "--senders", "4", "--rooms", "2",
            "--max-rate", "40", "--duration", "14", "--drain", "60", "--postgres", cluster.PostgresConnectionString,
            "--csv", csv);
        tool.Start();
        await tool.WaitForLineAsync("send   ]", TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(2));

        relay.Cut();
        await Task.Delay(Cut);
        relay.Restore();

        var (code, result, json) = await tool.FinishAsync(RunBound);
        output.WriteLine(json);
        Assert.True(code == 0, $"exit code {code}{Environment.NewLine}{tool.Output}");
        Assert.True(result.GetProperty("correct").GetBoolean(), json);
        Assert.Equal(0, result.GetProperty("ackedMissing").GetInt64());
        Assert.Equal(0, result.GetProperty("ackedDuplicated").GetInt64());
        Assert.True(result.GetProperty("droppedConnections").GetInt64() >= 4, $"every sender was cut off: {json}");
        Assert.True(result.GetProperty("reconnects").GetInt64() >= 4, $"every sender connected again: {json}");
        Assert.True(result.GetProperty("pollFailures").GetInt64() >= 1, $"polls failed while cut: {json}");
        AssertReasonsAddUp(result, json);

        // Sending went on after the cut: the last seconds of the send phase were acknowledged.
        var sendRows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(','))
            .Where(cells => cells[1] == "send").ToList();
        var lastAcked = sendRows.TakeLast(3).Sum(cells => double.Parse(cells[4], CultureInfo.InvariantCulture));
        Assert.True(lastAcked > 0, $"nothing was acknowledged at the end of sending: {json}");
    }

    [Fact]
    public async Task Should_catch_chat_receivers_up_and_count_only_what_is_still_missing_as_lost()
    {
        await using var relay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, cluster.Edge1.Port));
        await using var tool = new LoadToolRun("loadtest-chat-cut", cluster.LogDirectory,
            "chat", "--urls", $"http://127.0.0.1:{relay.Port},{cluster.Edge2.ToString().TrimEnd('/')}",
            "--users", "24", "--rooms", "4", "--rate", "3", "--warmup", "2", "--duration", "12", "--drain", "30");
        tool.Start();
        await tool.WaitForLineAsync("measure]", TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(2));

        relay.Cut();
        await Task.Delay(Cut);
        relay.Restore();

        var (code, result, json) = await tool.FinishAsync(RunBound);
        output.WriteLine(json);
        Assert.True(code == 0, $"exit code {code}{Environment.NewLine}{tool.Output}");
        Assert.True(result.GetProperty("droppedConnections").GetInt64() >= 1, json);
        Assert.Equal(result.GetProperty("droppedConnections").GetInt64(), result.GetProperty("reconnected").GetInt64());
        Assert.Equal(0, result.GetProperty("disconnectedAtEnd").GetInt64());
        Assert.True(result.GetProperty("recoveredAfterReconnect").GetInt64() >= 1,
            $"receivers missed messages while cut off and caught up on them: {json}");
        foreach (var fault in new[] { "lost", "duplicated", "outOfOrder", "unexpected", "ackedMissingFromHistory",
                     "ackedDuplicatedInHistory" })
        {
            Assert.True(result.GetProperty(fault).GetInt64() == 0, $"{fault}: {json}");
        }

        Assert.True(result.GetProperty("correct").GetBoolean(), json);
        AssertReasonsAddUp(result, json);
    }

    private static void AssertReasonsAddUp(JsonElement result, string json)
    {
        var reasons = result.GetProperty("sendFailedReasons").EnumerateObject().Sum(r => r.Value.GetInt64());
        Assert.True(reasons == result.GetProperty("sendFailed").GetInt64(), $"sendFailedReasons add up: {json}");
    }
}
