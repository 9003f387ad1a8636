using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Redis;
using EventChat.Workers.Notifications;
using MassTransit;

namespace EventChat.Workers.Moderation;

/// <summary>
/// Decides on every sent message, and every change to one, before anyone else sees it: approved ones go on to
/// persistence, and a rejected one goes back to its sender only. A batch is decided all at once, and then its
/// verdicts are published, each user's in each room in the order they came, so a message and the changes its
/// author makes to it reach persistence in the order they were sent.
/// </summary>
/// <remarks>
/// Besides the blocked words and the flood limit, the rules refuse a run of identical messages, a mention flood
/// and link spam from new accounts; each such refusal is a strike, and the strike that reaches the limit mutes the
/// member in the room for a while. The state the rules read is in memory (runs of identical text, account ages,
/// read once per user) or in Redis (counters), so deciding a message costs no database round trip.
/// </remarks>
public sealed partial class Moderator(
    BlockedWordFilter filter,
    IRateCounter counter,
    IDecisionMemory decisions,
    RepeatTracker repeats,
    AccountAges accountAges,
    ChatDbContext db,
    AutoMuter muter,
    ModerationOptions options,
    IPublishEndpoint publisher,
    TimeProvider clock,
    ILogger<Moderator> logger)
{
    public const string BlockedWordReason = "The message contains a blocked word.";
    private const string Approve = "approve";
    private static readonly TimeSpan KeepDecisionsFor = TimeSpan.FromDays(1);

    private readonly List<(Guid RoomId, Guid UserId, long Window)> _strikesOut = [];

    // Each message's text folded once per batch: the blocked words, the repeat and the link rule all read it.
    private readonly Dictionary<MessageSent, string> _folded = new(ReferenceEqualityComparer.Instance);

    /// <summary>Decides on each of <paramref name="items"/>, a <see cref="MessageSent"/> or a
    /// <see cref="MessageChangeRequested"/>, and publishes the verdicts.</summary>
    public async Task ModerateAsync(IReadOnlyList<object> items, CancellationToken cancellationToken)
    {
        _folded.Clear();
        foreach (var message in items.OfType<MessageSent>())
        {
            _folded[message] = BlockedWordFilter.Fold(message.Text);
        }

        var linkSenders = _folded
            .Where(m => LinkDetector.HasLinkFolded(m.Value))
            .Select(m => m.Key.SenderId)
            .ToList();
        if (linkSenders.Count > 0)
        {
            await accountAges.LoadAsync(db, linkSenders, cancellationToken);
        }

        _strikesOut.Clear();
        var verdicts = await Task.WhenAll(items.Select(item => item switch
        {
            MessageSent message => DecideAsync(message, cancellationToken),
            MessageChangeRequested change => DecideAsync(change, cancellationToken),
            _ => throw new ArgumentException($"{item.GetType().Name} is not moderated here.", nameof(items)),
        }));

        foreach (var (roomId, userId, window) in _strikesOut.Distinct())
        {
            await muter.MuteAsync(roomId, userId, window, options.StrikeMuteDuration,
                $"{options.StrikeLimit} refused messages within {options.StrikeWindow}", cancellationToken);
        }

        // Order matters only between what one user sends to one room: anyone else can only answer a message once
        // it is stored and delivered. So each user's verdicts in a room wait for the broker to confirm the one
        // before, and all other lanes publish side by side.
        await Task.WhenAll(verdicts
            .GroupBy(verdict => (verdict.RoomId, verdict.UserId))
            .Select(async room =>
            {
                foreach (var verdict in room)
                {
                    await publisher.Publish(verdict.Message, verdict.Message.GetType(), cancellationToken);
                }
            }));
    }

    private async Task<Verdict> DecideAsync(MessageSent message, CancellationToken cancellationToken)
    {
        var reason = await DecideOnceAsync(message, cancellationToken);
        if (reason is null)
        {
            Log.Approved(logger, message.MessageId, message.RoomId);
            return new Verdict(message.RoomId, message.SenderId, new MessageApproved(message.MessageId, message.RoomId,
                message.ClientMessageId, message.SenderId, message.SenderName, message.Text, message.SentAt,
                message.ReplyToMessageId));
        }

        Log.Rejected(logger, message.MessageId, message.RoomId, message.SenderId, reason);
        return new Verdict(message.RoomId, message.SenderId, new MessageRejected(message.MessageId, message.RoomId,
            message.ClientMessageId, message.SenderId, reason, clock.GetUtcNow()));
    }

    /// <summary>
    /// Edited text meets the blocked-word rule; the flood limit counts new messages only. Deletes and reactions
    /// carry no text and pass straight on, through the same queue, so they keep their place in line.
    /// </summary>
    private async Task<Verdict> DecideAsync(MessageChangeRequested change, CancellationToken cancellationToken)
    {
        string? reason = null;
        if (change.Change == MessageChanges.Edit)
        {
            var fresh = filter.ContainsBlockedWord(change.Text ?? string.Empty) ? BlockedWordReason : Approve;
            var decision = await decisions.RememberAsync(
                $"moderation:{change.ChangeId:N}", fresh, KeepDecisionsFor, cancellationToken);
            reason = decision == Approve ? null : decision;
        }

        if (reason is null)
        {
            Log.ChangeApproved(logger, change.Change, change.MessageId, change.RoomId);
            return new Verdict(change.RoomId, change.ActorId, new MessageChangeApproved(change.ChangeId, change.RoomId,
                change.MessageId, change.Change, change.ActorId, change.ActorName, change.Text, change.Emoji,
                change.RequestedAt));
        }

        Log.Rejected(logger, change.MessageId, change.RoomId, change.ActorId, reason);
        return new Verdict(change.RoomId, change.ActorId, new MessageRejected(change.MessageId, change.RoomId,
            change.ChangeId.ToString("D"), change.ActorId, reason, clock.GetUtcNow(), change.Change));
    }

    /// <summary>
    /// The first decision on a message id is the only one: a redelivery, or a client's retry of the same
    /// clientMessageId, gets it again, so a message is never stored for some and rejected for its sender.
    /// </summary>
    private async Task<string?> DecideOnceAsync(MessageSent message, CancellationToken cancellationToken)
    {
        var fresh = await RejectionReasonAsync(message, cancellationToken) ?? Approve;
        var decision = await decisions.RememberAsync(
            $"moderation:{message.MessageId:N}", fresh, KeepDecisionsFor, cancellationToken);
        return decision == Approve ? null : decision;
    }

    private async Task<string?> RejectionReasonAsync(MessageSent message, CancellationToken cancellationToken)
    {
        // Decided before the first wait, so that the runs of identical text are counted in the batch's order.
        var reason = ContentRejection(message);
        if (reason is not null)
        {
            await StrikeAsync(message, cancellationToken);
            return reason;
        }

        if (LinkDetector.HasLinkFolded(_folded[message]) && IsNewAccount(message))
        {
            var links = await counter.CountAsync($"new-account-links:{message.SenderId:N}",
                message.MessageId.ToString("N"), message.SentAt, options.NewAccountLinkWindow, cancellationToken);
            if (links > options.NewAccountLinkLimit)
            {
                await StrikeAsync(message, cancellationToken);
                return $"New accounts may send at most {options.NewAccountLinkLimit} messages with links every " +
                       $"{options.NewAccountLinkWindow.TotalMinutes:0} minutes.";
            }
        }

        // Counted in the window of the time it was sent, so a backlog worked off after an outage is not a flood.
        var sent = await counter.CountAsync(
            $"flood:{message.SenderId:N}", message.MessageId.ToString("N"), message.SentAt, options.FloodWindow,
            cancellationToken);
        return sent > options.FloodLimit
            ? $"Too many messages: at most {options.FloodLimit} every {options.FloodWindow.TotalSeconds:0} seconds."
            : null;
    }

    /// <summary>The rules that need nothing but the message and this process's memory.</summary>
    private string? ContentRejection(MessageSent message)
    {
        if (filter.ContainsBlockedWordFolded(_folded[message]))
        {
            return BlockedWordReason;
        }

        if (MentionParser.Parse(message.Text).Count > options.MentionLimit)
        {
            return $"Too many mentions: at most {options.MentionLimit} people in one message.";
        }

        var run = repeats.Count(message.SenderId, message.RoomId, message.MessageId, _folded[message], message.SentAt,
            options.RepeatWindow);
        return run > options.RepeatLimit
            ? $"The same message again: at most {options.RepeatLimit} times in a row within " +
              $"{options.RepeatWindow.TotalSeconds:0} seconds."
            : null;
    }

    /// <summary>
    /// Counts a strike against the sender in the room, once per message however often it is decided; the strike
    /// that reaches the limit queues a mute, which the batch imposes before it publishes its verdicts.
    /// </summary>
    private async Task StrikeAsync(MessageSent message, CancellationToken cancellationToken)
    {
        var strikes = await counter.CountAsync($"strikes:{message.RoomId:N}:{message.SenderId:N}",
            message.MessageId.ToString("N"), message.SentAt, options.StrikeWindow, cancellationToken);
        if (strikes == options.StrikeLimit)
        {
            var window = message.SentAt.ToUnixTimeMilliseconds() / (long)options.StrikeWindow.TotalMilliseconds;
            lock (_strikesOut)
            {
                _strikesOut.Add((message.RoomId, message.SenderId, window));
            }
        }
    }

    private bool IsNewAccount(MessageSent message) =>
        accountAges.CreatedAt(message.SenderId) is not DateTimeOffset created
        || message.SentAt - created < options.NewAccountAge;

    private sealed record Verdict(Guid RoomId, Guid UserId, object Message);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, EventName = "MessageApproved", Level = LogLevel.Trace,
            Message = "Approved message {MessageId} in room {RoomId}")]
        public static partial void Approved(ILogger logger, Guid messageId, Guid roomId);

        [LoggerMessage(EventId = 2002, EventName = "MessageRejected", Level = LogLevel.Information,
            Message = "Rejected message {MessageId} in room {RoomId} from {SenderId}: {Reason}")]
        public static partial void Rejected(ILogger logger, Guid messageId, Guid roomId, Guid senderId, string reason);

        [LoggerMessage(EventId = 2003, EventName = "ChangeApproved", Level = LogLevel.Trace,
            Message = "Approved {Change} of message {MessageId} in room {RoomId}")]
        public static partial void ChangeApproved(ILogger logger, string change, Guid messageId, Guid roomId);
    }
}
