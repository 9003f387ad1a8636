using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>
/// A <c>chat</c> run whose every send is refused (here: texts over the edge's length limit) checked no delivery and
/// timed nothing. It must not pass: a script that reads only the exit code would take it for a clean run.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_every_send_of_a_load_run_fails(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_exit_3_as_inconclusive_and_call_nothing_correct()
    {
        await using var tool = new LoadToolRun("loadtest-refused", cluster.LogDirectory,
            "chat", "--urls", cluster.Edge1.ToString().TrimEnd('/'), "--users", "4", "--rooms", "2", "--rate", "2",
            "--warmup", "0", "--duration", "2", "--drain", "2", "--text-bytes", "20000");
        tool.Start();

        var (code, result, json) = await tool.FinishAsync(TimeSpan.FromMinutes(3));

        Assert.True(code == 3, $"exit code {code}: {json}");
        Assert.True(result.GetProperty("sendFailed").GetInt64() > 0, json);
        Assert.Equal(0, result.GetProperty("ackedTotal").GetInt64());
        Assert.False(result.GetProperty("correct").GetBoolean(), json);
        Assert.Contains("inconclusive: no send was acknowledged", tool.Output, StringComparison.Ordinal);
    }
}
