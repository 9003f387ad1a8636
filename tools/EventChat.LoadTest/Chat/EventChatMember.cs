using EventChat.LoadTest.Common;
using Microsoft.AspNetCore.SignalR.Client;

namespace EventChat.LoadTest.Chat;

/// <summary>
/// A member that talks to an EventChat edge over the SignalR hub. When its connection drops it does what a real
/// client does: backs off, connects again (to the next of the URLs in turn), calls <c>JoinRoom</c>, then
/// <c>Sync</c> from the highest <c>seq</c> it has, and counts what catch-up returned as recovered.
/// </summary>
public sealed class EventChatMember : ChatMember
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReconnectTimeout = TimeSpan.FromSeconds(30);
    private readonly IReadOnlyList<Uri> _urls;
    private readonly string _accessToken;
    private readonly SocketPool _sockets;
    private readonly CancellationTokenSource _stop = new();
    private Slot _current;
    private int _url;
    private int _reconnecting;
    private Task _reconnect = Task.CompletedTask;

    public EventChatMember(
        int index, int room, ChatContext context, IReadOnlyList<Uri> urls, int edge, string accessToken,
        SocketPool sockets)
        : base(index, room, context)
    {
        _urls = urls;
        _url = edge;
        _accessToken = accessToken;
        _sockets = sockets;
        _current = Create(urls[edge]);
    }

    /// <summary>True while the connection is down and the member is trying to connect again.</summary>
    public bool Reconnecting => Volatile.Read(ref _reconnecting) == 1;

    public override bool DisconnectedAtEnd => Reconnecting;

    private Guid RoomId => Context.RoomIds[Room];

    private HubConnection Connection => Volatile.Read(ref _current).Connection;

    public override async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await Connection.StartAsync(cancellationToken);
        Connected = true;
        Context.Metrics.Add(Counter.Connections);
    }

    public override async Task JoinAsync(CancellationToken cancellationToken)
    {
        var answer = await Connection.InvokeAsync<JoinAnswer>("JoinRoom", RoomId, cancellationToken);
        JoinSeq = answer.LastSeq;
    }

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reconnect;
        var slot = Volatile.Read(ref _current);
        slot.Abandoned = true;
        await slot.Connection.DisposeAsync();
        _stop.Dispose();
    }

    protected override async Task<AckedMessage> SendAsync(
        long counter, string text, CancellationToken cancellationToken)
    {
        var clientMessageId = $"{Context.RunId}-{Index}-{counter}";
        var answer = await Connection.InvokeAsync<SendAnswer>(
            "SendMessage", RoomId, clientMessageId, text, cancellationToken);
        return new AckedMessage(counter, clientMessageId, answer.MessageId);
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.5 + (Random.Shared.NextDouble() / 2));

    private Slot Create(Uri edge)
    {
        var slot = new Slot(HubConnector.Create(edge, _accessToken, _sockets));
        slot.Connection.On<RoomEventView>("MessageReceived", e => OnEvent(e, posted: true));
        slot.Connection.On<RoomEventView>("RoomEvent", e => OnEvent(e, posted: false));
        slot.Connection.On<Rejection>("MessageRejected", OnRejected);
        slot.Connection.Closed += _ => OnClosedAsync(slot);
        return slot;
    }

    private void OnEvent(RoomEventView e, bool posted)
    {
        if (e.RoomId != RoomId)
        {
            return;
        }

        OnDelivery(Room, e.Seq, posted && e.Type == "message.posted", e.Text);
    }

    private void OnRejected(Rejection rejection)
    {
        if (rejection.Request == "send" && rejection.ClientMessageId is { } id
            && id.StartsWith($"{Context.RunId}-{Index}-", StringComparison.Ordinal)
            && Context.Rejected.TryAdd(id, rejection.Reason ?? string.Empty))
        {
            Context.Metrics.Add(Counter.Rejected);
        }
    }

    private Task OnClosedAsync(Slot slot)
    {
        if (Context.Stopping || slot.Abandoned || _stop.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        // While a reconnect round runs, a connection it is still setting up may close; the round sees that itself.
        if (Interlocked.CompareExchange(ref _reconnecting, 1, 0) == 0)
        {
            Context.Metrics.Add(Counter.Dropped);
            Context.Metrics.Add(Counter.Connections, -1);
            _reconnect = Task.Run(ReconnectAsync);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Connects again until it works or the run ends: the next URL each time (the same one when there is only
    /// one), then JoinRoom before Sync, so that nothing falls between the catch-up and the live stream.
    /// </summary>
    private async Task ReconnectAsync()
    {
        var backoff = FirstBackoff;
        while (!_stop.IsCancellationRequested && !Context.Stopping)
        {
            try
            {
                await Task.Delay(Jitter(backoff), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
            _url = (_url + 1) % _urls.Count;
            var slot = Create(_urls[_url]);
            var old = Interlocked.Exchange(ref _current, slot);
            old.Abandoned = true;
            await old.Connection.DisposeAsync();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(ReconnectTimeout);
            // Taken before the new connection subscribes: what arrives live on it after JoinRoom may already be
            // past the gap, and catching up from there would skip the gap.
            var afterSeq = HighestSeen(Room, JoinSeq);
            try
            {
                await slot.Connection.StartAsync(timeout.Token);
                await slot.Connection.InvokeAsync<JoinAnswer>("JoinRoom", RoomId, timeout.Token);
                await CatchUpAsync(slot.Connection, afterSeq, timeout.Token);
            }
            catch (Exception)
            {
                // Given up: the next round makes a new connection. A drop during these steps is not counted
                // again, since this connection never served.
                slot.Abandoned = true;
                continue;
            }

            Context.Metrics.Add(Counter.Connections);
            Context.Metrics.Add(Counter.Reconnected);
            Volatile.Write(ref _reconnecting, 0);
            if (slot.Connection.State != HubConnectionState.Connected && !Context.Stopping
                && Interlocked.CompareExchange(ref _reconnecting, 1, 0) == 0)
            {
                // It closed again between the catch-up and here, when no Closed handler would start a round.
                slot.Abandoned = true;
                Context.Metrics.Add(Counter.Dropped);
                Context.Metrics.Add(Counter.Connections, -1);
                continue;
            }

            return;
        }
    }

    private async Task CatchUpAsync(HubConnection connection, long afterSeq, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pages = await connection.InvokeAsync<List<SyncPage>>(
                "Sync", new[] { new SyncRequest(RoomId.ToString(), afterSeq) }, cancellationToken);
            var page = pages.Single();
            if (page.Error is not null)
            {
                throw new InvalidOperationException($"Sync refused room {RoomId}: {page.Error}");
            }

            OnRecovered(Room, page.Events.Select(e => (e.Seq, e.Type == "message.posted", e.Text)));
            if (!page.HasMore || page.Events.Count == 0)
            {
                return;
            }

            afterSeq = page.Events[^1].Seq;
        }
    }

    /// <summary>A connection, and whether the member gave it up (so its closing is not a drop).</summary>
    private sealed class Slot(HubConnection connection)
    {
        public HubConnection Connection { get; } = connection;

        public volatile bool Abandoned;
    }
}
