using EventChat.Infrastructure.Data;
using Npgsql;

namespace EventChat.UnitTests.Data;

public sealed class When_the_pool_size_is_chosen
{
    [Fact]
    public void Should_cap_the_pool_at_the_configured_size_when_the_connection_string_names_none()
    {
        var options = new DatabaseOptions
        {
            PostgresConnectionString = "Host=127.0.0.1;Username=eventchat;Password=eventchat;Database=eventchat",
            MaxPoolSize = 12,
        };

        Assert.Equal(12, new NpgsqlConnectionStringBuilder(options.PooledPostgresConnectionString()).MaxPoolSize);
    }

    [Theory]
    [InlineData("Maximum Pool Size=7")]
    [InlineData("maxpoolsize=7")]
    public void Should_keep_the_size_the_connection_string_names_in_any_spelling(string setting)
    {
        var options = new DatabaseOptions
        {
            PostgresConnectionString = $"Host=127.0.0.1;Database=eventchat;{setting}",
            MaxPoolSize = 12,
        };

        Assert.Equal(7, new NpgsqlConnectionStringBuilder(options.PooledPostgresConnectionString()).MaxPoolSize);
    }
}
