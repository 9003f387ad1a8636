using System.Diagnostics;
using EventChat.LoadTest.Common;

namespace EventChat.LoadTest.Chat;

/// <summary>
/// Runs the chat and fanout scenarios: set up users and rooms, send for warmup plus duration, wait for
/// deliveries to drain, then check every receiver's stream and, on EventChat, history.
/// </summary>
public sealed class ChatRun(ChatSettings settings, string scenario)
{
    private readonly Metrics _metrics = new();
    private readonly string _runId = Accounts.NewRunId();
    private readonly List<ChatMember> _members = [];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var context = new ChatContext(settings, _metrics, _runId);
        using var sockets = new SocketPool(settings.SourceIps);
        var apis = settings.Urls.Select(u => new ApiClient(u, sockets.Next())).ToArray();
        var report = new Report();
        report.Add("scenario", scenario);
        report.Add("target", settings.Reference ? "reference" : "eventchat");
        report.Add("runId", _runId);
        report.Add("urls", string.Join(',', settings.Urls.Select(u => u.ToString())));
        report.Add("users", settings.Users);
        report.Add("rooms", settings.Rooms);
        report.Add("senders", settings.Senders);
        report.Add("ratePerSender", settings.Rate);
        report.Add("offeredMsgsPerSec", settings.Senders * settings.Rate);
        WarnAboutFloodLimit(report);

        var exitCode = 0;
        await using (var progress = new Progress(_metrics, settings.Csv, showPersisted: false))
        {
            try
            {
                string? ownerToken = null;
                if (!settings.Reference)
                {
                    ownerToken = await SetUpEventChatAsync(context, apis, sockets, cancellationToken);
                }
                else
                {
                    for (var i = 0; i < settings.Users; i++)
                    {
                        _members.Add(new ReferenceMember(i, i % settings.Rooms, context, settings.Urls[EdgeOf(i)], sockets));
                    }
                }

                var failed = await ConnectAndJoinAsync(report, cancellationToken);
                exitCode = failed == _members.Count
                    ? NobodyConnected(report)
                    : await MeasureAndCheckAsync(context, progress, apis, ownerToken, report, failed, cancellationToken);
            }
            finally
            {
                context.Stopping = true;
                await Parallel.ForEachAsync(_members, CancellationToken.None, (m, _) => m.DisposeAsync());
                foreach (var api in apis)
                {
                    api.Dispose();
                }
            }
        }

