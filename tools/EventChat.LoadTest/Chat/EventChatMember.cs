using EventChat.LoadTest.Common;
using Microsoft.AspNetCore.SignalR.Client;

namespace EventChat.LoadTest.Chat;

/// <summary>A member that talks to an EventChat edge over the SignalR hub.</summary>
public sealed class EventChatMember : ChatMember
{
    private readonly HubConnection _connection;

    public EventChatMember(int index, int room, ChatContext context, Uri edge, string accessToken, SocketPool sockets)
        : base(index, room, context)
    {
        _connection = HubConnector.Create(edge, accessToken, sockets);
        _connection.On<RoomEventView>("MessageReceived", e => OnEvent(e, posted: true));
        _connection.On<RoomEventView>("RoomEvent", e => OnEvent(e, posted: false));
        _connection.On<Rejection>("MessageRejected", OnRejected);
        _connection.Closed += OnClosedAsync;
    }

    private Guid RoomId => Context.RoomIds[Room];

    public override async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _connection.StartAsync(cancellationToken);
        Connected = true;
        Context.Metrics.Add(Counter.Connections);
    }

    public override async Task JoinAsync(CancellationToken cancellationToken)
    {
        var answer = await _connection.InvokeAsync<JoinAnswer>("JoinRoom", RoomId, cancellationToken);
        JoinSeq = answer.LastSeq;
    }

    public override async ValueTask DisposeAsync()
    {
        _connection.Closed -= OnClosedAsync;
        await _connection.DisposeAsync();
    }

    protected override async Task<AckedMessage> SendAsync(long counter, string text, CancellationToken cancellationToken)
    {
        var clientMessageId = $"{Context.RunId}-{Index}-{counter}";
        var answer = await _connection.InvokeAsync<SendAnswer>(
            "SendMessage", RoomId, clientMessageId, text, cancellationToken);
        return new AckedMessage(counter, clientMessageId, answer.MessageId);
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

    private Task OnClosedAsync(Exception? error)
    {
        if (!Context.Stopping)
        {
            Context.Metrics.Add(Counter.Dropped);
            Context.Metrics.Add(Counter.Connections, -1);
        }

        return Task.CompletedTask;
    }
}
