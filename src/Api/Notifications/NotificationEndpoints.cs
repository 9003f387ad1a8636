using EventChat.Api.Auth;
using EventChat.Api.Chat;
using EventChat.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.Notifications;

public static class NotificationEndpoints
{
    public const int MaxPageSize = 100;

    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapGroup("/api/notifications").RequireAuthorization();
        notifications.MapGet("/", ListAsync);
        notifications.MapPost("/read-all", ReadAllAsync);
        notifications.MapPost("/{notificationId}/read", ReadAsync);
    }

    /// <summary>The caller's newest notifications first; ids are time-ordered, so ordering by id is by time.</summary>
    private static async Task<IResult> ListAsync(
        int? limit, bool? unreadOnly, HttpContext http, ChatDbContext db, CancellationToken cancellationToken)
    {
        var size = limit ?? 50;
        if (size is < 1 or > MaxPageSize)
        {
            return BadRequest($"limit must be between 1 and {MaxPageSize}.");
        }

        var userId = http.User.UserId();
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        if (unreadOnly == true)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        var rows = await query
            .OrderByDescending(n => n.Id)
            .Take(size)
            .ToListAsync(cancellationToken);
        return Results.Ok(new { notifications = rows.Select(NotificationView.From) });
    }

    /// <summary>
    /// Marks one of the caller's notifications read. Reading it again keeps the first time; someone else's
    /// notification is reported as missing, so its existence is not given away.
    /// </summary>
    private static async Task<IResult> ReadAsync(
        string notificationId, HttpContext http, ChatDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(notificationId, out var id))
        {
            return BadRequest("notificationId must be a GUID.");
        }

        var userId = http.User.UserId();
        var now = clock.GetUtcNow();
        var marked = await db.Notifications
            .Where(n => n.Id == id && n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        if (marked > 0 || await db.Notifications.AnyAsync(n => n.Id == id && n.UserId == userId, cancellationToken))
        {
            return Results.NoContent();
        }

        return Results.Problem($"Notification {id} was not found.", statusCode: StatusCodes.Status404NotFound,
            title: "Not found");
    }

    private static async Task<IResult> ReadAllAsync(
        HttpContext http, ChatDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = http.User.UserId();
        var now = clock.GetUtcNow();
        await db.Notifications
            .Where(n => n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        return Results.NoContent();
    }

    private static IResult BadRequest(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
