namespace EventChat.IntegrationTests.Support;

/// <summary>
/// Where the real PostgreSQL, RabbitMQ and Redis are. <c>./test.sh</c> starts them and sets these variables; a
/// test that cannot reach one fails and names it.
/// </summary>
public static class Services
{
    public static string PostgresAdmin => Required("EVENTCHAT_POSTGRES_ADMIN", "PostgreSQL");

    public static Uri RabbitMqManagement => new(Required("EVENTCHAT_RABBITMQ_MANAGEMENT", "RabbitMQ management"));

    public static Uri RabbitMqAmqp => new(Required("ConnectionStrings__RabbitMq", "RabbitMQ"));

    public static string Redis => Required("ConnectionStrings__Redis", "Redis");

    private static string Required(string variable, string service) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{service}: environment variable {variable} is not set. Run the tests through ./test.sh, " +
                "which installs and starts PostgreSQL, RabbitMQ and Redis and sets it.");
}
