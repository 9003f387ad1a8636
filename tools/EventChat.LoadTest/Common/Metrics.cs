namespace EventChat.LoadTest.Common;

/// <summary>Counters and the latency recorder of a run, updated lock-free from many connections.</summary>
public sealed class Metrics
{
    private readonly long[] _counts = new long[Enum.GetValues<Counter>().Length];

    public LatencyRecorder Latency { get; } = new();

    public void Add(Counter counter, long amount = 1) => Interlocked.Add(ref _counts[(int)counter], amount);

    public void Set(Counter counter, long value) => Interlocked.Exchange(ref _counts[(int)counter], value);

    public long Get(Counter counter) => Interlocked.Read(ref _counts[(int)counter]);
}
