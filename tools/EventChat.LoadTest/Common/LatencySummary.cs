using HdrHistogram;

namespace EventChat.LoadTest.Common;

/// <summary>Percentiles of a latency histogram, in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static LatencySummary From(HistogramBase histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        }

        return new LatencySummary(
            histogram.TotalCount,
            Ms(histogram.GetValueAtPercentile(50)),
            Ms(histogram.GetValueAtPercentile(90)),
            Ms(histogram.GetValueAtPercentile(99)),
            Ms(histogram.GetValueAtPercentile(99.9)),
            Ms(histogram.GetMaxValue()),
            Math.Round(histogram.GetMean() / 1000.0, 3));
    }

    public void AddTo(Report report, string prefix)
    {
        report.Add($"{prefix}Count", Count);
        report.Add($"{prefix}P50Ms", P50);
        report.Add($"{prefix}P90Ms", P90);
        report.Add($"{prefix}P99Ms", P99);
        report.Add($"{prefix}P999Ms", P999);
        report.Add($"{prefix}MaxMs", Max);
        report.Add($"{prefix}MeanMs", Mean);
    }

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}
