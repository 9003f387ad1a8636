namespace EventChat.Infrastructure.Messaging;

public sealed class MessagingOptions
{
    /// <summary><c>amqp://user:password@host:port/vhost</c>; when empty the in-memory transport is used.</summary>
    public string? RabbitMqConnectionString { get; set; }

    /// <summary>Messages a queue hands one consumer before acknowledgements come back.</summary>
    public ushort PrefetchCount { get; set; } = 128;

    public bool UseRabbitMq => !string.IsNullOrWhiteSpace(RabbitMqConnectionString);
}
