using EventChat.LoadTest.Common;

namespace EventChat.LoadTest.Scenarios;

/// <summary>
/// Reads the rooms' lastSeq twice a second while <c>persist</c> runs. After the senders joined, only posted
/// messages take a <c>seq</c>, so the growth of lastSeq is the number of messages stored. A failed poll (an edge
/// down, a timeout) is counted and logged, and polling goes on with the next edge.
/// </summary>
public sealed class LastSeqPoller(EdgeRotation edges, string token, Guid[] rooms, long[] baseline, Metrics metrics)
{
    private long _failures;

    public long Failures => Interlocked.Read(ref _failures);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    var seqs = await edges.CallAsync(
                        api => PersistScenario.LastSeqsAsync(api, token, rooms, cancellationToken));
                    metrics.Set(Counter.Persisted, seqs.Zip(baseline, (a, b) => a - b).Sum());
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    var failures = Interlocked.Increment(ref _failures);
                    await Console.Error.WriteLineAsync(
                        $"lastSeq poll failed ({failures} so far), polling goes on: {FailureReasons.Describe(ex)}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Sending and draining are over.
        }
    }
}
