using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_a_message_keeps_failing(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_park_it_in_the_role_error_queue_for_an_operator()
    {
        var room = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var envelope = new
        {
            messageId,
            messageType = new[] { "urn:message:EventChat.Contracts:MessageApproved" },
            message = new
            {
                messageId, roomId = room, clientMessageId = "poison", senderId = Guid.NewGuid(),
                senderName = "nobody", text = "for a room that does not exist", sentAt = DateTimeOffset.UtcNow,
            },
        };

        await cluster.Rabbit.PublishEnvelopeAsync(
            cluster.VirtualHost, "eventchat.message-approved", $"room.{room}", envelope);

        await Eventually.HoldsAsync(
            async () => await cluster.Rabbit.MessagesAsync(cluster.VirtualHost, "eventchat.persistence_error") == 1,
            TimeSpan.FromSeconds(30), "the failing message is parked in eventchat.persistence_error");
        Assert.False(cluster.Process("persistence").HasExited);
    }
}
