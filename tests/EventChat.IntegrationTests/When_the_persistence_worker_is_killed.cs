using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_the_persistence_worker_is_killed(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_store_every_acknowledged_message_exactly_once_without_gaps()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;

        // SIGKILL twice in mid-stream: some deaths land between a commit and its outbox publish, some mid-transaction.
        var acknowledged = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            if (i is 80 or 190)
            {
                await cluster.Process("persistence").KillAsync();
            }

            if (i is 120 or 230)
            {
                await cluster.RestartAsync("persistence");
            }

            var clientId = $"k{i}";
            try
            {
                await alice.SendAsync(room, clientId, $"message {i}");
                acknowledged.Add(clientId);
            }
            catch (HubException)
            {
                // Not acknowledged: the promise does not cover it, and the check below does not count it.
            }
        }

        Assert.True(acknowledged.Count >= 290, $"only {acknowledged.Count} of 300 sends were acknowledged");
        var live = await bob.WaitForMessagesAsync(room, acknowledged.Count, TimeSpan.FromSeconds(90));

        var history = await bob.FullHistoryAsync(room);
        Assert.Equal(acknowledged.Order(), history.Select(m => m.ClientMessageId).Order());
        Assert.Equal(pair.NextSeqs(history.Count), history.Select(m => m.Seq));

        var distinctLive = live.DistinctBy(m => m.Seq).Select(e => e.AsPosted()).ToList();
        Assert.Equal(history.Select(m => m.AsPosted()), distinctLive);
    }
}
