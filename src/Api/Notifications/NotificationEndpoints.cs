using EventChat.Api.Auth;
using EventChat.Api.Chat;
using EventChat.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.Notifications;

public static class NotificationEndpoints
{
    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/notifications", ListAsync).RequireAuthorization();
    }

    /// <summary>The caller's newest notifications first; ids are time-ordered, so ordering by id is by time.</summary>
    private static async Task<IResult> ListAsync(
        int? limit, HttpContext http, ChatDbContext db, CancellationToken cancellationToken)
    {
        var size = limit ?? 50;
        if (size is < 1 or > 100)
        {
            return Results.Problem("limit must be between 1 and 100.", statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid request");
        }

        var userId = http.User.UserId();
        var rows = await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == userId)
            .OrderByDescending(n => n.Id)
            .Take(size)
            .ToListAsync(cancellationToken);
        return Results.Ok(new { notifications = rows.Select(NotificationView.From) });
    }
}
