using EventChat.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventChat.Infrastructure.Data;

public static class DataServiceExtensions
{
    /// <summary>Registers the database (PostgreSQL or the embedded SQLite file), the migrator and the outbox.</summary>
    public static IServiceCollection AddChatData(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new DatabaseOptions
        {
            PostgresConnectionString = configuration.GetConnectionString("Postgres"),
        };
        configuration.GetSection("Storage").Bind(options);
        services.AddSingleton(options);

        if (options.UsePostgres)
        {
            var connectionString = options.PooledPostgresConnectionString();
            services.AddDbContextPool<ChatDbContext>(o => o.UseNpgsql(connectionString));
        }
        else
        {
            var path = Path.GetFullPath(options.SqlitePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            services.AddDbContextPool<ChatDbContext>(o => o.UseSqlite($"Data Source={path};Default Timeout=30"));
        }

        services.AddScoped<SchemaMigrator>();
        services.AddOutbox();
        return services;
    }
}
