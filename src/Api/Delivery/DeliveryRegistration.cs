using MassTransit;

namespace EventChat.Api.Delivery;

public static class DeliveryRegistration
{
    public static void AddEdgeDelivery(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RoomEventDelivery, RoomEventDeliveryDefinition>();
        bus.AddConsumer<MessageRejectedDelivery, MessageRejectedDeliveryDefinition>();
        bus.AddConsumer<NotificationDelivery, NotificationDeliveryDefinition>();
    }
}
