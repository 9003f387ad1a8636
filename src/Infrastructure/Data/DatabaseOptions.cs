namespace EventChat.Infrastructure.Data;

/// <summary>Where the chat's durable state lives: PostgreSQL when a connection string is set, SQLite otherwise.</summary>
public sealed class DatabaseOptions
{
    public string? PostgresConnectionString { get; set; }

    /// <summary>The embedded default's database file, relative to the working directory.</summary>
    public string SqlitePath { get; set; } = "data/eventchat.db";

    /// <summary>
    /// Connections one process keeps to PostgreSQL at most, unless the connection string names its own
    /// <c>Maximum Pool Size</c>. Npgsql's default of 100 per process would let two busy edges alone use up a
    /// default server's 100 connection slots; past one machine, PgBouncer sits in front.
    /// </summary>
    public int MaxPoolSize { get; set; } = 30;

    public bool UsePostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    /// <summary>The connection string with <see cref="MaxPoolSize"/> applied where it sets no pool size itself.</summary>
    public string PooledPostgresConnectionString()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnectionString);
        if (!NamesPoolSize(PostgresConnectionString!))
        {
            builder.MaxPoolSize = MaxPoolSize;
        }

        return builder.ConnectionString;
    }

    // Npgsql's own builder answers ContainsKey for every keyword it knows, set or not, so the keys actually written
    // are read with the plain builder, whose spelling of the keyword may be any of Npgsql's synonyms.
    private static bool NamesPoolSize(string connectionString)
    {
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return written.Keys.Cast<string>()
            .Select(key => key.Replace(" ", string.Empty, StringComparison.Ordinal))
            .Any(key => key.Equals("MaximumPoolSize", StringComparison.OrdinalIgnoreCase)
                || key.Equals("MaxPoolSize", StringComparison.OrdinalIgnoreCase));
    }
}
