namespace EventChat.Api.Rooms;

public enum RoomOutcome
{
    /// <summary>The change was made, and its event appended.</summary>
    Done,

    /// <summary>The room was already in the state asked for; nothing was appended.</summary>
    Unchanged,

    /// <summary>The room, user or membership does not exist, or the caller may not see it.</summary>
    NotFound,

    /// <summary>The caller's role does not allow it.</summary>
    Forbidden,

    /// <summary>The room's state rules it out, such as an owner leaving before handing over.</summary>
    Conflict,
}

/// <summary>The outcome of a membership or room change, with the reason a refused one gives its caller.</summary>
public sealed record RoomResult(RoomOutcome Outcome, string? Error = null)
{
    public static readonly RoomResult Done = new(RoomOutcome.Done);
    public static readonly RoomResult Unchanged = new(RoomOutcome.Unchanged);

    public bool Succeeded => Outcome is RoomOutcome.Done or RoomOutcome.Unchanged;

    public static RoomResult NotFound(string error) => new(RoomOutcome.NotFound, error);

    public static RoomResult Forbidden(string error) => new(RoomOutcome.Forbidden, error);

    public static RoomResult Conflict(string error) => new(RoomOutcome.Conflict, error);

    public static string RoleName(Infrastructure.Data.Entities.RoomRole role) => role.ToString().ToLowerInvariant();
}
