namespace EventChat.IntegrationTests.Support;

public sealed record Truncation(long FirstAvailableSeq);
