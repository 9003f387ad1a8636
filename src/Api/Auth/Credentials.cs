namespace EventChat.Api.Auth;

public sealed record Credentials(string? Username, string? Password);
