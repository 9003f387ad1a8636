namespace EventChat.IntegrationTests.Support;

public sealed record Reaction(string Emoji, int Count);
