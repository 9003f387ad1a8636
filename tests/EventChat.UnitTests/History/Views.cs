using EventChat.Api.Chat;

namespace EventChat.UnitTests.History;

/// <summary>Messages that differ only by their place in a room.</summary>
public static class Views
{
    public static MessageView At(Guid roomId, long seq) =>
        new(roomId, seq, Guid.NewGuid(), $"c-{seq}", Guid.Empty, "sender", $"message {seq}", DateTimeOffset.UnixEpoch);

    public static List<MessageView> Run(Guid roomId, long first, long last)
    {
        var run = new List<MessageView>();
        for (var seq = first; seq <= last; seq++)
        {
            run.Add(At(roomId, seq));
        }

        return run;
    }
}
