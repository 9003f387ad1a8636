using EventChat.Api.Auth;
using EventChat.Api.Chat;
using EventChat.Api.Rooms;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.EntityFrameworkCore;
using static EventChat.Api.Rooms.RoomEndpoints;

namespace EventChat.Api.Moderation;

/// <summary>Bans, mutes, reports and the moderation log of a room. Kicking is removing a member.</summary>
public static class ModerationEndpoints
{
    /// <summary>The longest timed ban or mute: a year.</summary>
    public const int MaxDurationSeconds = 365 * 24 * 60 * 60;

    public static void MapModerationEndpoints(this IEndpointRouteBuilder app)
    {
        var rooms = app.MapGroup("/api/rooms/{roomId}").RequireAuthorization();
        rooms.MapPost("/bans", BanAsync);
        rooms.MapGet("/bans", BansAsync);
        rooms.MapDelete("/bans/{userId}", UnbanAsync);
        rooms.MapPost("/mutes", MuteAsync);
        rooms.MapDelete("/mutes/{userId}", UnmuteAsync);
        rooms.MapPost("/messages/{messageId}/reports", ReportAsync);
        rooms.MapGet("/reports", ReportsAsync);
        rooms.MapPost("/reports/{reportId}/resolve", ResolveAsync);
        rooms.MapGet("/moderation-log", LogAsync);
    }

    private static Task<IResult> BanAsync(
        string roomId, BanRequest body, HttpContext http, RoomAccess access, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (CheckSanction(body.UserId, body.DurationSeconds, body.Reason, timed: false) is string problem)
        {
            return Task.FromResult(BadRequest(problem));
        }

        var userId = body.UserId!.Value;
        DateTimeOffset? until = body.DurationSeconds is int seconds ? clock.GetUtcNow().AddSeconds(seconds) : null;
        return ChangeAsync(roomId, id => access.BanAsync(id, http.User.UserId(), http.User.UserName(), userId, until,
            body.Reason, cancellationToken));
    }

    private static async Task<IResult> BansAsync(
        string roomId, HttpContext http, RoomAccess access, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        var (bans, refused) = await access.BansAsync(id, http.User.UserId(), cancellationToken);
        return refused is not null
            ? Refused(refused)
            : Results.Ok(new
            {
                bans = bans!.Select(b => new
                {
                    userId = b.UserId, until = b.Until, bannedBy = b.BannedBy, bannedAt = b.BannedAt, reason = b.Reason,
                }),
            });
    }

    private static Task<IResult> UnbanAsync(
        string roomId, string userId, HttpContext http, RoomAccess access, CancellationToken cancellationToken) =>
        Guid.TryParse(userId, out var user)
            ? ChangeAsync(roomId, id => access.UnbanAsync(id, http.User.UserId(), http.User.UserName(), user,
                cancellationToken))
            : Task.FromResult(BadRequest("userId must be a user id."));

    private static Task<IResult> MuteAsync(
        string roomId, MuteMemberRequest body, HttpContext http, RoomAccess access, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (CheckSanction(body.UserId, body.DurationSeconds, body.Reason, timed: true) is string problem)
        {
            return Task.FromResult(BadRequest(problem));
        }

        var userId = body.UserId!.Value;
        var until = clock.GetUtcNow().AddSeconds(body.DurationSeconds!.Value);
        return ChangeAsync(roomId, id => access.MuteAsync(id, http.User.UserId(), http.User.UserName(), userId, until,
            body.Reason, cancellationToken));
    }

    private static Task<IResult> UnmuteAsync(
        string roomId, string userId, HttpContext http, RoomAccess access, CancellationToken cancellationToken) =>
        Guid.TryParse(userId, out var user)
            ? ChangeAsync(roomId, id => access.UnmuteAsync(id, http.User.UserId(), http.User.UserName(), user,
                cancellationToken))
            : Task.FromResult(BadRequest("userId must be a user id."));

    private static async Task<IResult> ReportAsync(
        string roomId, string messageId, ReportRequest body, HttpContext http, MessageReports reports,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        if (!Guid.TryParse(messageId, out var message))
        {
            return BadRequest("messageId is not a valid message id.");
        }

        if (CheckReason(body.Reason) is string problem)
        {
            return BadRequest(problem);
        }

        var (reportId, created, refused) = await reports.ReportAsync(id, message, http.User.UserId(), body.Reason,
            cancellationToken);
        if (refused is not null)
        {
            return Refused(refused);
        }

        return created
            ? Results.Created($"/api/rooms/{id}/reports/{reportId}", new { reportId })
            : Results.Ok(new { reportId });
    }

