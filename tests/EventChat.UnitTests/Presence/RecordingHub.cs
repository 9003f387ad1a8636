using System.Reflection;
using EventChat.Api.Chat;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.UnitTests.Presence;

/// <summary>
/// A hub context that records what is sent to groups. A proxy rather than a class, so that methods the lead
/// adds to <see cref="IChatClient"/> need no change here.
/// </summary>
public class RecordingHub : DispatchProxy
{
    private List<(IReadOnlyList<string> Groups, string Method, object? Argument)> _sent = [];
    private IReadOnlyList<string> _groups = [];

    public IReadOnlyList<(IReadOnlyList<string> Groups, string Method, object? Argument)> Sent => _sent;

    public static (IHubContext<ChatHub, IChatClient> Hub, RecordingHub Recorder) Create()
    {
        var hub = DispatchProxy.Create<IHubContext<ChatHub, IChatClient>, RecordingHub>();
        return (hub, (RecordingHub)(object)hub);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        switch (targetMethod?.Name)
        {
            case "get_Clients":
                return Derive<IHubClients<IChatClient>>([]);
            case "Groups" when args is [IReadOnlyList<string> groups]:
                return Derive<IChatClient>(groups);
            case not null when targetMethod.DeclaringType == typeof(IChatClient):
                _sent.Add((_groups, targetMethod.Name, args?.SingleOrDefault()));
                return Task.CompletedTask;
            default:
                throw new NotSupportedException($"The recording hub does not support {targetMethod?.Name}.");
        }
    }

    private T Derive<T>(IReadOnlyList<string> groups)
        where T : class
    {
        var proxy = DispatchProxy.Create<T, RecordingHub>();
        var recorder = (RecordingHub)(object)proxy;
        recorder._sent = _sent;
        recorder._groups = groups;
        return proxy;
    }
}
