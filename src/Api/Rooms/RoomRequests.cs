namespace EventChat.Api.Rooms;

public sealed record UpdateRoomRequest(string? Name, int? RetentionDays);

public sealed record AddMemberRequest(Guid? UserId);

public sealed record ChangeRoleRequest(string? Role);

public sealed record MuteRequest(bool? Muted);

public sealed record OpenDirectRequest(Guid? UserId);

public sealed record OpenGroupRequest(IReadOnlyList<Guid>? UserIds);
