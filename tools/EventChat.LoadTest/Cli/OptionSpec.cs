namespace EventChat.LoadTest.Cli;

/// <summary>One command-line option: its name without dashes, default (null for a flag) and help text.</summary>
public sealed record OptionSpec(string Name, string? Default, string Help);
