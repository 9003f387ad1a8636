using System.Diagnostics;
using EventChat.LoadTest.Common;

namespace EventChat.LoadTest.Chat;

/// <summary>
/// One simulated user in one room: connects, joins, sends on a schedule and records what it receives.
/// Subclasses speak EventChat's hub or the reference server's bare WebSocket frames.
/// </summary>
public abstract class ChatMember(int index, int room, ChatContext context) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<(int Sender, long Counter)> _arrived = [];
    private (long Stream, long Position, string? Text)? _heldBack;

    public int Index { get; } = index;

    public int Room { get; } = room;

    public bool Connected { get; protected set; }

    /// <summary>The room's last <c>seq</c> when this member subscribed: everything above it must arrive.</summary>
    public long JoinSeq { get; protected set; }

    public Dictionary<long, StreamState> Streams { get; } = [];

    public List<AckedMessage> Acked { get; } = [];

    protected ChatContext Context { get; } = context;

    /// <summary>Whether the member had lost its connection, and not got it back, when the run ended.</summary>
    public abstract bool DisconnectedAtEnd { get; }

    public abstract Task ConnectAsync(CancellationToken cancellationToken);

    public abstract Task JoinAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>Sends messages at the configured rate until <paramref name="cancellationToken"/> fires.</summary>
    public async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        var settings = Context.Settings;
        var interval = TimeSpan.FromSeconds(1.0 / settings.Rate);
        var padding = ChatMessageText.Padding(settings.TextBytes);
        var next = Stopwatch.GetElapsedTime(0) + interval * Random.Shared.NextDouble();
        long counter = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = next - Stopwatch.GetElapsedTime(0);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            next += interval;
            counter++;
            var started = Stopwatch.GetTimestamp();
            var text = ChatMessageText.Create(Index, counter, started, padding);
            Context.Metrics.Add(Counter.Sent);
            try
            {
                // The send is not cancelled with the run: an acknowledgement that is on its way is waited for.
                var answer = await SendAsync(counter, text, CancellationToken.None);
                Acked.Add(answer);
                Context.Metrics.Add(Counter.Acked);
                if (Context.InMeasurement(started))
                {
                    Context.AckLatency.Record(started, Stopwatch.GetTimestamp());
                }
            }
            catch (Exception ex)
            {
                // Nothing cancels the send, so even a cancellation is a failure: the client gave the call up when
                // its connection closed.
                Context.Metrics.Add(Counter.SendFailed);
                Context.SendFailures.Add(ex);
            }
        }
    }

    /// <summary>Whether the message <paramref name="counter"/> of member <paramref name="sender"/> reached this one.</summary>
    public bool HasArrived(int sender, long counter)
    {
        lock (_gate)
        {
            return _arrived.Contains((sender, counter));
        }
    }

    /// <summary>
    /// Records events that catch-up returned after a reconnect: they count as delivered, and as recovered,
    /// never toward latency, order or duplicates.
    /// </summary>
    protected void OnRecovered(long stream, IEnumerable<(long Position, bool Posted, string? Text)> events)
    {
        long recovered = 0;
        lock (_gate)
        {
            if (!Streams.TryGetValue(stream, out var state))
            {
                state = new StreamState();
                Streams[stream] = state;
            }

            foreach (var (position, posted, text) in events)
            {
                NoteArrival(posted, text);
                if (state.RecordRecovered(position, posted) && posted)
                {
                    recovered++;
                }
            }
        }

        Context.Metrics.Add(Counter.Delivered, recovered);
        Context.Metrics.Add(Counter.Recovered, recovered);
    }

    /// <summary>The highest position seen of a stream, or <paramref name="floor"/> when nothing is seen yet.</summary>
    protected long HighestSeen(long stream, long floor)
    {
        lock (_gate)
        {
            return Streams.TryGetValue(stream, out var state) ? Math.Max(state.Max, floor) : floor;
        }
    }

    /// <summary>Notes which sender's message a posted event carries; the caller holds the gate.</summary>
    private void NoteArrival(bool posted, string? text)
    {
        if (posted && ChatMessageText.TryParse(text, out var sender, out var counter, out _))
        {
            _arrived.Add((sender, counter));
        }
    }

    protected abstract Task<AckedMessage> SendAsync(long counter, string text, CancellationToken cancellationToken);

    /// <summary>
    /// Records one delivery. The debug options drop or repeat deliveries here, before the checks see them, so
    /// that a run can show the checks do count faults.
    /// </summary>
    protected void OnDelivery(long stream, long position, bool posted, string? text)
    {
        var now = Stopwatch.GetTimestamp();
        var repeat = 1;
        if (posted)
        {
            var serial = Context.NextDeliverySerial();
            var settings = Context.Settings;
            if (settings.DebugDropEvery > 0 && serial % settings.DebugDropEvery == 0)
            {
                return;
            }

            if (settings.DebugDuplicateEvery > 0 && serial % settings.DebugDuplicateEvery == 0)
            {
                repeat = 2;
            }

            if (settings.DebugReorderEvery > 0 && serial % settings.DebugReorderEvery == 0 && _heldBack is null)
            {
                _heldBack = (stream, position, text);
                return;
            }
        }

        bool first;
        lock (_gate)
        {
            if (!Streams.TryGetValue(stream, out var state))
            {
                state = new StreamState();
                Streams[stream] = state;
            }

            first = state.Record(position, posted);
            NoteArrival(posted, text);
            for (var i = 1; i < repeat; i++)
            {
                state.Record(position, posted);
            }
        }

        if (posted && _heldBack is { } held && held.Stream == stream && held.Position != position)
        {
            _heldBack = null;
            OnDelivery(held.Stream, held.Position, posted: true, held.Text);
        }

        if (!posted || !first)
        {
            return;
        }

        Context.Metrics.Add(Counter.Delivered);
        if (ChatMessageText.TryParse(text, out var sender, out _, out var sentAt)
            && sender != Index && Context.InMeasurement(sentAt))
        {
            Context.Metrics.Latency.Record(sentAt, now);
        }
    }
}