    private static async Task<IResult> ReportsAsync(
        string roomId, string? status, int? limit, HttpContext http, MessageReports reports,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        bool? resolved;
        switch (status?.ToLowerInvariant() ?? "open")
        {
            case "open":
                resolved = false;
                break;
            case "resolved":
                resolved = true;
                break;
            case "all":
                resolved = null;
                break;
            default:
                return BadRequest("status must be \"open\", \"resolved\" or \"all\".");
        }

        var size = limit ?? 50;
        if (size is < 1 or > MaxPageSize)
        {
            return BadRequest($"limit must be between 1 and {MaxPageSize}.");
        }

        var (list, refused) = await reports.ListAsync(id, http.User.UserId(), resolved, size, cancellationToken);
        return refused is not null ? Refused(refused) : Results.Ok(new { reports = list!.Select(View) });
    }

    private static async Task<IResult> ResolveAsync(
        string roomId, string reportId, ResolveReportRequest body, HttpContext http, MessageReports reports,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        if (!Guid.TryParse(reportId, out var report))
        {
            return BadRequest("reportId is not a valid report id.");
        }

        var outcome = body.Outcome?.ToLowerInvariant();
        if (outcome is null || !ReportOutcomes.All.Contains(outcome))
        {
            return BadRequest($"outcome must be one of {string.Join(", ", ReportOutcomes.All)}.");
        }

        var required = outcome == ReportOutcomes.Muted;
        var timed = outcome is ReportOutcomes.Muted or ReportOutcomes.Banned;
        if (!timed && body.DurationSeconds is not null)
        {
            return BadRequest("durationSeconds goes only with the outcomes muted and banned.");
        }

        if (timed && CheckDuration(body.DurationSeconds, required) is string problem)
        {
            return BadRequest(problem);
        }

        TimeSpan? duration = body.DurationSeconds is int seconds ? TimeSpan.FromSeconds(seconds) : null;
        var (resolved, refused) = await reports.ResolveAsync(id, report, http.User.UserId(), http.User.UserName(),
            outcome, duration, cancellationToken);
        return refused is not null ? Refused(refused) : Results.Ok(View(resolved!));
    }

    private static async Task<IResult> LogAsync(
        string roomId, int? limit, HttpContext http, RoomAccess access, ChatDbContext db,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        var size = limit ?? 50;
        if (size is < 1 or > MaxPageSize)
        {
            return BadRequest($"limit must be between 1 and {MaxPageSize}.");
        }

        if (await access.CheckAdminAsync(id, http.User.UserId(), cancellationToken) is RoomResult refused)
        {
            return Refused(refused);
        }

        var actions = await db.ModerationActions.AsNoTracking()
            .Where(a => a.RoomId == id)
            .OrderByDescending(a => a.Id)
            .Take(size)
            .Select(a => new
            {
                actionId = a.ActionId,
                action = a.Action,
                actorId = a.ActorId,
                actorName = a.ActorName,
                userId = a.UserId,
                messageId = a.MessageId,
                reportId = a.ReportId,
                reason = a.Reason,
                until = a.Until,
                occurredAt = a.OccurredAt,
            })
            .ToListAsync(cancellationToken);
        return Results.Ok(new { actions });
    }

    private static object View(MessageReport r) => new
    {
        reportId = r.Id,
        messageId = r.MessageId,
        senderId = r.SenderId,
        reporterId = r.ReporterId,
        reason = r.Reason,
        createdAt = r.CreatedAt,
        status = r.ResolvedBy is null ? "open" : "resolved",
        resolvedBy = r.ResolvedBy,
        resolvedAt = r.ResolvedAt,
        outcome = r.Outcome,
    };

    /// <summary>Why a ban or mute request is malformed, or null; a mute must be <paramref name="timed"/>.</summary>
    private static string? CheckSanction(Guid? userId, int? durationSeconds, string? reason, bool timed) =>
        userId is null
            ? "userId must be a user id."
            : CheckDuration(durationSeconds, required: timed) ?? CheckReason(reason);

    private static string? CheckDuration(int? seconds, bool required) =>
        (seconds is null && required) || seconds is < 1 or > MaxDurationSeconds
            ? $"durationSeconds must be between 1 and {MaxDurationSeconds}{(required ? "" : ", or left out for good")}."
            : null;

    private static string? CheckReason(string? reason) =>
        reason is not null && (reason.Length > MessageReports.MaxReasonLength
            || MessageRules.HasControlOrUnpairedSurrogate(reason))
            ? $"reason must be at most {MessageReports.MaxReasonLength} printable characters."
            : null;
}
