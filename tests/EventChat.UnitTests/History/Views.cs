using EventChat.Contracts;

namespace EventChat.UnitTests.History;

/// <summary>Events that differ only by their place in a room.</summary>
public static class Views
{
    public static RoomEvent At(Guid roomId, long seq) =>
        new(roomId, seq, RoomEventTypes.MessagePosted, DateTimeOffset.UnixEpoch, Guid.Empty, "sender", Guid.NewGuid(),
            $"c-{seq}", $"message {seq}");

    public static List<RoomEvent> Run(Guid roomId, long first, long last)
    {
        var run = new List<RoomEvent>();
        for (var seq = first; seq <= last; seq++)
        {
            run.Add(At(roomId, seq));
        }

        return run;
    }
}
