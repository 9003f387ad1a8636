using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_the_broker_topology_is_inspected(ClusterFixture cluster)
{
    [Theory]
    [InlineData("eventchat.moderation")]
    [InlineData("eventchat.persistence")]
    [InlineData("eventchat.notifications")]
    [InlineData("eventchat.edge-delivery")]
    public async Task Should_consume_each_role_from_a_durable_quorum_queue(string queue)
    {
        var description = await cluster.Rabbit.QueueAsync(cluster.VirtualHost, queue);
        Assert.NotNull(description);
        Assert.Equal("quorum", description.Value.GetProperty("type").GetString());
        Assert.True(description.Value.GetProperty("durable").GetBoolean());
    }

    [Fact]
    public async Task Should_deliver_to_the_edges_through_one_active_consumer_at_a_time()
    {
        var description = await cluster.Rabbit.QueueAsync(cluster.VirtualHost, "eventchat.edge-delivery");
        Assert.NotNull(description);
        Assert.True(description.Value.GetProperty("arguments").GetProperty("x-single-active-consumer").GetBoolean());

        // Both edges subscribe; a test that restarted an edge may have run just before this one.
        await Eventually.HoldsAsync(
            async () => await cluster.Rabbit.ConsumersAsync(cluster.VirtualHost, "eventchat.edge-delivery") == 2,
            TimeSpan.FromSeconds(30), "both edges consume eventchat.edge-delivery");
    }

    [Fact]
    public void Should_not_try_to_report_usage_telemetry_to_anyone()
    {
        foreach (var name in new[] { "edge1", "edge2", "moderation", "persistence", "notifications" })
        {
            Assert.DoesNotContain(cluster.Process(name).Lines,
                line => line.Contains("telemetry", StringComparison.OrdinalIgnoreCase));
        }
    }
}
