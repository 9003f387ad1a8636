using System.Globalization;
using System.Text;
using EventChat.Api.Auth;
using EventChat.Api.Chat;
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
    public const int MaxEventPageSize = 500;
    public const int MaxRetentionDays = 36_500;

    public static void MapRoomEndpoints(this IEndpointRouteBuilder app)
    {
        var rooms = app.MapGroup("/api/rooms").RequireAuthorization();
        rooms.MapPost("/", CreateAsync);
        rooms.MapGet("/", ListAsync);
        rooms.MapGet("/search", SearchAsync);
        rooms.MapGet("/{roomId}", GetAsync);
        rooms.MapPatch("/{roomId}", UpdateAsync);
        rooms.MapPost("/{roomId}/join", JoinAsync);
        rooms.MapPost("/{roomId}/leave", LeaveAsync);
        rooms.MapPut("/{roomId}/mute", MuteAsync);
        rooms.MapGet("/{roomId}/members", MembersAsync);
        rooms.MapPost("/{roomId}/members", AddMemberAsync);
        rooms.MapDelete("/{roomId}/members/{userId}", RemoveMemberAsync);
        rooms.MapPut("/{roomId}/members/{userId}/role", ChangeRoleAsync);
        rooms.MapGet("/{roomId}/messages", MessagesAsync);
        rooms.MapGet("/{roomId}/messages/{messageId}/replies", RepliesAsync);
        rooms.MapGet("/{roomId}/events", EventsAsync);
        rooms.MapGet("/{roomId}/presence", PresenceAsync);

        var direct = app.MapGroup("/api/dms").RequireAuthorization();
        direct.MapPost("/", OpenDirectAsync);
        direct.MapPost("/group", OpenGroupAsync);
    }

    /// <summary>
    /// The name rule for rooms: 1 to <see cref="MaxRoomNameLength"/> characters after trimming, at least one of which
    /// shows, and none of them a control, an unpaired surrogate or an invisible format character such as a
    /// direction override, which could make a name read as another. The zero-width joiner of emoji is allowed.
    /// </summary>
    public static string? CheckName(string? name, out string trimmed)
    {
        trimmed = name?.Trim() ?? string.Empty;
        return trimmed.Length == 0 || trimmed.EnumerateRunes().Count() > MaxRoomNameLength
            || !MessageRules.ShowsSomething(trimmed) || MessageRules.HasUnpairedSurrogate(trimmed)
            || trimmed.EnumerateRunes().Any(IsHidden)
                ? $"name must be 1 to {MaxRoomNameLength} printable characters, without invisible or direction-changing ones."
                : null;
    }

    private static bool IsHidden(Rune rune) =>
        Rune.IsControl(rune) || (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format && rune.Value != 0x200D);

    private static async Task<IResult> CreateAsync(
        CreateRoomRequest body, HttpContext http, RoomAccess access, CancellationToken cancellationToken)
    {
        if (CheckName(body.Name, out var name) is string problem)
        {
            return BadRequest(problem);
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

    /// <summary>The caller's rooms, each with its unread count (others' messages past the read watermark) and newest message.</summary>
    private static async Task<IResult> ListAsync(HttpContext http, ChatDbContext db, CancellationToken cancellationToken)
    {
        var me = http.User.UserId();
        var mine = await (
                from member in db.RoomMembers.AsNoTracking()
                join room in db.Rooms.AsNoTracking() on member.RoomId equals room.Id
                where member.UserId == me
                select new { room, member })
            .ToListAsync(cancellationToken);
        var unread = await db.Messages.AsNoTracking()
            .Where(m => m.DeletedAt == null && m.SenderId != me
                        && db.RoomMembers.Any(x => x.UserId == me && x.RoomId == m.RoomId && m.Seq > x.LastReadSeq))
            .GroupBy(m => m.RoomId)
            .Select(g => new { RoomId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.RoomId, x => x.Count, cancellationToken);
        var roomIds = mine.Select(x => x.room.Id).ToList();
        var newest = await db.Messages.AsNoTracking()
            .Where(m => roomIds.Contains(m.RoomId) && m.DeletedAt == null
                        && m.Seq == db.Messages.Where(n => n.RoomId == m.RoomId && n.DeletedAt == null).Max(n => n.Seq))
            .ToDictionaryAsync(m => m.RoomId, cancellationToken);

        var rooms = mine
            .OrderByDescending(x => newest.TryGetValue(x.room.Id, out var m) ? m.PostedAt : x.room.CreatedAt)
            .Select(x => new
            {
                roomId = x.room.Id,
                name = x.room.Name,
                kind = KindName(x.room.Kind),
                visibility = VisibilityName(x.room.Visibility),
                role = RoomResult.RoleName(x.member.Role),
                lastSeq = x.room.LastSeq,
                lastReadSeq = x.member.LastReadSeq,
                unreadCount = unread.GetValueOrDefault(x.room.Id),
                muted = x.member.Muted,
                lastMessage = newest.TryGetValue(x.room.Id, out var m)
                    ? new { messageId = m.MessageId, seq = m.Seq, senderId = m.SenderId, senderName = m.SenderName, text = m.Text, postedAt = m.PostedAt }
                    : null,
            });
        return Results.Ok(new { rooms });
    }

    private static async Task<IResult> SearchAsync(
        string? q, int? limit, ChatDbContext db, CancellationToken cancellationToken)
    {
        var text = q?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxRoomNameLength
            || MessageRules.HasControlOrUnpairedSurrogate(text))
        {
            return BadRequest($"q must be 1 to {MaxRoomNameLength} characters, none of them a control character.");
        }

        var size = limit ?? 20;
        if (size is < 1 or > 50)
        {
            return BadRequest("limit must be between 1 and 50.");
        }

        var needle = text.ToLowerInvariant();
        var rooms = await db.Rooms.AsNoTracking()
            .Where(r => r.Visibility == RoomVisibility.Public && r.Kind == RoomKind.Channel
                        && r.NormalizedName.Contains(needle))
            .OrderBy(r => r.NormalizedName)
            .Take(size)
            .Select(r => new { roomId = r.Id, name = r.Name, lastSeq = r.LastSeq })
            .ToListAsync(cancellationToken);
        return Results.Ok(new { rooms });
    }

    private static async Task<IResult> GetAsync(
        string roomId, HttpContext http, RoomAccess access, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        var room = await access.FindReadableAsync(id, http.User.UserId(), cancellationToken);
        return room is null ? NotFound(id) : Results.Ok(Describe(room));
    }

    private static async Task<IResult> UpdateAsync(
        string roomId, UpdateRoomRequest body, HttpContext http, RoomAccess access, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        string? name = null;
        if (body.Name is not null)
        {
            if (CheckName(body.Name, out var trimmed) is string problem)
            {
                return BadRequest(problem);
            }

            name = trimmed;
        }

        if (body.RetentionDays is < 0 or > MaxRetentionDays)
        {
            return BadRequest($"retentionDays must be between 1 and {MaxRetentionDays}, or 0 to keep events forever.");
        }

        if (name is null && body.RetentionDays is null)
        {
            return BadRequest("Give name, retentionDays or both.");
        }

        var result = await access.UpdateAsync(id, http.User.UserId(), http.User.UserName(), name, body.RetentionDays,
            cancellationToken);
        if (!result.Succeeded)
        {
            return Refused(result);
        }

        var room = await access.FindReadableAsync(id, http.User.UserId(), cancellationToken);
        return room is null ? NotFound(id) : Results.Ok(Describe(room));
    }

    private static Task<IResult> JoinAsync(
        string roomId, HttpContext http, RoomAccess access, CancellationToken cancellationToken) =>
        ChangeAsync(roomId, id => access.JoinAsync(id, http.User.UserId(), http.User.UserName(), cancellationToken));

    private static Task<IResult> LeaveAsync(
        string roomId, HttpContext http, RoomAccess access, CancellationToken cancellationToken) =>
        ChangeAsync(roomId, id => access.LeaveAsync(id, http.User.UserId(), http.User.UserName(), cancellationToken));

    private static async Task<IResult> MuteAsync(
        string roomId, MuteRequest body, HttpContext http, RoomAccess access, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        if (body.Muted is not bool muted)
        {
            return BadRequest("muted must be true or false.");
        }

        return await access.SetMutedAsync(id, http.User.UserId(), muted, cancellationToken)
            ? Results.NoContent()
            : Results.Problem($"You are not a member of room {id}, or it does not exist.",
                statusCode: StatusCodes.Status404NotFound);
    }

    /// <summary>The members with their roles and read watermarks, from which clients show "read by".</summary>
    private static async Task<IResult> MembersAsync(
        string roomId, HttpContext http, RoomAccess access, ChatDbContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        if (await access.FindReadableAsync(id, http.User.UserId(), cancellationToken) is null)
        {
            return NotFound(id);
        }

        var rows = await (
                from member in db.RoomMembers.AsNoTracking()
                join user in db.Users.AsNoTracking() on member.UserId equals user.Id
                where member.RoomId == id
                select new { member.UserId, user.UserName, member.Role, member.JoinedAt, member.LastReadSeq })
            .ToListAsync(cancellationToken);
        // Sorted here: SQLite, the embedded default, cannot order by a DateTimeOffset column.
        var members = rows.OrderBy(m => m.JoinedAt).Select(m => new
        {
            userId = m.UserId,
            userName = m.UserName,
            role = RoomResult.RoleName(m.Role),
            joinedAt = m.JoinedAt,
            lastReadSeq = m.LastReadSeq,
        });
        return Results.Ok(new { members });
    }

    private static Task<IResult> AddMemberAsync(
        string roomId, AddMemberRequest body, HttpContext http, RoomAccess access, CancellationToken cancellationToken) =>
        body.UserId is Guid userId
            ? ChangeAsync(roomId, id => access.AddMemberAsync(id, http.User.UserId(), http.User.UserName(), userId,
                cancellationToken))
            : Task.FromResult(BadRequest("userId must be a user id."));

    private static Task<IResult> RemoveMemberAsync(
        string roomId, string userId, HttpContext http, RoomAccess access, CancellationToken cancellationToken) =>
        Guid.TryParse(userId, out var user)
            ? ChangeAsync(roomId, id => access.RemoveMemberAsync(id, http.User.UserId(), http.User.UserName(), user,
                cancellationToken))
            : Task.FromResult(BadRequest("userId must be a user id."));

    private static Task<IResult> ChangeRoleAsync(
        string roomId, string userId, ChangeRoleRequest body, HttpContext http, RoomAccess access,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(userId, out var user))
        {
            return Task.FromResult(BadRequest("userId must be a user id."));
        }

        if (body.Role?.ToLowerInvariant() is not ("owner" or "admin" or "member") || !Enum.TryParse<RoomRole>(
                body.Role, ignoreCase: true, out var role))
        {
            return Task.FromResult(BadRequest("role must be \"owner\", \"admin\" or \"member\"."));
        }

        return ChangeAsync(roomId, id => access.ChangeRoleAsync(id, http.User.UserId(), http.User.UserName(), user,
            role, cancellationToken));
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

    private static async Task<IResult> RepliesAsync(
        string roomId, string messageId, int? limit, HttpContext http, RoomAccess access, MessageHistory history,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        if (!Guid.TryParse(messageId, out var parent))
        {
            return BadRequest("messageId is not a valid message id.");
        }

        var size = limit ?? MaxPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            return BadRequest($"limit must be between 1 and {MaxPageSize}.");
        }

        if (await access.FindReadableAsync(id, http.User.UserId(), cancellationToken) is null)
        {
            return NotFound(id);
        }

        if (await history.FindAsync(id, parent, cancellationToken) is null)
        {
            return Results.Problem($"Message {parent} is not in room {id}.", statusCode: StatusCodes.Status404NotFound,
                title: "Message not found");
        }

        var messages = await history.RepliesAsync(id, parent, size, cancellationToken);
        return Results.Ok(new { messages });
    }

    private static async Task<IResult> EventsAsync(
        string roomId, long? afterSeq, int? limit, HttpContext http, RoomAccess access, EventHistory events,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        var size = limit ?? 100;
        if (size is < 1 or > MaxEventPageSize)
        {
            return BadRequest($"limit must be between 1 and {MaxEventPageSize}.");
        }

        if (afterSeq < 0)
        {
            return BadRequest("afterSeq must be 0 or more.");
        }

        if (await access.FindReadableAsync(id, http.User.UserId(), cancellationToken) is null)
        {
            return NotFound(id);
        }

        return Results.Ok(new CatchUpBudget().Take(await events.ReadAsync(id, afterSeq ?? 0, size, cancellationToken)));
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

        // Filtered by membership too: a member who just left may still hold a connection that followed the room.
        var online = await presence.OnlineInRoomAsync(id, cancellationToken);
        var users = await db.Users.AsNoTracking()
            .Where(u => online.Contains(u.Id) && db.RoomMembers.Any(m => m.RoomId == id && m.UserId == u.Id))
            .Select(u => new { userId = u.Id, username = u.UserName })
            .ToListAsync(cancellationToken);
        return Results.Ok(new { roomId = id, online = users });
    }

    private static async Task<IResult> OpenDirectAsync(
        OpenDirectRequest body, HttpContext http, RoomAccess access, CancellationToken cancellationToken)
    {
        var me = http.User.UserId();
        if (body.UserId is not Guid other || other == me)
        {
            return BadRequest("userId must be another user's id.");
        }

        var opened = await access.OpenDirectAsync(me, other, cancellationToken);
        if (opened is not var (roomId, created))
        {
            return Results.Problem($"User {other} does not exist.", statusCode: StatusCodes.Status404NotFound,
                title: "User not found");
        }

        var answer = new { roomId, kind = KindName(RoomKind.Direct) };
        return created ? Results.Created($"/api/rooms/{roomId}", answer) : Results.Ok(answer);
    }

    private static async Task<IResult> OpenGroupAsync(
        OpenGroupRequest body, HttpContext http, RoomAccess access, CancellationToken cancellationToken)
    {
        var me = http.User.UserId();
        var others = body.UserIds?.Where(u => u != me).Distinct().ToList() ?? [];
        if (others.Count is < 2 or > RoomAccess.MaxGroupSize)
        {
            return BadRequest($"userIds must name 2 to {RoomAccess.MaxGroupSize} other users.");
        }

        var roomId = await access.CreateGroupAsync(me, others, cancellationToken);
        return roomId is null
            ? Results.Problem("One of userIds is not a user.", statusCode: StatusCodes.Status404NotFound,
                title: "User not found")
            : Results.Created($"/api/rooms/{roomId}", new { roomId, kind = KindName(RoomKind.Group) });
    }

    internal static async Task<IResult> ChangeAsync(string roomId, Func<Guid, Task<RoomResult>> change)
    {
        if (!Guid.TryParse(roomId, out var id))
        {
            return InvalidRoomId();
        }

        var result = await change(id);
        return result.Succeeded ? Results.NoContent() : Refused(result);
    }

    private static object Describe(Room room) => new
    {
        roomId = room.Id,
        name = room.Name,
        kind = KindName(room.Kind),
        visibility = VisibilityName(room.Visibility),
        ownerId = room.Kind == RoomKind.Direct ? (Guid?)null : room.OwnerId,
        lastSeq = room.LastSeq,
        firstSeq = room.FirstSeq,
        retentionDays = room.RetentionDays,
    };

    public static string KindName(RoomKind kind) => kind.ToString().ToLowerInvariant();

    private static string VisibilityName(RoomVisibility visibility) => visibility.ToString().ToLowerInvariant();

    internal static IResult Refused(RoomResult result) => result.Outcome switch
    {
        RoomOutcome.NotFound => Results.Problem(result.Error, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        RoomOutcome.Forbidden => Results.Problem(result.Error, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed"),
        _ => Results.Problem(result.Error, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
    };

    internal static IResult InvalidRoomId() => BadRequest("roomId is not a valid room id.");

    internal static IResult BadRequest(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");

    internal static IResult NotFound(Guid roomId) =>
        Results.Problem($"Room {roomId} does not exist, or it is private and you are not a member.",
            statusCode: StatusCodes.Status404NotFound, title: "Room not found");
}
