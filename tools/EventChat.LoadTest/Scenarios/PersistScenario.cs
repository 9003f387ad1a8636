using System.Collections.Concurrent;
using System.Diagnostics;
using EventChat.LoadTest.Cli;
using EventChat.LoadTest.Common;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace EventChat.LoadTest.Scenarios;

/// <summary>
/// Sends as fast as the pipeline acknowledges and measures how fast messages are stored, then checks that each
/// acknowledged message was stored exactly once.
/// </summary>
public static class PersistScenario
{
    public const string Summary =
        "Each of --senders connections calls SendMessage in a loop, --inflight at a time, for --duration seconds. " +
        "Reports acked/s and persisted/s (from each room's lastSeq), then checks every acknowledged message is " +
        "stored exactly once: in PostgreSQL with --postgres, else through the history API. Senders join their " +
        "rooms over REST, so nothing is delivered live. Raise Moderation:FloodLimit where moderation runs, or " +
        "messages above 30 per 10 s per account are rejected.";

    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("urls", "http://127.0.0.1:5000", "comma-separated edge URLs (loopback only); senders round-robin"),
        new("senders", "32", "concurrent sending connections, one account each"),
        new("inflight", "1", "SendMessage calls outstanding per connection"),
        new("rooms", "8", "rooms; sender i writes to room i % rooms"),
        new("max-rate", "0", "cap on SendMessage calls per second over all senders; 0 sends as fast as acknowledged"),
        new("duration", "15", "seconds of sending"),
        new("drain", "60", "seconds to wait after sending for the pipeline to store what it acknowledged"),
        new("postgres", string.Empty, "Npgsql connection string to check the messages table directly"),
        new("setup-concurrency", "16", "parallel registrations and connects"),
        new("source-ips", string.Empty, "comma-separated 127.0.0.x addresses to bind client sockets to"),
        new("csv", string.Empty, "write figures over time, one row per second, to this file"),
    ];

    public static async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var settings = PersistSettings.From(line);
        var urls = settings.Urls;
        var senders = settings.Senders;
        var inflight = settings.Inflight;
        var roomCount = settings.Rooms;
        var concurrency = settings.SetupConcurrency;
        using var sockets = new SocketPool(settings.SourceIps);
        var apis = urls.Select(u => new ApiClient(u, sockets.Next())).ToArray();
        var edges = new EdgeRotation(apis);
        var metrics = new Metrics();
        var report = new Report();
        var runId = Accounts.NewRunId();
        report.Add("scenario", "persist");
        report.Add("runId", runId);
        report.Add("urls", string.Join(',', urls.Select(u => u.ToString())));
        report.Add("senders", senders);
        report.Add("inflight", inflight);
        report.Add("rooms", roomCount);

        var logins = await Accounts.CreateAsync(apis, runId, senders, concurrency, cancellationToken);
        var owner = logins[0].AccessToken;
        var rooms = new Guid[roomCount];
        for (var r = 0; r < roomCount; r++)
        {
            rooms[r] = (await apis[0].CreateRoomAsync(owner, $"persist {runId} {r}", cancellationToken)).RoomId;
        }

        var rejected = new ConcurrentDictionary<string, byte>();
        var rejectedReasons = new ConcurrentDictionary<string, long>();
        void OnRejected(HubConnection connection) =>
            connection.On<Rejection>("MessageRejected", r =>
            {
                if (r.Request == "send" && r.ClientMessageId is { } id && rejected.TryAdd(id, 0))
                {
                    metrics.Add(Counter.Rejected);
                    rejectedReasons.AddOrUpdate(r.Reason ?? "no reason given", 1, (_, n) => n + 1);
                }
            });

        var connections = new PersistSender[senders];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, senders),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var api = apis[i % apis.Length];
                if (i > 0)
                {
                    await api.JoinRoomAsync(logins[i].AccessToken, rooms[i % roomCount], ct);
                }

                var sender = new PersistSender(i, urls, logins[i].AccessToken, sockets, metrics, OnRejected);
                await sender.StartAsync(ct);
                connections[i] = sender;
            });

        var baseline = await edges.CallAsync(api => LastSeqsAsync(api, owner, rooms, cancellationToken));
        var acked = new ConcurrentBag<(int Room, Guid MessageId, string ClientMessageId)>();
        var failures = new FailureReasons();
        var ackLatency = new LatencyRecorder();
        long persistedAtStart = 0;
        long persistedAtEnd = 0;
        using var stopPolling = new CancellationTokenSource();
        var progress = new Progress(metrics, settings.Csv);
        var poller = new LastSeqPoller(edges, owner, rooms, baseline, metrics);
        var polling = poller.RunAsync(stopPolling.Token);
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        progress.Phase = "send";
        var sendStarted = Stopwatch.GetTimestamp();
        var maxRate = settings.MaxRate;
        var pace = maxRate > 0 ? TimeSpan.FromSeconds(senders * inflight / maxRate) : TimeSpan.Zero;
        var loops = Enumerable.Range(0, senders * inflight).Select(k => Task.Run(async () =>
        {
            var i = k % senders;
            var room = i % roomCount;
            long n = 0;
            var backoff = TimeSpan.Zero;
            var next = Stopwatch.GetElapsedTime(0) + (pace * Random.Shared.NextDouble());
            while (!stopSending.IsCancellationRequested)
            {
                try
                {
                    // After a failed send, wait a little longer each time, so a sender whose every call fails
                    // (a refusal, a dead edge) does not spin; a success resets the wait.
                    if (backoff > TimeSpan.Zero)
                    {
                        await Task.Delay(backoff, stopSending.Token);
                    }

                    if (pace > TimeSpan.Zero)
                    {
                        var wait = next - Stopwatch.GetElapsedTime(0);
                        next += pace;
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait, stopSending.Token);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                HubConnection connection;
                try
                {
                    connection = await connections[i].ConnectedAsync(stopSending.Token);
                }
                catch (OperationCanceledException) when (stopSending.IsCancellationRequested)
                {
                    break;
                }

                var clientMessageId = $"{runId}-{k}-{++n}";
                var started = Stopwatch.GetTimestamp();
                metrics.Add(Counter.Sent);
                try
                {
                    // Never cancelled by the run: an acknowledgement on its way is waited for, so a send that
                    // throws failed on the server or with its connection, and is not acknowledged.
                    var answer = await connection.InvokeAsync<SendAnswer>(
                        "SendMessage", rooms[room], clientMessageId, $"persist {k} {n}", CancellationToken.None);
                    acked.Add((room, answer.MessageId, clientMessageId));
                    metrics.Add(Counter.Acked);
                    ackLatency.Record(started, Stopwatch.GetTimestamp());
                    backoff = TimeSpan.Zero;
                }
                catch (Exception ex)
                {
                    metrics.Add(Counter.SendFailed);
                    failures.Add(ex);
                    backoff = SendBackoff(backoff);
                }
            }
        })).ToList();

        persistedAtStart = metrics.Get(Counter.Persisted);
        var interrupted = !await Interruption.DelayAsync(TimeSpan.FromSeconds(settings.Duration), cancellationToken);
        persistedAtEnd = metrics.Get(Counter.Persisted);
        var sendSeconds = Stopwatch.GetElapsedTime(sendStarted).TotalSeconds;
        var ackedInWindow = metrics.Get(Counter.Acked);
        await stopSending.CancelAsync();
        await Task.WhenAll(loops);

        progress.Phase = "drain";
        var drainStarted = Stopwatch.GetTimestamp();
        var drainLimit = TimeSpan.FromSeconds(settings.Drain);
        while (!interrupted
               && metrics.Get(Counter.Persisted) < acked.Count - rejected.Count
               && Stopwatch.GetElapsedTime(drainStarted) < drainLimit)
        {
            interrupted = !await Interruption.DelayAsync(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        var drainSeconds = Stopwatch.GetElapsedTime(drainStarted).TotalSeconds;
        var caughtUp = metrics.Get(Counter.Persisted) >= acked.Count - rejected.Count;
        await stopPolling.CancelAsync();
        await polling;
        // Ctrl+C has cancelled the run's token by now if it came; the final reading and the check still run.
        var final = await edges.CallAsync(api => LastSeqsAsync(api, owner, rooms, CancellationToken.None));
        var persistedTotal = final.Zip(baseline, (a, b) => a - b).Sum();
        await progress.DisposeAsync();
        var reconnects = connections.Sum(c => c.Reconnects);
        var reconnectFailures = connections.Sum(c => c.ReconnectFailures);
        await Parallel.ForEachAsync(connections, (c, _) => c.DisposeAsync());

        report.Add("sendSeconds", sendSeconds);
        report.Add("sentTotal", metrics.Get(Counter.Sent));
        report.Add("ackedTotal", acked.Count);
        report.Add("sendFailed", metrics.Get(Counter.SendFailed));
        report.Add("rejected", rejected.Count);
        report.Add("rejectedReasons", rejectedReasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key).ToList());
        report.Add("droppedConnections", metrics.Get(Counter.Dropped));
        report.Add("reconnects", reconnects);
        report.Add("reconnectsFailed", reconnectFailures);
        report.Add("pollFailures", poller.Failures);
        report.Add("authRetries", apis.Sum(a => a.Retries));
        report.Add("ackedPerSec", ackedInWindow / sendSeconds);
        report.Add("persistedPerSecDuringSend", (persistedAtEnd - persistedAtStart) / sendSeconds);
        report.Add("persistedTotal", persistedTotal);
        report.Add("maxRate", maxRate);
        report.Add("drainSeconds", drainSeconds);
        report.Add("caughtUp", caughtUp);
        // Only stored messages raise lastSeq: a message moderation rejected is never stored, so it is outside
        // both persisted rates even though it was acknowledged.
        report.Add("persistedPerSecSustained", persistedTotal / (sendSeconds + drainSeconds));
        ackLatency.Total().AddTo(report, "ack");

        report.Add("checkedVia", settings.Postgres is null ? "history-api" : "postgres");
        Task<(long Stored, List<string> Missing, long Duplicated)> CheckStoredAsync() => settings.Postgres is null
            ? edges.CallAsync(api => CheckHistoryAsync(api, owner, rooms, acked, CancellationToken.None))
            : CheckPostgresAsync(settings.Postgres, rooms, acked, CancellationToken.None);

        var (stored, missing, duplicated) = await CheckStoredAsync();
        var unrejectedMissing = missing.Count(id => !rejected.ContainsKey(id));

        // Rooms' lastSeq also counts messages stored whose acknowledgement never reached the tool (a killed edge),
        // so the drain above can end while acknowledged messages are still queued. Those get the rest of --drain
        // before they count as missing.
        while (unrejectedMissing > 0 && !interrupted && Stopwatch.GetElapsedTime(drainStarted) < drainLimit)
        {
            interrupted = !await Interruption.DelayAsync(TimeSpan.FromSeconds(1), cancellationToken);
            (stored, missing, duplicated) = await CheckStoredAsync();
            unrejectedMissing = missing.Count(id => !rejected.ContainsKey(id));
        }

        foreach (var api in apis)
        {
            api.Dispose();
        }

        var correct = unrejectedMissing == 0 && duplicated == 0;
        report.Add("storedMessages", stored);
        report.Add("ackedMissing", unrejectedMissing);
        report.Add("ackedDuplicated", duplicated);
        report.Add("correct", correct);
        report.Add("sendFailedReasons", failures.Counts());
        report.Add("interrupted", interrupted);
        var exitCode = interrupted ? Interruption.ExitCode
            : duplicated > 0 ? 1 : unrejectedMissing == 0 ? 0 : caughtUp ? 1 : 3;
        if (interrupted)
        {
            report.Verdict(Interruption.Verdict);
        }

        const string Promise = "every acknowledged message is stored exactly once";
        report.Verdict(exitCode == 3
            ? Verdict.Inconclusive(
                "storage had not caught up when --drain ran out, so messages still queued count as missing",
                metrics.Get(Counter.Sent), metrics.Get(Counter.SendFailed), failures)
            : Verdict.Describe(correct, Promise, metrics.Get(Counter.Sent), metrics.Get(Counter.SendFailed), failures));
        if (!acked.IsEmpty && rejected.Count * 10 >= acked.Count)
        {
            report.Verdict(
                $"BUT {rejected.Count} of {acked.Count} acknowledged messages ({100.0 * rejected.Count / acked.Count:0.#}%) " +
                "were rejected by moderation afterwards (see rejectedReasons; a flood limit? raise " +
                "Moderation__FloodLimit where moderation runs): they are not stored, so the persisted rates describe " +
                "far fewer messages than were sent");
        }

        if (!caughtUp && !interrupted)
        {
            report.Note(
                "the pipeline had not stored everything it acknowledged when --drain ran out, so ackedMissing " +
                "counts messages still queued as well as lost ones (exit code 3): give --drain more time or " +
                "lower --max-rate");
        }

        if (poller.Failures > 0)
        {
            report.Note($"{poller.Failures} lastSeq polls failed; the persisted rate skips those half-seconds");
        }

        report.Write(Console.Out);
        return exitCode;
    }

    private static TimeSpan SendBackoff(TimeSpan previous)
    {
        var doubled = previous == TimeSpan.Zero ? TimeSpan.FromMilliseconds(50) : previous * 2;
        return doubled > TimeSpan.FromSeconds(2) ? TimeSpan.FromSeconds(2) : doubled;
    }

    /// <summary>Each room's lastSeq, read one after the other from one edge.</summary>
    public static async Task<long[]> LastSeqsAsync(
        ApiClient api, string token, Guid[] rooms, CancellationToken cancellationToken)
    {
        var seqs = new long[rooms.Length];
        for (var r = 0; r < rooms.Length; r++)
        {
            seqs[r] = (await api.GetRoomAsync(token, rooms[r], cancellationToken)).LastSeq;
        }

        return seqs;
    }

    private static async Task<(long Stored, List<string> Missing, long Duplicated)> CheckHistoryAsync(
        ApiClient api, string token, Guid[] rooms, IEnumerable<(int Room, Guid MessageId, string ClientMessageId)> acked,
        CancellationToken cancellationToken)
    {
        var counts = new Dictionary<Guid, int>();
        long stored = 0;
        foreach (var room in rooms)
        {
            foreach (var message in await api.GetAllMessagesAsync(token, room, cancellationToken))
            {
                counts[message.MessageId] = counts.GetValueOrDefault(message.MessageId) + 1;
                stored++;
            }
        }

        return Compare(counts, stored, acked);
    }

    private static async Task<(long Stored, List<string> Missing, long Duplicated)> CheckPostgresAsync(
        string connectionString, Guid[] rooms, IEnumerable<(int Room, Guid MessageId, string ClientMessageId)> acked,
        CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        // The messages table keeps one row per message id by its own unique index, so a message stored twice
        // would show as a second message.posted event in the room's stream: those are what is counted.
        await using var command = new NpgsqlCommand(
            "SELECT message_id, count(*) FROM room_events WHERE room_id = ANY(@rooms) AND type = 'message.posted' " +
            "GROUP BY message_id", connection);
        command.Parameters.AddWithValue("rooms", rooms);
        var counts = new Dictionary<Guid, int>();
        long stored = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var count = (int)reader.GetInt64(1);
            counts[reader.GetGuid(0)] = count;
            stored += count;
        }

        return Compare(counts, stored, acked);
    }

    private static (long Stored, List<string> Missing, long Duplicated) Compare(
        Dictionary<Guid, int> counts, long stored, IEnumerable<(int Room, Guid MessageId, string ClientMessageId)> acked)
    {
        var missing = new List<string>();
        long duplicated = 0;
        foreach (var (_, messageId, clientMessageId) in acked.DistinctBy(a => a.MessageId))
        {
            var count = counts.GetValueOrDefault(messageId);
            if (count == 0)
            {
                missing.Add(clientMessageId);
            }
            else if (count > 1)
            {
                duplicated += count - 1;
            }
        }

        return (stored, missing, duplicated);
    }
}
