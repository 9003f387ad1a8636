using HdrHistogram;

namespace EventChat.LoadTest.Common;

/// <summary>
/// Send-to-deliver latencies in microseconds: one histogram for the whole measurement and one per progress
/// interval. HdrHistogram keeps the tail exact to three significant digits however many values arrive.
/// </summary>
public sealed class LatencyRecorder
{
    private const long Highest = 3_600_000_000;
    private readonly Lock _gate = new();
    private readonly LongHistogram _total = new(Highest, 3);
    private LongHistogram _interval = new(Highest, 3);

    public void Record(long startTimestamp, long endTimestamp)
    {
        var micros = (long)((endTimestamp - startTimestamp) * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency);
        micros = Math.Clamp(micros, 1, Highest);
        lock (_gate)
        {
            _total.RecordValue(micros);
            _interval.RecordValue(micros);
        }
    }

    public LatencySummary Total()
    {
        lock (_gate)
        {
            return LatencySummary.From(_total);
        }
    }

    public LatencySummary TakeInterval()
    {
        LongHistogram interval;
        lock (_gate)
        {
            interval = _interval;
            _interval = new LongHistogram(Highest, 3);
        }

        return LatencySummary.From(interval);
    }
}
