using System.Net;
using EventChat.LoadTest.Cli;
using EventChat.LoadTest.Common;
using Npgsql;

namespace EventChat.LoadTest.Scenarios;

/// <summary>The options of the <c>persist</c> scenario, read and checked before anything connects.</summary>
public sealed record PersistSettings
{
    public required IReadOnlyList<Uri> Urls { get; init; }

    public required int Senders { get; init; }

    public required int Inflight { get; init; }

    public required int Rooms { get; init; }

    public required double MaxRate { get; init; }

    public required double Duration { get; init; }

    public required double Drain { get; init; }

    public required string? Postgres { get; init; }

    public required int SetupConcurrency { get; init; }

    public required IReadOnlyList<IPAddress> SourceIps { get; init; }

    public required string? Csv { get; init; }

    public static PersistSettings From(CommandLine line)
    {
        var postgres = line.Optional("postgres");
        if (postgres is not null)
        {
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(postgres);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException($"--postgres is not a connection string: {ex.Message}");
            }

            var host = builder.Host ?? string.Empty;
            Loopback.RequireLoopback($"http://{(host == "localhost" ? "127.0.0.1" : host)}/");
        }

        var senders = line.Count("senders", min: 1);
        var inflight = line.Count("inflight", min: 1);
        return new PersistSettings
        {
            Urls = Loopback.RequireUrls(line.List("urls")),
            Senders = senders,
            Inflight = inflight,
            Rooms = Math.Min(line.Count("rooms", min: 1), senders),
            MaxRate = line.Rate("max-rate", (double)senders * inflight, zeroMeansNone: true),
            Duration = line.Seconds("duration", allowZero: false),
            Drain = line.Seconds("drain"),
            Postgres = postgres,
            SetupConcurrency = line.Count("setup-concurrency", min: 1),
            SourceIps = line.List("source-ips").Select(Loopback.RequireLoopbackAddress).ToArray(),
            Csv = line.WritableFile("csv"),
        };
    }
}
