using EventChat.LoadTest.Cli;
using EventChat.LoadTest.Common;

namespace EventChat.LoadTest.Scenarios;

/// <summary>
/// Reads the RSS of running edges, each right after a forced full collection, as the connections scenario does:
/// for scripts that open connections from several tool processes and read the edges once all are open.
/// </summary>
public static class MemoryCommand
{
    public const string Summary =
        "Prints the RSS of each --edge-pids process, read after a full blocking garbage collection forced over its " +
        "diagnostics port (unless --force-gc false), as edge<i>RssMb figures and their total.";

    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("edge-pids", string.Empty, "comma-separated pids of the edge processes"),
        new("force-gc", null, "make each edge run a full garbage collection first (on unless --force-gc false)"),
    ];

    public static async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var forceGc = line.FlagDefaultOn("force-gc");
        var pids = ConnectionsScenario.ParsePids(line.List("edge-pids"));
        if (pids.Length == 0)
        {
            throw new UsageException("--edge-pids: give at least one pid.");
        }

        var collected = true;
        foreach (var pid in forceGc ? pids : [])
        {
            collected &= await ProcessMemory.ForceGcAsync(pid, cancellationToken);
        }

        var report = new Report();
        report.Add("scenario", "memory");
        long? total = 0;
        for (var i = 0; i < pids.Length; i++)
        {
            var rss = ProcessMemory.ReadRssBytes(pids[i]);
            total += rss;
            report.Add($"edge{i}Pid", pids[i]);
            report.Add($"edge{i}RssMb", rss / 1048576.0);
        }

        report.Add("edgeRssMb", total / 1048576.0);
        if (total is null)
        {
            report.Note("an edge's RSS could not be read (the process exited?), so the total is missing (null)");
        }

        report.Add("forcedGc", forceGc && collected);
        report.Write(Console.Out);
        return 0;
    }
}
