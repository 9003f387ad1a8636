using System.Diagnostics;
using System.Globalization;

namespace EventChat.LoadTest.Common;

/// <summary>
/// Once a second: a progress line on stderr and, with <c>--csv</c>, one row of figures over time.
/// </summary>
public sealed class Progress : IAsyncDisposable
{
    private static readonly Counter[] RateCounters = [Counter.Sent, Counter.Acked, Counter.Delivered, Counter.Persisted];
    private readonly Metrics _metrics;
    private readonly StreamWriter? _csv;
    private readonly Func<IReadOnlyList<KeyValuePair<string, double>>>? _extra;
    private readonly bool _showPersisted;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;
    private bool _headerWritten;

    /// <param name="showPersisted">
    /// Whether the progress line shows persisted/s; chat and fanout do not measure storage, so they leave it out
    /// (the CSV column stays, at zero, so every CSV has the same columns).
    /// </param>
    public Progress(
        Metrics metrics, string? csvPath, Func<IReadOnlyList<KeyValuePair<string, double>>>? extra = null,
        bool showPersisted = true)
    {
        _metrics = metrics;
        _extra = extra;
        _showPersisted = showPersisted;
        _csv = csvPath is null ? null : new StreamWriter(csvPath, append: false);
        _loop = RunAsync();
    }

    public string Phase { get; set; } = "setup";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        if (_csv is not null)
        {
            await _csv.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var last = RateCounters.Select(_metrics.Get).ToArray();
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = RateCounters.Select(_metrics.Get).ToArray();
                var rates = now.Zip(last, (a, b) => (double)(a - b)).ToArray();
                last = now;
                var interval = _metrics.Latency.TakeInterval();
                var total = _metrics.Latency.Total();
                var elapsed = _clock.Elapsed.TotalSeconds;
                var extra = _extra?.Invoke() ?? [];
                var extraText = string.Concat(extra.Select(e => $" {e.Key} {e.Value:0.#}"));
                await Console.Error.WriteLineAsync(
                    $"[{elapsed,5:0}s {Phase,-7}] conns {_metrics.Get(Counter.Connections)} sent/s {rates[0]:0} " +
                    $"acked/s {rates[1]:0} delivered/s {rates[2]:0} " +
                    (_showPersisted ? $"persisted/s {rates[3]:0} " : string.Empty) +
                    $"p99 {total.P99:0.0}ms (last 1s {interval.P99:0.0}ms){extraText}");
                WriteCsv(elapsed, rates, interval, total, extra);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private void WriteCsv(
        double elapsed, double[] rates, LatencySummary interval, LatencySummary total,
        IReadOnlyList<KeyValuePair<string, double>> extra)
    {
        if (_csv is null)
        {
            return;
        }

        if (!_headerWritten)
        {
            _csv.WriteLine(
                "elapsedS,phase,connections,sentPerSec,ackedPerSec,deliveredPerSec,persistedPerSec,sendFailed,rejected," +
                "dropped,p50Ms,p99Ms,maxMs,p99TotalMs" + string.Concat(extra.Select(e => "," + e.Key)));
            _headerWritten = true;
        }

        var values = new object[]
        {
            elapsed, Phase, _metrics.Get(Counter.Connections), rates[0], rates[1], rates[2], rates[3],
            _metrics.Get(Counter.SendFailed), _metrics.Get(Counter.Rejected), _metrics.Get(Counter.Dropped),
            interval.P50, interval.P99, interval.Max, total.P99,
        }.Concat(extra.Select(e => (object)e.Value));
        _csv.WriteLine(string.Join(',', values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        _csv.Flush();
    }
}
