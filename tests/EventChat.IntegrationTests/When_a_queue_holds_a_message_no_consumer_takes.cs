using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>
/// The workers and the edges take their queues in ordered batches, by delivery tag. A delivery that never reaches
/// the consumer leaves a gap in the tags; the batcher must learn of it from the receive pipeline and go on at once,
/// rather than wait for the gap to fill, which it does for a delivery that is only late.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_a_queue_holds_a_message_no_consumer_takes(ClusterFixture cluster)
{
    private static readonly string[] ForeignType = ["urn:message:EventChat.Contracts:NotAChatEvent"];

    [Fact]
    public async Task Should_deliver_what_comes_after_it_without_waiting_for_the_gap()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;

        // An event of a type nobody consumes, on the exchanges persistence and edge delivery read: each of their
        // queues gives it a delivery tag, and MassTransit moves it to the queue's _skipped queue.
        foreach (var exchange in new[] { "eventchat.message-approved", "eventchat.room-event" })
        {
            await cluster.Rabbit.PublishEnvelopeAsync(cluster.VirtualHost, exchange, $"room.{room}", new
            {
                messageId = Guid.NewGuid(),
                messageType = ForeignType,
                message = new { roomId = room },
            });
        }

        await Eventually.HoldsAsync(
            async () => await cluster.Rabbit.MessagesAsync(cluster.VirtualHost, "eventchat.edge-delivery_skipped") >= 1,
            TimeSpan.FromSeconds(10), "the foreign event is moved to eventchat.edge-delivery_skipped");

        await alice.SendAsync(room, "after-the-gap", "sent after a delivery no consumer takes");

        // Well inside the batcher's gap wait (30 s): only the receive pipeline's report lets it through this soon.
        var live = await bob.WaitForMessagesAsync(room, 1, TimeSpan.FromSeconds(10));
        Assert.Equal(["after-the-gap"], live.Select(m => m.ClientMessageId));
        Assert.Equal(pair.NextSeqs(1), live.Select(m => m.Seq));
    }
}
