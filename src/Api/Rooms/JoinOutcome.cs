namespace EventChat.Api.Rooms;

public enum JoinOutcome
{
    NotFound,
    AlreadyMember,
    Joined,
}
