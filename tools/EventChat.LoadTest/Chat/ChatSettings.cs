using EventChat.LoadTest.Cli;
using EventChat.LoadTest.Common;

namespace EventChat.LoadTest.Chat;

/// <summary>The options of the <c>chat</c> and <c>fanout</c> scenarios.</summary>
public sealed record ChatSettings
{
    public required IReadOnlyList<Uri> Urls { get; init; }

    public required bool Reference { get; init; }

    public required int Users { get; init; }

    public required int Rooms { get; init; }

    public required int Senders { get; init; }

    public required double Rate { get; init; }

    public required double Warmup { get; init; }

    public required double Duration { get; init; }

    public required double Drain { get; init; }

    public required int ConnectionsPerAccount { get; init; }

    public required int SetupConcurrency { get; init; }

    public required int TextBytes { get; init; }

    public required bool Check { get; init; }

    public required string? Csv { get; init; }

    public required IReadOnlyList<System.Net.IPAddress> SourceIps { get; init; }

    public required long DebugDropEvery { get; init; }

    public required long DebugDuplicateEvery { get; init; }

    public required long DebugReorderEvery { get; init; }

    public static IReadOnlyList<OptionSpec> Specs(string users, string rooms, string senders, string rate) =>
    [
        new("urls", "http://127.0.0.1:5000", "comma-separated edge URLs (loopback only); users spread over them"),
        new("target", "eventchat", "eventchat, or reference for the bare WebSocket server of the 'reference' command"),
        new("users", users, "simulated users, one connection each"),
        new("rooms", rooms, "rooms; user i is in room i % rooms"),
        new("senders", senders, "how many users send (users 0..senders-1); 0 means all"),
        new("rate", rate, "messages per second per sender; each sender waits for its acknowledgement"),
        new("warmup", "5", "seconds of sending before measuring"),
        new("duration", "20", "seconds of measurement"),
        new("drain", "15", "seconds to wait at the end for deliveries still on their way"),
        new("connections-per-account", "1", "connections sharing one account (each account is one user id)"),
        new("setup-concurrency", "16", "parallel registrations, logins and connects"),
        new("text-bytes", "0", "extra characters of padding per message"),
        new("check", "true", "check loss, duplicates and order, also against history; exit 1 on any"),
        new("csv", string.Empty, "write figures over time, one row per second, to this file"),
        new("source-ips", string.Empty, "comma-separated 127.0.0.x addresses to bind client sockets to"),
        new("debug-drop-every", "0", "test the checker: ignore every Nth delivery (must show as lost)"),
        new("debug-duplicate-every", "0", "test the checker: record every Nth delivery twice (must show as duplicated)"),
        new("debug-reorder-every", "0", "test the checker: hold back every Nth delivery until after the next one"),
    ];

    /// <summary>Reads and checks every option, so that a bad one is refused before anything connects.</summary>
    public static ChatSettings From(CommandLine line)
    {
        var users = line.Count("users", min: 2);
        var rooms = line.Count("rooms", min: 1);
        if (rooms > users)
        {
            throw new UsageException($"--rooms ({rooms}) must not be more than --users ({users}).");
        }

        var target = line.Text("target");
        if (target is not ("eventchat" or "reference"))
        {
            throw new UsageException("--target is eventchat or reference.");
        }

        var senders = line.Count("senders");
        if (senders > users)
        {
            throw new UsageException($"--senders ({senders}) must not be more than --users ({users}).");
        }

        return new ChatSettings
        {
            Urls = Loopback.RequireUrls(line.List("urls")),
            Reference = target == "reference",
            Users = users,
            Rooms = rooms,
            Senders = senders == 0 ? users : senders,
            Rate = line.Rate("rate"),
            Warmup = line.Seconds("warmup"),
            Duration = line.Seconds("duration", allowZero: false),
            Drain = line.Seconds("drain"),
            ConnectionsPerAccount = line.Count("connections-per-account", min: 1),
            SetupConcurrency = line.Count("setup-concurrency", min: 1),
            TextBytes = line.Count("text-bytes"),
            Check = line.Boolean("check"),
            Csv = line.WritableFile("csv"),
            SourceIps = line.List("source-ips").Select(Loopback.RequireLoopbackAddress).ToArray(),
            DebugDropEvery = line.Whole("debug-drop-every"),
            DebugDuplicateEvery = line.Whole("debug-duplicate-every"),
            DebugReorderEvery = line.Whole("debug-reorder-every"),
        };
    }
}
