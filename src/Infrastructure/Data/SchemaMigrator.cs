using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EventChat.Infrastructure.Data;

/// <summary>
/// Applies the numbered SQL scripts embedded under <c>Data/Migrations/&lt;provider&gt;</c>, each once, in order.
/// Several processes may start at the same moment; on PostgreSQL an advisory lock lets one of them do the work.
/// </summary>
public sealed partial class SchemaMigrator(ChatDbContext db, ILogger<SchemaMigrator> logger)
{
    private const long MigrationLockKey = 0x4576_4368_6174_0001;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var provider = db.IsPostgres ? "postgres" : "sqlite";
        var scripts = LoadScripts(provider);

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (db.IsPostgres)
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            await db.Database.ExecuteSqlRawAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at text NOT NULL)",
                cancellationToken);
            var applied = await db.Database
                .SqlQueryRaw<string>("SELECT version AS \"Value\" FROM schema_migrations")
                .ToListAsync(cancellationToken);

            foreach (var (version, sql) in scripts.Where(s => !applied.Contains(s.Version)))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, {DateTimeOffset.UtcNow.ToString("O")})",
                    cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                Log.Applied(logger, version, provider);
            }

            if (db.IsPostgres)
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static List<(string Version, string Sql)> LoadScripts(string provider)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Data.Migrations.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (Path.GetFileNameWithoutExtension(n[prefix.Length..]), Read(assembly, n)))
            .ToList();
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Migration script {resource} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, EventName = "MigrationApplied", Level = LogLevel.Information,
            Message = "Applied schema migration {Version} on {Provider}")]
        public static partial void Applied(ILogger logger, string version, string provider);
    }
}
