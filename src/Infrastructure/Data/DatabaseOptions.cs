namespace EventChat.Infrastructure.Data;

/// <summary>Where the chat's durable state lives: PostgreSQL when a connection string is set, SQLite otherwise.</summary>
public sealed class DatabaseOptions
{
    public string? PostgresConnectionString { get; set; }

    /// <summary>The embedded default's database file, relative to the working directory.</summary>
    public string SqlitePath { get; set; } = "data/eventchat.db";

    public bool UsePostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);
}
