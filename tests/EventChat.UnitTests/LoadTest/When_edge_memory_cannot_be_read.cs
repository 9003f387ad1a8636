using System.Text.Json.Nodes;
using EventChat.LoadTest;
using EventChat.LoadTest.Common;
using EventChat.LoadTest.Scenarios;

namespace EventChat.UnitTests.LoadTest;

/// <summary>
/// An edge that died during --hold has no RSS after it: its reading is missing (null, n/a), no per-connection
/// figure is made up from it, and plots of memory leave such runs out.
/// </summary>
public sealed class When_edge_memory_cannot_be_read
{
    [Fact]
    public void Should_report_the_missing_reading_as_null_and_say_why()
    {
        var report = new Report();

        ConnectionsScenario.AddMemory(report, [101, 102], [100L << 20, 100L << 20], [150L << 20, null], 1000);

        var (table, json) = Written(report);
        Assert.Equal(150, (double)json["edge0RssAfterMb"]!);
        Assert.True(json.ContainsKey("edge1RssAfterMb"));
        Assert.Null(json["edge1RssAfterMb"]);
        Assert.Null(json["edgeRssAfterMb"]);
        Assert.Null(json["edgeKbPerConnection"]);
        Assert.Contains("n/a", table, StringComparison.Ordinal);
        Assert.Contains(json["notes"]!.AsArray(), n => ((string)n!).Contains("102", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_compute_the_figure_per_connection_when_every_reading_is_there()
    {
        var report = new Report();

        ConnectionsScenario.AddMemory(report, [101], [100L << 20], [101L << 20], 1024);

        Assert.Equal(1, (double)Written(report).Json["edgeKbPerConnection"]!);
    }

    [Fact]
    public void Should_make_no_figure_per_connection_when_the_edges_gave_memory_back()
    {
        var report = new Report();

        ConnectionsScenario.AddMemory(report, [101], [100L << 20], [99L << 20], 10);

        var json = Written(report).Json;
        Assert.Equal(-1, (double)json["edgeRssDeltaMb"]!);
        Assert.Null(json["edgeKbPerConnection"]);
        Assert.Contains(json["notes"]!.AsArray(), n => ((string)n!).Contains("fell by 1.0 MB", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_leave_a_run_without_a_reading_out_of_the_memory_plot()
    {
        var good = Path.Combine(Path.GetTempPath(), $"lt-{Guid.NewGuid():N}.json");
        var dead = Path.Combine(Path.GetTempPath(), $"lt-{Guid.NewGuid():N}.json");
        var png = Path.Combine(Path.GetTempPath(), $"lt-{Guid.NewGuid():N}.png");
        await File.WriteAllTextAsync(
            good, """{"scenario":"connections","openAtEnd":1000,"edgeRssBeforeMb":100,"edgeRssAfterMb":150}""");
        await File.WriteAllTextAsync(
            dead, """{"scenario":"connections","openAtEnd":1000,"edgeRssBeforeMb":100,"edgeRssAfterMb":null}""");
        try
        {
            using var error = new StringWriter();

            var code = await Commands.RunAsync(["plot", "--kind", "memory", good, dead, "--out", png], error)
                .WaitAsync(TimeSpan.FromSeconds(20));

            Assert.True(code == 0, $"exit code {code}; stderr: {error}");
            Assert.True(File.Exists(png));
        }
        finally
        {
            File.Delete(good);
            File.Delete(dead);
            File.Delete(png);
        }
    }

    private static (string Table, JsonObject Json) Written(Report report)
    {
        using var writer = new StringWriter();
        report.Write(writer);
        var lines = writer.ToString().TrimEnd().Split('\n');
        return (writer.ToString(), JsonNode.Parse(lines[^1])!.AsObject());
    }
}
