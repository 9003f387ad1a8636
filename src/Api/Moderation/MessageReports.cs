using EventChat.Api.Chat;
using EventChat.Api.History;
using EventChat.Api.Rooms;
using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Moderation;
using EventChat.Infrastructure.Outbox;
using EventChat.Infrastructure.Streams;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.Moderation;

/// <summary>
/// The moderation queue: members report messages, and the room's owner and admins list the reports and resolve
/// them with an outcome, which can delete the message or kick, mute or ban its sender.
/// </summary>
public sealed class MessageReports(
    ChatDbContext db,
    RoomAccess rooms,
    MessageHistory messages,
    IPublishEndpoint publisher,
    PublishRetry publishRetry,
    OutboxSignal outboxSignal,
    TimeProvider clock)
{
    public const int MaxReasonLength = 500;

    /// <summary>Files the member's report of a message; a second report of the same message returns the first.</summary>
    public async Task<(Guid? ReportId, bool Created, RoomResult? Refused)> ReportAsync(
        Guid roomId, Guid messageId, Guid reporterId, string? reason, CancellationToken cancellationToken)
    {
        if (!await rooms.IsMemberAsync(roomId, reporterId, cancellationToken))
        {
            return (null, false, await rooms.FindReadableAsync(roomId, reporterId, cancellationToken) is null
                ? RoomResult.NotFound($"Room {roomId} does not exist, or it is private and you are not a member.")
                : RoomResult.Forbidden($"Only members of room {roomId} may report its messages."));
        }

        var message = await messages.FindAsync(roomId, messageId, cancellationToken);
        if (message is null)
        {
            return (null, false, RoomResult.NotFound($"Message {messageId} is not in room {roomId}."));
        }

        var existing = await ExistingAsync(messageId, reporterId, cancellationToken);
        if (existing is Guid id)
        {
            return (id, false, null);
        }

        var report = new MessageReport
        {
            Id = Guid.CreateVersion7(),
            RoomId = roomId,
            MessageId = messageId,
            SenderId = message.SenderId,
            ReporterId = reporterId,
            Reason = reason,
            CreatedAt = RoomStream.Now(clock),
        };
        db.MessageReports.Add(report);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return (report.Id, true, null);
        }
        catch (DbUpdateException)
        {
            // The same member reported it at the same moment from another device.
            db.ChangeTracker.Clear();
            return (await ExistingAsync(messageId, reporterId, cancellationToken), false, null);
        }
    }

    /// <summary>The room's reports, newest first, for its owner and admins.</summary>
    public async Task<(IReadOnlyList<MessageReport>? Reports, RoomResult? Refused)> ListAsync(
        Guid roomId, Guid actorId, bool? resolved, int limit, CancellationToken cancellationToken)
    {
        if (await rooms.CheckAdminAsync(roomId, actorId, cancellationToken) is RoomResult refused)
        {
            return (null, refused);
        }

        var query = db.MessageReports.AsNoTracking().Where(r => r.RoomId == roomId);
        query = resolved switch
        {
            true => query.Where(r => r.ResolvedBy != null),
            false => query.Where(r => r.ResolvedBy == null),
            null => query,
        };

        // Ids are time-ordered; SQLite, the embedded default, cannot order by a DateTimeOffset column.
        var reports = await query.ToListAsync(cancellationToken);
        return (reports.OrderByDescending(r => r.Id).Take(limit).ToList(), null);
    }

    /// <summary>
    /// Resolves an open report, and every other open report of the same message, with one outcome, after taking
    /// the action the outcome names. A refused action (the sender is the owner, say) leaves the reports open.
    /// </summary>
    public async Task<(MessageReport? Report, RoomResult? Refused)> ResolveAsync(
        Guid roomId, Guid reportId, Guid actorId, string actorName, string outcome, TimeSpan? duration,
        CancellationToken cancellationToken)
    {
        if (await rooms.CheckAdminAsync(roomId, actorId, cancellationToken) is RoomResult refused)
        {
            return (null, refused);
        }

        var report = await db.MessageReports.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Id == reportId && r.RoomId == roomId, cancellationToken);
        if (report is null)
        {
            return (null, RoomResult.NotFound($"Report {reportId} is not in room {roomId}."));
        }

        if (report.ResolvedBy is not null)
        {
            return (null, RoomResult.Conflict($"Report {reportId} was already resolved ({report.Outcome})."));
        }

        var now = RoomStream.Now(clock);
        var acted = outcome switch
        {
            ReportOutcomes.Deleted => await DeleteAsync(report, actorId, actorName, now, cancellationToken),
            ReportOutcomes.Kicked => await rooms.RemoveMemberAsync(roomId, actorId, actorName, report.SenderId,
                cancellationToken),
            ReportOutcomes.Muted => await rooms.MuteAsync(roomId, actorId, actorName, report.SenderId,
                now + duration!.Value, $"report {reportId}", cancellationToken),
            ReportOutcomes.Banned => await rooms.BanAsync(roomId, actorId, actorName, report.SenderId,
                duration is TimeSpan term ? now + term : null, $"report {reportId}", cancellationToken),
            _ => RoomResult.Done,
        };
        if (!acted.Succeeded)
        {
            return (null, acted);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var open = await db.MessageReports
            .Where(r => r.MessageId == report.MessageId && r.ResolvedBy == null)
            .ToListAsync(cancellationToken);
        foreach (var each in open)
        {
            each.ResolvedBy = actorId;
            each.ResolvedAt = now;
            each.Outcome = outcome;
        }

        ModerationLog.Record(db, new ModerationActionTaken(Guid.CreateVersion7(), roomId,
            ModerationActions.ResolveReport, actorId, actorName, report.SenderId, report.MessageId, reportId, outcome,
            null, now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
        return (open.SingleOrDefault(r => r.Id == reportId) ?? report, null);
    }

    /// <summary>Deletes the message through the pipeline, as a room admin's <c>DeleteMessage</c> would.</summary>
    private async Task<RoomResult> DeleteAsync(
        MessageReport report, Guid actorId, string actorName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var change = new MessageChangeRequested(Guid.CreateVersion7(), report.RoomId, report.MessageId,
            MessageChanges.Delete, actorId, actorName, null, null, now);
        try
        {
            await publishRetry.ExecuteAsync(ct => new ValueTask(publisher.Publish(change, ct)), cancellationToken);
            return RoomResult.Done;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return RoomResult.Conflict("The message could not be deleted right now; the report stays open. Try again.");
        }
    }

    private Task<Guid?> ExistingAsync(Guid messageId, Guid reporterId, CancellationToken cancellationToken) =>
        db.MessageReports.Where(r => r.MessageId == messageId && r.ReporterId == reporterId)
            .Select(r => (Guid?)r.Id)
            .SingleOrDefaultAsync(cancellationToken);
}
