namespace EventChat.Api.Auth;

public sealed record RefreshRequest(string? RefreshToken);
