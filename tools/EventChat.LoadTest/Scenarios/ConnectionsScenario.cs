using System.Diagnostics;
using EventChat.LoadTest.Cli;
using EventChat.LoadTest.Common;
using Microsoft.AspNetCore.SignalR.Client;

namespace EventChat.LoadTest.Scenarios;

/// <summary>
/// Opens many idle authenticated hub connections, holds them, and measures what they cost the edges.
/// </summary>
public static class ConnectionsScenario
{
    public const string Summary =
        "Opens --connections idle authenticated hub connections (WebSockets, skipNegotiation), holds them for --hold " +
        "seconds, and reports opened, failed and dropped, and with --edge-pids each edge's RSS per connection.";

    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("urls", "http://127.0.0.1:5000", "comma-separated edge URLs (loopback only); connections round-robin"),
        new("connections", "1000", "connections to open"),
        new("connections-per-account", "50", "connections sharing one account (EventChat allows many devices per user)"),
        new("hold", "20", "seconds to hold the connections once open"),
        new("setup-concurrency", "32", "parallel connects"),
        new("edge-pids", string.Empty, "comma-separated pids of the edge processes, to read RSS from /proc/<pid>/status"),
        new("settle", "5", "seconds to wait before each RSS reading, so allocation from the connect burst settles"),
        new("force-gc", null, "make each edge run a full garbage collection, over its diagnostics port, before each RSS reading (on unless --force-gc false)"),
        new("source-ips", string.Empty, "comma-separated 127.0.0.x addresses to bind client sockets to (round-robin)"),
        new("csv", string.Empty, "write figures over time, one row per second, to this file"),
    ];

    public static async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        // Every option is read here, before anything connects, so a bad one costs no set-up.
        var urls = Loopback.RequireUrls(line.List("urls"));
        var count = line.Count("connections", min: 1);
        var perAccount = line.Count("connections-per-account", min: 1);
        var concurrency = line.Count("setup-concurrency", min: 1);
        var settle = TimeSpan.FromSeconds(line.Seconds("settle"));
        var hold = TimeSpan.FromSeconds(line.Seconds("hold"));
        var forceGc = line.FlagDefaultOn("force-gc");
        var csv = line.WritableFile("csv");
        var pids = ParsePids(line.List("edge-pids"));
        using var sockets = new SocketPool(line.List("source-ips").Select(Loopback.RequireLoopbackAddress).ToArray());
        var apis = urls.Select(u => new ApiClient(u, sockets.Next())).ToArray();
        var metrics = new Metrics();
        var report = new Report();
        report.Add("scenario", "connections");
        report.Add("urls", string.Join(',', urls.Select(u => u.ToString())));
        report.Add("connectionsRequested", count);
        report.Add("sourceIps", sockets.Count);

        var runId = Accounts.NewRunId();
        var accounts = (count + perAccount - 1) / perAccount;
        var logins = await Accounts.CreateAsync(apis, runId, accounts, 8, cancellationToken);
        report.Add("accounts", accounts);

        var collected = true;
        async Task<long?[]> ReadRssAsync()
        {
            await Task.Delay(settle, cancellationToken);
            foreach (var pid in forceGc ? pids : [])
            {
                collected &= await ProcessMemory.ForceGcAsync(pid, cancellationToken);
            }

            return pids.Select(ProcessMemory.ReadRssBytes).ToArray();
        }

        var rssBefore = pids.Length > 0 ? await ReadRssAsync() : [];
        var connections = new HubConnection?[count];
        var stopping = false;
        var failed = 0;
        string? firstError = null;
        var progress = new Progress(metrics, csv, () => RssExtras(pids), showPersisted: false);
        var started = Stopwatch.GetTimestamp();
        progress.Phase = "open";
        var interrupted = false;
        try
        {
            await OpenAsync();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }

        Task OpenAsync() => Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var connection = HubConnector.Create(urls[i % urls.Count], logins[i / perAccount].AccessToken, sockets);
                connection.Closed += _ =>
                {
                    if (!Volatile.Read(ref stopping))
                    {
                        metrics.Add(Counter.Dropped);
                        metrics.Add(Counter.Connections, -1);
                    }

                    return Task.CompletedTask;
                };
                try
                {
                    await connection.StartAsync(ct);
                    connections[i] = connection;
                    metrics.Add(Counter.Connections);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // A handshake that times out surfaces as a cancellation too; only the run's own token ends the run.
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, ex.Message, null);
                    await connection.DisposeAsync();
                }
            });
        var openSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var opened = metrics.Get(Counter.Connections);

        progress.Phase = "hold";
        interrupted = interrupted || !await Interruption.DelayAsync(hold, cancellationToken);
        var rssAfter = pids.Length == 0 ? []
            : interrupted ? new long?[pids.Length]
            : await ReadRssAsync();
        var stillOpen = metrics.Get(Counter.Connections);

        progress.Phase = "close";
        Volatile.Write(ref stopping, true);
        await progress.DisposeAsync();
        await Parallel.ForEachAsync(
            connections.Where(c => c is not null),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            (c, _) => c!.DisposeAsync());
        foreach (var api in apis)
        {
            api.Dispose();
        }

        report.Add("opened", opened);
        report.Add("failed", failed);
        report.Add("droppedDuringHold", metrics.Get(Counter.Dropped));
        report.Add("openAtEnd", stillOpen);
        report.Add("openSeconds", openSeconds);
        report.Add("connectsPerSec", opened / Math.Max(openSeconds, 0.001));
        if (firstError is not null)
        {
            report.Note($"first connection error: {firstError}");
        }

        report.Add("interrupted", interrupted);
        AddMemory(report, pids, rssBefore, rssAfter, stillOpen);
        if (pids.Length > 0)
        {
            report.Add("forcedGc", forceGc && collected);
            report.Note(forceGc && collected
                ? $"RSS is read {settle.TotalSeconds:0} s after opening and after --hold, each time right after a " +
                  "full blocking garbage collection in every edge; it still counts memory the GC keeps for reuse."
                : $"RSS is read {settle.TotalSeconds:0} s after opening and after --hold without a forced garbage " +
                  "collection (turned off, or an edge had no diagnostics port), so it includes uncollected garbage.");
        }

        if (interrupted)
        {
            report.Verdict("interrupted by Ctrl+C: the connections were not all opened or held for --hold, and " +
                           "the edges' RSS was not read after it");
        }

        report.Write(Console.Out);
        return interrupted ? Interruption.ExitCode : failed > 0 || metrics.Get(Counter.Dropped) > 0 ? 1 : 0;
    }

    /// <summary>
    /// The --edge-pids: each a running EventChat edge (its command line names EventChat.Api), none given twice.
    /// More pids than --urls is fine, as one edge may listen on several of them.
    /// </summary>
    public static int[] ParsePids(IReadOnlyList<string> texts)
    {
        var pids = new List<int>();
        foreach (var text in texts)
        {
            if (!int.TryParse(text, System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var pid) || pid == 0)
            {
                throw new UsageException($"--edge-pids: '{text}' is not a pid.");
            }

            if (pids.Contains(pid))
            {
                throw new UsageException($"--edge-pids: {pid} is given twice.");
            }

            pids.Add(pid);
        }

        foreach (var pid in pids)
        {
            if (ProcessMemory.ReadRssBytes(pid) is null)
            {
                throw new UsageException($"--edge-pids: {pid} is not the pid of a running process on this machine.");
            }

            if (!ProcessMemory.IsEdge(pid))
            {
                throw new UsageException($"--edge-pids: {pid} is not an EventChat edge (its command line does not " +
                                         "name EventChat.Api).");
            }
        }

        return [.. pids];
    }

    /// <summary>
    /// Each edge's RSS before and after, and their totals; an edge whose reading is missing (it exited) shows as
    /// null, and then no total or per-connection figure is made up from the others.
    /// </summary>
    public static void AddMemory(Report report, int[] pids, long?[] before, long?[] after, long connections)
    {
        var missing = new List<int>();
        for (var i = 0; i < pids.Length; i++)
        {
            report.Add($"edge{i}Pid", pids[i]);
            report.Add($"edge{i}RssBeforeMb", before[i] / 1048576.0);
            report.Add($"edge{i}RssAfterMb", after[i] / 1048576.0);
            if (before[i] is null || after[i] is null)
            {
                missing.Add(pids[i]);
            }
        }

        if (pids.Length == 0)
        {
            return;
        }

        double? Total(long?[] readings) =>
            readings.Any(r => r is null) ? null : readings.Sum(r => r!.Value) / 1048576.0;
        var totalBefore = Total(before);
        var totalAfter = Total(after);
        report.Add("edgeRssBeforeMb", totalBefore);
        report.Add("edgeRssAfterMb", totalAfter);
        report.Add("edgeRssDeltaMb", totalAfter - totalBefore);
        var delta = totalAfter - totalBefore;
        report.Add("edgeKbPerConnection", connections == 0 ? 0 : delta < 0 ? null : delta * 1024 / connections);
        if (missing.Count > 0)
        {
            report.Note($"the RSS of edge pid(s) {string.Join(", ", missing)} was not read (the process had " +
                        "exited, or the run was interrupted), so the totals and edgeKbPerConnection are missing (null)");
        }
        else if (delta < 0 && connections > 0)
        {
            report.Note($"the edges' RSS fell by {-delta:0.0} MB while {connections} connections were open: they " +
                        "gave back more memory than the connections took, so edgeKbPerConnection is missing (null); " +
                        "open more connections for a figure");
        }
    }

    private static IReadOnlyList<KeyValuePair<string, double>> RssExtras(int[] pids) =>
        pids.Length == 0
            ? []
            : [new("edgeRssMb", pids.Sum(p => ProcessMemory.ReadRssBytes(p) ?? 0) / 1048576.0)];
}
