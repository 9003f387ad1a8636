using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace EventChat.Api.Chat;

/// <summary>
/// The JSON hub protocol, with a reason for calls whose arguments do not fit the method. SignalR answers such a
/// call before any hub filter runs, with only "Failed to invoke 'X' due to an error on the server.", unless the
/// failure is a <see cref="HubException"/>: so the binding failure is turned into one that names the method's
/// parameters. Everything else passes through unchanged.
/// </summary>
public sealed class ArgumentCheckingProtocol(IHubProtocol inner) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool TryParseMessage(
        ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        if (!inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }

        if (message is InvocationBindingFailureMessage failure && failure.BindingFailure.SourceException is not HubException)
        {
            var reason = new HubException(Explain(failure.Target, binder));
            message = new InvocationBindingFailureMessage(failure.InvocationId, failure.Target, ExceptionDispatchInfo.Capture(reason));
        }

        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    /// <summary>What the method takes, in JSON terms, or that there is no such method.</summary>
    public static string Explain(string target, IInvocationBinder binder)
    {
        IReadOnlyList<Type> parameters;
        try
        {
            parameters = binder.GetParameterTypes(target);
        }
        catch (HubException)
        {
            return $"There is no hub method '{target}'.";
        }

        var expected = parameters.Count == 0
            ? "no arguments"
            : $"{parameters.Count} argument{(parameters.Count == 1 ? "" : "s")}: {string.Join(", ", parameters.Select(JsonName))}";
        return $"The arguments do not fit '{target}', which takes {expected}.";
    }

    private static string JsonName(Type type) => type switch
    {
        _ when type == typeof(string) => "a string",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) => "an integer",
        _ when type.IsArray => "an array",
        _ => "an object",
    };
}