        report.Write(Console.Out);
        return exitCode;
    }

    // Members of one room are spread over the edges, so fan-out crosses edges whenever there are several.
    private int EdgeOf(int user) => (user / settings.Rooms + user) % settings.Urls.Count;

    private async Task<string> SetUpEventChatAsync(
        ChatContext context, ApiClient[] apis, SocketPool sockets, CancellationToken cancellationToken)
    {
        var accountCount = (settings.Users + settings.ConnectionsPerAccount - 1) / settings.ConnectionsPerAccount;
        var started = Stopwatch.GetTimestamp();
        var logins = await Accounts.CreateAsync(apis, _runId, accountCount, settings.SetupConcurrency, cancellationToken);
        await Console.Error.WriteLineAsync(
            $"{accountCount} accounts registered and logged in in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0}s");

        var rooms = new Guid[settings.Rooms];
        for (var r = 0; r < settings.Rooms; r++)
        {
            rooms[r] = (await apis[0].CreateRoomAsync(logins[0].AccessToken, $"load {_runId} {r}", cancellationToken)).RoomId;
        }

        context.RoomIds = rooms;
        for (var i = 0; i < settings.Users; i++)
        {
            var login = logins[i / settings.ConnectionsPerAccount];
            _members.Add(new EventChatMember(
                i, i % settings.Rooms, context, settings.Urls, EdgeOf(i), login.AccessToken, sockets));
        }

        return logins[0].AccessToken;
    }

    private async Task<int> ConnectAndJoinAsync(Report report, CancellationToken cancellationToken)
    {
        var failed = 0;
        string? firstError = null;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            _members,
            new ParallelOptions { MaxDegreeOfParallelism = settings.SetupConcurrency, CancellationToken = cancellationToken },
            async (member, ct) =>
            {
                try
                {
                    await member.ConnectAsync(ct);
                    await member.JoinAsync(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, ex.Message, null);
                }
            });
        report.Add("connectSeconds", Stopwatch.GetElapsedTime(started).TotalSeconds);
        report.Add("connectionsFailed", failed);
        if (firstError is not null)
        {
            report.Note($"first connection error: {firstError}");
        }

        await Console.Error.WriteLineAsync(
            $"{_members.Count - failed} of {_members.Count} users connected and joined, {failed} failed");
        return failed;
    }

    private async Task<int> MeasureAndCheckAsync(
        ChatContext context, Progress progress, ApiClient[] apis, string? ownerToken, Report report,
        int connectionsFailed, CancellationToken cancellationToken)
    {
        var live = _members.Where(m => m.Connected).ToList();
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var senders = live.Where(m => m.Index < settings.Senders).Select(m => m.SendLoopAsync(stopSending.Token)).ToList();

        progress.Phase = "warmup";
        var completed = await Interruption.DelayAsync(TimeSpan.FromSeconds(settings.Warmup), cancellationToken);
        var before = Snapshot();
        context.MeasureStart = Stopwatch.GetTimestamp();
        progress.Phase = "measure";
        completed = completed
                    && await Interruption.DelayAsync(TimeSpan.FromSeconds(settings.Duration), cancellationToken);
        context.MeasureEnd = Stopwatch.GetTimestamp();
        var after = Snapshot();
        var measured = Stopwatch.GetElapsedTime(context.MeasureStart, context.MeasureEnd).TotalSeconds;

        progress.Phase = "drain";
        await stopSending.CancelAsync();
        await Task.WhenAll(senders);
        var drainSeconds = completed ? await DrainAsync(live, context, cancellationToken) : 0;
        context.Stopping = true;
        var interrupted = cancellationToken.IsCancellationRequested;

        report.Add("measureSeconds", measured);
        report.Add("sentPerSec", (after[0] - before[0]) / measured);
        report.Add("ackedPerSec", (after[1] - before[1]) / measured);
        report.Add("deliveredPerSec", (after[2] - before[2]) / measured);
        report.Add("sentTotal", _metrics.Get(Counter.Sent));
        report.Add("ackedTotal", _metrics.Get(Counter.Acked));
        report.Add("sendFailed", _metrics.Get(Counter.SendFailed));
        report.Add("rejected", _metrics.Get(Counter.Rejected));
        report.Add("deliveredTotal", _metrics.Get(Counter.Delivered));
        report.Add("droppedConnections", _metrics.Get(Counter.Dropped));
        report.Add("reconnected", _metrics.Get(Counter.Reconnected));
        var disconnectedAtEnd = live.Count(m => m.DisconnectedAtEnd);
        report.Add("disconnectedAtEnd", disconnectedAtEnd);
        report.Add("recoveredAfterReconnect", _metrics.Get(Counter.Recovered));
        report.Add("authRetries", apis.Sum(a => a.Retries));
        report.Add("drainSeconds", drainSeconds);
        _metrics.Latency.Total().AddTo(report, "latency");
        context.AckLatency.Total().AddTo(report, "ack");
        report.Add("interrupted", interrupted);

        var inconclusive = connectionsFailed > 0
            ? $"{connectionsFailed} of {_members.Count} users failed to connect and join at set-up, so the run did " +
              "not load what was asked (see the first connection error below)"
            : disconnectedAtEnd > 0
                ? $"{disconnectedAtEnd} of {live.Count} users had lost their connection and not got it back when " +
                  "the run ended, so the checks could not follow them to the end"
                : _metrics.Get(Counter.Sent) == 0 && !interrupted
                    ? "no message was sent, so there was nothing to check (is --duration shorter than one " +
                      "message interval, 1 / --rate?)"
                    : _metrics.Get(Counter.Acked) == 0 && !interrupted
                        ? "no send was acknowledged, so no message's delivery could be checked and no latency " +
                          "was measured (see the reasons the sends failed)"
                        : null;
        if (!settings.Check)
        {
            report.Add("checked", false);
            AddSendFailures(context, report, null, inconclusive, interrupted);
            return interrupted ? Interruption.ExitCode : inconclusive is null ? 0 : 3;
        }

        // Ctrl+C has cancelled the run's token by now if it came; the checks still run to the end.
        progress.Phase = "check";
        var result = settings.Reference
            ? DeliveryChecks.CheckReference(live)
            : await DeliveryChecks.CheckEventChatAsync(live, context, apis[0], ownerToken!, CancellationToken.None);
        result.AddTo(report, conclusive: inconclusive is null);
        AddSendFailures(context, report, result.Faults == 0, inconclusive, interrupted);
        return interrupted ? Interruption.ExitCode : result.Faults > 0 ? 1 : inconclusive is null ? 0 : 3;
    }

    private int NobodyConnected(Report report)
    {
        report.Add("interrupted", false);
        report.Add("checked", false);
        report.Verdict(
            $"inconclusive: none of the {_members.Count} users could connect and join, so nothing was sent or " +
            "measured (is --urls the right server for --target?)");
        return 3;
    }

    private void AddSendFailures(
        ChatContext context, Report report, bool? correct, string? inconclusive, bool interrupted)
    {
        var failures = context.SendFailures;
        report.Add("sendFailedReasons", failures.Counts());
        var sent = _metrics.Get(Counter.Sent);
        var failed = _metrics.Get(Counter.SendFailed);
        const string Promise = "no acknowledged message was lost, duplicated or out of order";
        if (interrupted)
        {
            report.Verdict(Interruption.Verdict);
        }

        report.Verdict(correct switch
        {
            false => Verdict.Describe(false, Promise, sent, failed, failures),
            _ when inconclusive is not null => Verdict.Inconclusive(inconclusive, sent, failed, failures),
            true => Verdict.Describe(true, Promise, sent, failed, failures),
            null => $"not checked (--check false); {failed} of {sent} sends failed",
        });
    }

    private long[] Snapshot() =>
        [_metrics.Get(Counter.Sent), _metrics.Get(Counter.Acked), _metrics.Get(Counter.Delivered)];

    /// <summary>Waits until every acknowledged, unrejected message reached every member of its room.</summary>
    private async Task<double> DrainAsync(List<ChatMember> live, ChatContext context, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = TimeSpan.FromSeconds(settings.Drain);
        while (DeliveryDrain.Outstanding(live, context, settings.Reference) > 0
               && Stopwatch.GetElapsedTime(started) < deadline)
        {
            await Task.Delay(100, cancellationToken);
        }

        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private void WarnAboutFloodLimit(Report report)
    {
        if (FloodLimitNote(settings) is { } note)
        {
            report.Note(note);
        }
    }

    /// <summary>
    /// A warning when the busiest account would send more than EventChat's default flood limit allows, else null.
    /// </summary>
    public static string? FloodLimitNote(ChatSettings settings)
    {
        // Only the first --senders users send, and an account's users are consecutive, so the busiest account
        // sends from at most min(connections-per-account, senders) of its users.
        var perAccount = settings.Rate * Math.Min(settings.ConnectionsPerAccount, settings.Senders) * 10;
        return settings.Reference || perAccount <= 30
            ? null
            : $"each sending account sends about {perAccount:0.#} messages per 10 s, above EventChat's default " +
              "flood limit (Moderation:FloodLimit 30 per Moderation:FloodWindow 00:00:10): raise it where " +
              "moderation runs (the moderation worker in a cluster, e.g. Moderation__FloodLimit=1000000 in its " +
              "environment; the single process of the embedded default) or messages come back as " +
              "MessageRejected and count as rejected, not delivered";
    }
}
