using System.Globalization;
using System.Text.Json.Nodes;
using EventChat.LoadTest.Cli;

namespace EventChat.LoadTest.Plot;

/// <summary>Turns result JSON files (or a captured stdout whose last JSON line is the result) and CSV files into PNGs.</summary>
public static class PlotCommand
{
    public const string Summary =
        "Plots result files given as arguments. JSON results (a file holding a run's stdout works: its last JSON line " +
        "is used): --kind latency plots p50/p99 latency against offered load, one series per target; --kind memory " +
        "plots edge RSS against connections. CSV files from --csv: --kind timeseries plots --columns against time. " +
        "--kind auto picks timeseries for CSV, memory for connections results, else latency.";

    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("kind", "auto", "auto, latency, memory or timeseries"),
        new("out", string.Empty, "the PNG to write (default plot-<kind>.png)"),
        new("x", "offeredMsgsPerSec", "the JSON field for the x axis of a latency plot"),
        new("columns", "p50Ms,p99Ms", "CSV columns to plot against elapsedS"),
        new("title", string.Empty, "the plot's title"),
    ];

    public static Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var files = line.Positional;
        if (files.Count == 0)
        {
            throw new UsageException("Give one or more result JSON or CSV files.");
        }

        foreach (var file in files)
        {
            RequireReadable(file);
        }

        var output = line.WritableFile("out");

        var kind = line.Text("kind");
        if (kind == "auto")
        {
            kind = files.All(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) ? "timeseries"
                : files.Select(ReadResult).All(r => (string?)r["scenario"] == "connections") ? "memory"
                : "latency";
        }

        var canvas = kind switch
        {
            "latency" => Latency(files, line.Text("x"), line.Optional("title")),
            "memory" => Memory(files, line.Optional("title")),
            "timeseries" => TimeSeries(files, line.List("columns"), line.Optional("title")),
            _ => throw new UsageException("--kind is auto, latency, memory or timeseries."),
        };
        output ??= $"plot-{kind}.png";
        using (var stream = File.Create(output))
        {
            PngWriter.Write(stream, canvas);
        }

        Console.WriteLine($"wrote {output} ({kind}, {files.Count} file(s))");
        return Task.FromResult(0);
    }

    private static Canvas Latency(IList<string> files, string xField, string? title)
    {
        var results = files.Select(ReadResult).ToList();
        var series = new List<Series>();
        foreach (var group in results.GroupBy(r => (string?)r["target"] ?? (string?)r["scenario"] ?? "run"))
        {
            foreach (var (field, name) in new[] { ("latencyP50Ms", "p50"), ("latencyP99Ms", "p99") })
            {
                series.Add(new Series(
                    $"{group.Key} {name}",
                    group.Select(r => (Number(r, xField), Number(r, field))).ToList()));
            }
        }

        return LinePlot.Render(title ?? "send to deliver latency", xField, "latency (ms)", series);
    }

    private static Canvas Memory(IList<string> files, string? title)
    {
        var points = new List<(double, double)>();
        foreach (var result in files.Select(ReadResult))
        {
            // A run whose edge died during --hold has no after-reading: it is left out, not plotted as zero.
            if (IsNull(result, "edgeRssBeforeMb") || IsNull(result, "edgeRssAfterMb"))
            {
                continue;
            }

            points.Add((0, Number(result, "edgeRssBeforeMb")));
            points.Add((Number(result, "openAtEnd"), Number(result, "edgeRssAfterMb")));
        }

        if (points.Count == 0)
        {
            throw new UsageException("No run has an edge memory figure (each edge died or its RSS was unreadable).");
        }

        return LinePlot.Render(
            title ?? "edge memory against connections", "connections", "edge RSS (MB)",
            [new Series("edge RSS", points.Distinct().ToList())]);
    }

    private static Canvas TimeSeries(IList<string> files, IReadOnlyList<string> columns, string? title)
    {
        var series = new List<Series>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            var header = lines[0].Split(',');
            var xIndex = Array.IndexOf(header, "elapsedS");
            foreach (var column in columns)
            {
                var index = Array.IndexOf(header, column);
                if (index < 0 || xIndex < 0)
                {
                    throw new UsageException($"{file} has no column '{column}' or 'elapsedS'.");
                }

                var points = lines.Skip(1)
                    .Select(l => l.Split(','))
                    .Select(p => (Parse(p[xIndex]), Parse(p[index])))
                    .ToList();
                var name = files.Count > 1 ? $"{Path.GetFileNameWithoutExtension(file)} {column}" : column;
                series.Add(new Series(name, points));
            }
        }

        return LinePlot.Render(title ?? "figures over time", "elapsed (s)", string.Join(", ", columns), series);
    }

    private static void RequireReadable(string file)
    {
        if (Directory.Exists(file))
        {
            throw new UsageException($"cannot read '{file}': it is a directory; give the result files in it.");
        }

        try
        {
            using var stream = File.OpenRead(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException
                                       or NotSupportedException)
        {
            throw new UsageException($"cannot read '{file}': {ex.Message}");
        }
    }

    private static JsonObject ReadResult(string file)
    {
        if (file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"{file}: CSV files plot only as --kind timeseries.");
        }

        var json = File.ReadLines(file).LastOrDefault(l => l.TrimStart().StartsWith('{'))
            ?? throw new UsageException($"{file} holds no JSON result line.");
        try
        {
            return JsonNode.Parse(json)?.AsObject()
                ?? throw new UsageException($"{file}: the result is not a JSON object.");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new UsageException($"{file}: the last JSON line does not parse: {ex.Message}");
        }
    }

    private static double Number(JsonObject result, string field) =>
        result[field] is JsonValue value && value.TryGetValue<double>(out var number)
            ? number
            : throw new UsageException($"A result has no number '{field}'.");

    private static bool IsNull(JsonObject result, string field) =>
        result.TryGetPropertyValue(field, out var value) && value is null;

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
