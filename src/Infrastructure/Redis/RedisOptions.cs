namespace EventChat.Infrastructure.Redis;

public sealed class RedisOptions
{
    /// <summary>StackExchange.Redis configuration string; when empty, hot state stays in this process's memory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefixes every key and the backplane's channels, so several deployments can share one server.</summary>
    public string Prefix { get; set; } = "eventchat";

    public bool UseRedis => !string.IsNullOrWhiteSpace(ConnectionString);
}
