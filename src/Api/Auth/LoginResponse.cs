namespace EventChat.Api.Auth;

public sealed record LoginResponse(string AccessToken, string RefreshToken, int ExpiresIn, Guid UserId, string Username);
