namespace EventChat.LoadTest.Plot;

/// <summary>One named line of a plot.</summary>
public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);
