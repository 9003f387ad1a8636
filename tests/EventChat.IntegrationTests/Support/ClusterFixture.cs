using System.Security.Cryptography;
using Npgsql;
using StackExchange.Redis;

namespace EventChat.IntegrationTests.Support;

/// <summary>
/// The whole cluster on the real services: two edges and one process per worker role, in a database, a RabbitMQ
/// virtual host and a Redis key prefix of their own, created for this run and removed after it.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string BlockedWord = "forbidden";

    /// <summary>The one origin whose pages may call the edges across origins.</summary>
    public const string AllowedOrigin = "http://chat.example.test";

    /// <summary>Short, so that the ghost test is quick; production's default is 15 s.</summary>
    public static readonly TimeSpan EdgeTimeout = TimeSpan.FromSeconds(6);

    /// <summary>How often the retention role runs: often enough that a test can wait for a run.</summary>
    public static readonly TimeSpan RetentionInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The worker processes and the roles each runs. Retention rides along with notifications: it is a periodic
    /// job, not a queue consumer, and one process is enough for the tests to see its runs.
    /// </summary>
    private static readonly Dictionary<string, string> WorkerRoles = new()
    {
        ["moderation"] = "moderation",
        ["persistence"] = "persistence",
        ["notifications"] = "notifications,retention",
    };

    // The test process's id is part of the run's name, so that a later run can tell a killed run's leftovers (a
    // database, a virtual host, Redis keys) from those of a run still going, and remove them.
    private const string RunPrefix = "r";
    private readonly string _runId =
        $"{RunPrefix}{Environment.ProcessId}x{RandomNumberGenerator.GetHexString(6).ToLowerInvariant()}";
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    private readonly Dictionary<string, ManagedProcess> _processes = [];
    private RabbitMqAdmin? _rabbit;

    public string Database => $"eventchat_{_runId}";

    /// <summary>The prefix of every Redis key and channel of this run.</summary>
    public string RedisPrefix => _runId;

    public string VirtualHost => $"eventchat-{_runId}";

    public string PostgresConnectionString => new NpgsqlConnectionStringBuilder(Services.PostgresAdmin)
    {
        Database = Database,
    }.ConnectionString;

    public RabbitMqAdmin Rabbit => _rabbit!;

    /// <summary>Every process's full output, kept after the run for whoever investigates a failure.</summary>
    public string LogDirectory { get; } = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "eventchat-tests", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"))).FullName;

    public Uri Edge1 { get; } = new($"http://127.0.0.1:{Ports.Free()}");

    public Uri Edge2 { get; } = new($"http://127.0.0.1:{Ports.Free()}");

    public ManagedProcess Process(string name) => _processes[name];

    /// <summary>
    /// An access token signed with the edges' key, as they sign their own, but for any subject (none if null): one
    /// that no edge would issue, yet whose signature every edge accepts.
    /// </summary>
    public string SignAccessToken(string? subject, string userName)
    {
        var key = Convert.FromBase64String(_signingKey);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new Dictionary<string, object>
        {
            ["iss"] = "eventchat",
            ["aud"] = "eventchat",
            ["name"] = userName,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 300,
        };
        if (subject is not null)
        {
            payload["sub"] = subject;
        }

        var keyId = Jwt.Base64Url(SHA256.HashData(key)[..12]);
        return Jwt.Create(new { alg = "HS256", typ = "JWT", kid = keyId }, payload,
            data => HMACSHA256.HashData(key, data));
    }

    /// <summary>Runs SQL straight against this run's database, as an operator (or time) would change it.</summary>
    public async Task<int> ExecuteSqlAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var db = new NpgsqlConnection(PostgresConnectionString);
        await db.OpenAsync();
        await using var command = Command(sql, db, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var db = new NpgsqlConnection(PostgresConnectionString);
        await db.OpenAsync();
        await using var command = Command(sql, db, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        _rabbit = new RabbitMqAdmin(Services.RabbitMqManagement);
        await RemoveLeftoversOfKilledRunsAsync();
        await _rabbit.CreateVirtualHostAsync(VirtualHost);
        await CheckRedisAsync();

        await using (var migrate = Worker("migrate", "none", "migrate"))
        {
            migrate.Start();
            var code = await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(code == 0, $"migrate exited with {code}{Environment.NewLine}{migrate.Output}");
        }

        foreach (var (name, roles) in WorkerRoles)
        {
            Add(Worker(name, roles));
        }

        Add(EdgeProcess("edge1", Edge1));
        Add(EdgeProcess("edge2", Edge2));
        foreach (var process in _processes.Values)
        {
            process.Start();
        }

        await WaitUntilReadyAsync();
    }

    /// <summary>Starts a killed process again, with the same settings, and waits until it serves.</summary>
    public async Task RestartAsync(string name)
    {
        var old = _processes[name];
        await old.DisposeAsync();
        var fresh = name.StartsWith("edge", StringComparison.Ordinal)
            ? EdgeProcess(name, name == "edge1" ? Edge1 : Edge2)
            : Worker(name, WorkerRoles[name]);
        _processes[name] = fresh;
        fresh.Start();
        await WaitUntilReadyAsync();
    }

    /// <summary>
    /// Starts one more edge on this run's services, with settings of its own on top of the cluster's, and waits
    /// until it serves. The caller disposes it; the shared edges keep their settings.
    /// </summary>
    public async Task<(ManagedProcess Process, Uri Url)> StartEdgeAsync(
        string name, IReadOnlyDictionary<string, string> settings)
    {
        var url = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var environment = ProcessEnvironment("none", name);
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var edge = new ManagedProcess(name, RepoPaths.ApiDll,
            ["--contentRoot", RepoPaths.ApiContentRoot, "--urls", url.ToString()],
            environment, Path.Combine(LogDirectory, $"{name}.log"));
        edge.Start();
        try
        {
            await WaitForHealthAsync(url, edge);
        }
        catch
        {
            await edge.DisposeAsync();
            throw;
        }

        return (edge, url);
    }

    public string Diagnostics() =>
        $"Full logs: {LogDirectory}{Environment.NewLine}" +
        string.Join(Environment.NewLine, _processes.Values.Select(p => p.Output));

    public async Task DisposeAsync()
    {
        foreach (var process in _processes.Values)
        {
            await process.DisposeAsync();
        }

        if (_rabbit is not null)
        {
            await RemoveRunAsync(_runId);
            _rabbit.Dispose();
        }
    }

    private async Task RemoveRunAsync(string runId)
    {
        await _rabbit!.DeleteVirtualHostAsync($"eventchat-{runId}");

        await using var admin = new NpgsqlConnection(Services.PostgresAdmin);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"eventchat_{runId}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();

        await using var redis = await ConnectionMultiplexer.ConnectAsync(Services.Redis);
        var server = redis.GetServers()[0];
        var keys = server.Keys(pattern: $"{runId}:*").ToArray();
        if (keys.Length > 0)
        {
            await redis.GetDatabase().KeyDeleteAsync(keys);
        }
    }

    /// <summary>Removes what runs whose test process is gone (killed, so they never cleaned up) left behind.</summary>
    private async Task RemoveLeftoversOfKilledRunsAsync()
    {
        foreach (var vhost in await _rabbit!.VirtualHostsAsync())
        {
            var runId = vhost.StartsWith("eventchat-" + RunPrefix, StringComparison.Ordinal) ? vhost["eventchat-".Length..] : null;
            if (runId is not null && runId != _runId && OwnerIsGone(runId))
            {
                await RemoveRunAsync(runId);
            }
        }
    }

    private static bool OwnerIsGone(string runId)
    {
        var pid = runId[RunPrefix.Length..].Split('x')[0];
        return int.TryParse(pid, out var id) && !Directory.Exists($"/proc/{id}");
    }

    private static NpgsqlCommand Command(string sql, NpgsqlConnection db, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private void Add(ManagedProcess process) => _processes[process.Name] = process;

    private ManagedProcess Worker(string name, string roles, params string[] extra) =>
        new(name, RepoPaths.WorkersDll, ["--contentRoot", RepoPaths.WorkersContentRoot, .. extra],
            ProcessEnvironment(roles, name), Path.Combine(LogDirectory, $"{name}.log"));

    private ManagedProcess EdgeProcess(string name, Uri url) =>
        new(name, RepoPaths.ApiDll, ["--contentRoot", RepoPaths.ApiContentRoot, "--urls", url.ToString()],
            ProcessEnvironment("none", name), Path.Combine(LogDirectory, $"{name}.log"));

    private Dictionary<string, string> ProcessEnvironment(string roles, string name)
    {
        var amqp = new UriBuilder(Services.RabbitMqAmqp) { Path = "/" + Uri.EscapeDataString(VirtualHost) };
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = PostgresConnectionString,
            ["ConnectionStrings__RabbitMq"] = amqp.Uri.ToString(),
            ["ConnectionStrings__Redis"] = Services.Redis,
            ["Redis__Prefix"] = _runId,
            ["Auth__SigningKey"] = _signingKey,
            ["Workers__Roles"] = roles,
            ["Edge__Id"] = name,
            ["Presence__EdgeTimeout"] = EdgeTimeout.ToString(),
            ["Presence__HeartbeatInterval"] = TimeSpan.FromSeconds(2).ToString(),
            ["Moderation__BlockedWords__0"] = BlockedWord,
            ["Moderation__FloodLimit"] = "1000",

            // The tests send, join, create rooms and log in from one address far faster than a person does.
            ["Limits__Messages__Permits"] = "100000",
            ["Limits__Joins__Permits"] = "100000",
            ["Limits__RoomCreations__Permits"] = "100000",
            ["Limits__LoginsPerAccount__Permits"] = "1000",
            ["Limits__LoginsPerAddress__Permits"] = "100000",
            ["Limits__RegistrationsPerAddress__Permits"] = "100000",
            ["Web__CorsOrigins__0"] = AllowedOrigin,

            // Five processes that fit a default PostgreSQL's 100 slots together with whatever else shares it.
            ["Storage__MaxPoolSize"] = "12",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        };
        if (roles.Contains("retention", StringComparison.Ordinal))
        {
            environment["Retention__Interval"] = RetentionInterval.ToString();
        }

        return environment;
    }

    private async Task CreateDatabaseAsync()
    {
        try
        {
            await using var admin = new NpgsqlConnection(Services.PostgresAdmin);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException($"PostgreSQL is not reachable with EVENTCHAT_POSTGRES_ADMIN: {ex.Message}", ex);
        }
    }

    private static async Task CheckRedisAsync()
    {
        try
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(Services.Redis);
            await redis.GetDatabase().PingAsync();
        }
        catch (RedisConnectionException ex)
        {
            throw new InvalidOperationException($"Redis is not reachable at {Services.Redis}: {ex.Message}", ex);
        }
    }

    private static async Task WaitForHealthAsync(Uri edge, ManagedProcess? process = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (await http.GetAsync(new Uri(edge, "/health"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return process is { HasExited: true }
                    ? throw new InvalidOperationException(
                        $"{process.Name} exited before it served.{Environment.NewLine}{process.Output}")
                    : false;
            }
        }, TimeSpan.FromSeconds(90), $"edge {edge} answers /health");
    }

    private async Task WaitUntilReadyAsync()
    {
        try
        {
            await WaitForHealthAsync(Edge1);
            await WaitForHealthAsync(Edge2);

            foreach (var queue in new[] { "eventchat.moderation", "eventchat.persistence", "eventchat.notifications" })
            {
                await Eventually.HoldsAsync(async () => await Rabbit.ConsumersAsync(VirtualHost, queue) > 0,
                    TimeSpan.FromSeconds(90), $"queue {queue} has a consumer");
            }
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}{Environment.NewLine}{Diagnostics()}", ex);
        }
    }
}
