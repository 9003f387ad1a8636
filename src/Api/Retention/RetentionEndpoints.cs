using EventChat.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.Retention;

public static class RetentionEndpoints
{
    public const int MaxPageSize = 100;

    public static void MapRetentionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/retention/runs", RunsAsync).RequireAuthorization();
    }

    /// <summary>The newest retention runs first; every run is recorded, and kept for 30 days.</summary>
    private static async Task<IResult> RunsAsync(int? limit, ChatDbContext db, CancellationToken cancellationToken)
    {
        var size = limit ?? 20;
        if (size is < 1 or > MaxPageSize)
        {
            return Results.Problem($"limit must be between 1 and {MaxPageSize}.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
        }

        var runs = await db.RetentionRuns.AsNoTracking()
            .OrderByDescending(r => r.Id)
            .Take(size)
            .Select(r => new
            {
                id = r.Id,
                startedAt = r.StartedAt,
                finishedAt = r.FinishedAt,
                roomsTruncated = r.RoomsTruncated,
                eventsDeleted = r.EventsDeleted,
                messagesDeleted = r.MessagesDeleted,
            })
            .ToListAsync(cancellationToken);
        return Results.Ok(new { runs });
    }
}
