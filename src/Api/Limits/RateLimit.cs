namespace EventChat.Api.Limits;

/// <summary>
/// One named limit. <paramref name="What"/> names what is counted, for the answer at the limit. When the shared
/// store cannot be reached, a limit that fails open lets the request through; one that fails closed refuses it.
/// </summary>
public sealed record RateLimit(string Name, string What, RateRule Rule, bool FailOpen);
