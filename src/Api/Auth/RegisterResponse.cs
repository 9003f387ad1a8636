namespace EventChat.Api.Auth;

public sealed record RegisterResponse(Guid UserId, string Username);
