using EventChat.Api.Auth;
using EventChat.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.Presence;

public static class PresenceEndpoints
{
    public const int MaxPresenceIds = 100;

    /// <summary>Longer than any name registration accepts, so that a longer query can be refused unread.</summary>
    public const int MaxUserNameLength = 100;

    /// <summary>
    /// <c>GET /api/users?name=</c>, <c>GET /api/users/presence?ids=</c> and <c>PUT /api/me/presence</c>, all for
    /// signed-in users only.
    /// </summary>
    public static void MapPresenceEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").RequireAuthorization();
        users.MapGet("/", FindAsync);
        users.MapGet("/presence", PresenceAsync);
        app.MapPut("/api/me/presence", SetPresenceAsync).RequireAuthorization();
    }

    /// <summary>The user with exactly this name, ignoring case as registration does.</summary>
    private static async Task<IResult> FindAsync(string? name, ChatDbContext db, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxUserNameLength || !AuthEndpoints.IsValidUserName(name))
        {
            return BadRequest("name must be a user name: 3 to 32 letters, digits, '_', '.' or '-'.");
        }

        var normalized = name.ToLowerInvariant();
        var user = await db.Users
            .AsNoTracking()
            .Where(u => u.NormalizedUserName == normalized)
            .Select(u => new { userId = u.Id, userName = u.UserName })
            .SingleOrDefaultAsync(cancellationToken);
        return user is null
            ? Results.Problem("No user has that name.", statusCode: StatusCodes.Status404NotFound,
                title: "User not found")
            : Results.Ok(user);
    }

    /// <summary>What others see of the users asked for; unknown ids are left out, invisible users offline.</summary>
    private static async Task<IResult> PresenceAsync(
        string? ids, PresenceTracker tracker, CancellationToken cancellationToken)
    {
        var userIds = ParseIds(ids);
        if (userIds is null)
        {
            return BadRequest($"ids must be 1 to {MaxPresenceIds} user ids separated by commas.");
        }

        var users = await tracker.GetAsync(userIds, cancellationToken);
        return Results.Ok(new { users });
    }

    private static async Task<IResult> SetPresenceAsync(
        SetPresenceRequest? body, HttpContext http, PresenceTracker tracker, CancellationToken cancellationToken)
    {
        if (body?.Invisible is not { } invisible)
        {
            return BadRequest("invisible must be true or false.");
        }

        await tracker.SetInvisibleAsync(http.User.UserId(), http.User.UserName(), invisible, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>Distinct ids in the order given; null if a part is not an id, or there are none or too many.</summary>
    private static List<Guid>? ParseIds(string? ids)
    {
        if (string.IsNullOrWhiteSpace(ids))
        {
            return null;
        }

        var parts = ids.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > MaxPresenceIds)
        {
            return null;
        }

        var parsed = new List<Guid>(parts.Length);
        foreach (var part in parts)
        {
            if (!Guid.TryParse(part, out var id))
            {
                return null;
            }

            if (!parsed.Contains(id))
            {
                parsed.Add(id);
            }
        }

        return parsed;
    }

    private static IResult BadRequest(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
