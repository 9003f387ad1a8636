using System.Diagnostics;
using EventChat.IntegrationTests.Support;
using Xunit.Abstractions;

namespace EventChat.IntegrationTests;

/// <summary>
/// Prints the send-to-deliver latency of one pair of clients on different edges, through the whole pipeline
/// (moderation and storage first). It is a figure to read, not a pass mark: the only assertions are about
/// correctness. Run it alone with <c>./test.sh --filter When_a_pair_of_clients_is_timed</c> and detailed logging.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_a_pair_of_clients_is_timed(ClusterFixture cluster, ITestOutputHelper output)
{
    private const int Messages = 300;
    private const int WarmUp = 200;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task Should_report_send_to_deliver_latency_at_50_messages_per_second()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;

        // Processes that have just started are still compiling their hot paths; time them warm.
        for (var i = 0; i < WarmUp; i++)
        {
            await alice.SendAsync(room, $"w{i}", $"warm-up {i}");
        }

        await bob.WaitForMessagesAsync(room, WarmUp, TimeSpan.FromSeconds(60));
        bob.Events.Clear();
        var sentAt = new Dictionary<string, long>();

        var pace = Stopwatch.StartNew();
        for (var i = 0; i < Messages; i++)
        {
            var clientId = $"p{i}";
            sentAt[clientId] = Stopwatch.GetTimestamp();
            await alice.SendAsync(room, clientId, $"timed message {i}");
            var wait = (Interval * (i + 1)) - pace.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
        }

        var live = await bob.WaitForMessagesAsync(room, Messages);
        Assert.Equal(pair.NextSeqs(WarmUp + Messages).Skip(WarmUp), live.Select(m => m.Seq));

        var millis = sentAt
            .Select(s => Stopwatch.GetElapsedTime(s.Value, bob.ReceivedAt[s.Key]).TotalMilliseconds)
            .Order()
            .ToList();
        double At(double p) => millis[(int)Math.Min(millis.Count - 1, Math.Ceiling(p * millis.Count) - 1)];
        output.WriteLine($"send-to-deliver, {Messages} messages at {1000 / Interval.TotalMilliseconds:0}/s, " +
            $"edge 1 to edge 2: p50 {At(0.50):0.0} ms, p90 {At(0.90):0.0} ms, p99 {At(0.99):0.0} ms, " +
            $"max {millis[^1]:0.0} ms");
    }
}
