namespace EventChat.IntegrationTests.Support;

/// <summary>
/// A client's local copy of one room's messages, built from history and then kept up to date by applying room
/// events in seq order, as a real client does after a Sync.
/// </summary>
public sealed class RoomModel
{
    private readonly Dictionary<Guid, MessageState> _messages = [];
    private readonly Dictionary<Guid, SortedDictionary<string, int>> _reactions = [];

    public static RoomModel From(IEnumerable<Message> history)
    {
        var model = new RoomModel();
        foreach (var message in history)
        {
            model._messages[message.MessageId] = message.AsState() with { Reactions = "" };
            model._reactions[message.MessageId] = new SortedDictionary<string, int>(
                message.Reactions.ToDictionary(r => r.Emoji, r => r.Count), StringComparer.Ordinal);
        }

        return model;
    }

    public void Apply(RoomEvent e)
    {
        switch (e.Type)
        {
            case RoomEvent.Posted:
                var id = Required(e.MessageId, e);
                _messages[id] = new MessageState(id, e.Seq, e.ActorId, e.Text, e.ReplyToMessageId, false, false, "");
                _reactions[id] = new SortedDictionary<string, int>(StringComparer.Ordinal);
                break;
            case RoomEvent.Edited:
                Update(e, m => m with { Text = e.Text, Edited = true });
                break;
            case RoomEvent.Deleted:
                Update(e, m => m with { Text = null, Deleted = true });
                _reactions[Required(e.MessageId, e)].Clear();
                break;
            case RoomEvent.ReactionAdded or RoomEvent.ReactionRemoved:
                var reactions = _reactions[Required(e.MessageId, e)];
                var count = e.Count ?? throw new InvalidOperationException($"Event {e.Seq} ({e.Type}) has no count.");
                if (count > 0)
                {
                    reactions[e.Emoji!] = count;
                }
                else
                {
                    reactions.Remove(e.Emoji!);
                }

                break;
        }
    }

    public List<MessageState> Snapshot() =>
        _messages.Values
            .OrderBy(m => m.Seq)
            .Select(m => m with
            {
                Reactions = MessageState.FormatReactions(_reactions[m.MessageId].Select(r => (r.Key, r.Value))),
            })
            .ToList();

    private void Update(RoomEvent e, Func<MessageState, MessageState> change)
    {
        var id = Required(e.MessageId, e);
        Assert.True(_messages.TryGetValue(id, out var message), $"Event {e.Seq} ({e.Type}) names unknown message {id}.");
        _messages[id] = change(message);
    }

    private static Guid Required(Guid? messageId, RoomEvent e) =>
        messageId ?? throw new InvalidOperationException($"Event {e.Seq} ({e.Type}) has no messageId.");
}
