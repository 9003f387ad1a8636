namespace EventChat.Infrastructure.Messaging;

/// <summary>The durable quorum queues, one per worker role, plus the edges' shared delivery queue.</summary>
public static class QueueNames
{
    public const string Moderation = "eventchat.moderation";
    public const string Persistence = "eventchat.persistence";
    public const string Notifications = "eventchat.notifications";

    /// <summary>Consumed by one edge at a time (single active consumer) so that each room's stream stays in order.</summary>
    public const string EdgeDelivery = "eventchat.edge-delivery";
}
