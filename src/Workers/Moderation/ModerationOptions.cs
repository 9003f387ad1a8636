namespace EventChat.Workers.Moderation;

public sealed class ModerationOptions
{
    /// <summary>Words refused as whole words, compared case-insensitively after Unicode normalisation.</summary>
    public List<string> BlockedWords { get; set; } = [];

    /// <summary>How many messages one user may send per <see cref="FloodWindow"/> before the rest are refused.</summary>
    public int FloodLimit { get; set; } = 30;

    public TimeSpan FloodWindow { get; set; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (FloodLimit < 1)
        {
            throw new InvalidOperationException("Moderation:FloodLimit must be at least 1.");
        }

        if (FloodWindow <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Moderation:FloodWindow must be positive.");
        }
    }
}
