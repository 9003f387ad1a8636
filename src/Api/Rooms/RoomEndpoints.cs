using EventChat.Api.Auth;
using EventChat.Api.History;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Presence;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.Rooms;

public static class RoomEndpoints
{
    public const int MaxRoomNameLength = 100;
    public const int MaxPageSize = 100;

    public static void MapRoomEndpoints(this IEndpointRouteBuilder app)
    {
        var rooms = app.MapGroup("/api/rooms").RequireAuthorization();
        rooms.MapPost("/", CreateAsync);
        rooms.MapGet("/{roomId}", GetAsync);
        rooms.MapGet("/{roomId}/messages", MessagesAsync);
        rooms.MapGet("/{roomId}/presence", PresenceAsync);
    }

    private static async Task<IResult> CreateAsync(
        CreateRoomRequest body, HttpContext http, RoomAccess access, CancellationToken cancellationToken)
    {
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.EnumerateRunes().Count() > MaxRoomNameLength || name.Any(char.IsControl))
        {
            return BadRequest($"name must be 1 to {MaxRoomNameLength} printable characters.");
        }

        RoomVisibility visibility;
        switch (body.Visibility?.ToLowerInvariant())
        {
            case "public":
                visibility = RoomVisibility.Public;
                break;
            case "private":
                visibility = RoomVisibility.Private;
                break;
            default:
                return BadRequest("visibility must be \"public\" or \"private\".");
        }

        var roomId = await access.CreateAsync(name, visibility, http.User.UserId(), http.User.UserName(),
            cancellationToken);
        return Results.Created($"/api/rooms/{roomId}", new { roomId, name, visibility = body.Visibility!.ToLowerInvariant() });
    }

    private static async Task<IResult> GetAsync(
        string roomId, HttpContext http, RoomAccess access, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        var room = await access.FindReadableAsync(id, http.User.UserId(), cancellationToken);
        return room is null
            ? NotFound(id)
            : Results.Ok(new
            {
                roomId = room.Id,
                name = room.Name,
                visibility = room.Visibility.ToString().ToLowerInvariant(),
                ownerId = room.OwnerId,
                lastSeq = room.LastSeq,
            });
    }

    private static async Task<IResult> MessagesAsync(
        string roomId, long? afterSeq, long? beforeSeq, int? limit, HttpContext http, RoomAccess access,
        MessageHistory history, CancellationToken cancellationToken)
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

        if (afterSeq < 0 || beforeSeq < 1)
        {
            return BadRequest("afterSeq must be 0 or more and beforeSeq 1 or more.");
        }

        if (await access.FindReadableAsync(id, http.User.UserId(), cancellationToken) is null)
        {
            return NotFound(id);
        }

        var messages = await history.ReadAsync(id, afterSeq, beforeSeq, size, cancellationToken);
        return Results.Ok(new { messages });
    }

    private static async Task<IResult> PresenceAsync(
        string roomId, HttpContext http, RoomAccess access, IPresenceStore presence, ChatDbContext db,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        if (await access.FindReadableAsync(id, http.User.UserId(), cancellationToken) is null)
        {
            return NotFound(id);
        }

        var online = await presence.OnlineInRoomAsync(id, cancellationToken);
        var users = await db.Users.AsNoTracking()
            .Where(u => online.Contains(u.Id))
            .Select(u => new { userId = u.Id, username = u.UserName })
            .ToListAsync(cancellationToken);
        return Results.Ok(new { roomId = id, online = users });
    }

    private static IResult InvalidRoomId() => BadRequest("roomId is not a valid room id.");

    private static IResult BadRequest(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");

    private static IResult NotFound(Guid roomId) =>
        Results.Problem($"Room {roomId} does not exist, or it is private and you are not a member.",
            statusCode: StatusCodes.Status404NotFound, title: "Room not found");
}
