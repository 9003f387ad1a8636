using EventChat.Api.Chat;

namespace EventChat.Api.History;

/// <summary>
/// The last <see cref="Capacity"/> messages of each room, in the order the edges delivered them. The cache only
/// ever holds a gap-free run of sequence numbers, so any read it can answer it answers exactly.
/// </summary>
public interface IRecentMessages
{
    const int Capacity = 100;

    /// <summary>Adds the room's next message; returns false when that sequence number is already there.</summary>
    Task<bool> AppendAsync(MessageView message, CancellationToken cancellationToken);

    /// <summary>The cached run of the room's newest messages, ascending by sequence number.</summary>
    Task<IReadOnlyList<MessageView>> ReadAsync(Guid roomId, CancellationToken cancellationToken);
}
