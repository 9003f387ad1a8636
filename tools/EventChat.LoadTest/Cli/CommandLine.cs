using System.Globalization;

namespace EventChat.LoadTest.Cli;

/// <summary>
/// Reads <c>--name value</c> and <c>--flag</c> options against a declared list, so that a typo is an error
/// instead of a silently ignored setting.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, OptionSpec> _specs;

    private CommandLine(IReadOnlyList<OptionSpec> specs)
    {
        _specs = specs.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The longest wait any option may ask for: 7 days.</summary>
    public const double MaxSeconds = 7 * 24 * 3600;

    public IList<string> Positional { get; } = new List<string>();

    public bool HelpRequested { get; private set; }

    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs)
    {
        var line = new CommandLine(specs);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                line.HelpRequested = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                line.Positional.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? inline = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }

            if (!line._specs.TryGetValue(name, out var spec))
            {
                throw new UsageException($"Unknown option --{name}.");
            }

            if (spec.Default is null && inline is null)
            {
                // A word after a flag is its value, so that '--force-gc nope' is refused rather than dropped.
                var isValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                line._values[name] = isValue ? args[++i] : "true";
                continue;
            }

            if (inline is null && i + 1 >= args.Count)
            {
                throw new UsageException($"Option --{name} needs a value.");
            }

            line._values[name] = inline ?? args[++i];
        }

        return line;
    }

    public string Text(string name)
    {
        var spec = Spec(name);
        return _values.TryGetValue(name, out var value) ? value : spec.Default ?? string.Empty;
    }

    public string? Optional(string name) =>
        _values.TryGetValue(name, out var value) && value.Length > 0 ? value
            : string.IsNullOrEmpty(Spec(name).Default) ? null : Spec(name).Default;

    /// <summary>A whole number that fits an <see cref="int"/> and is at least <paramref name="min"/>.</summary>
    /// <summary>More of anything (users, rooms, connections, senders) than one run could ever set up.</summary>
    public const int MaxCount = 1_000_000;

    public int Count(string name, int min = 0) => (int)Whole(name, min, MaxCount);

    /// <summary>A whole number that is at least <paramref name="min"/>.</summary>
    public long Whole(string name, long min = 0, long max = long.MaxValue)
    {
        var text = Text(name);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new UsageException($"--{name} must be a whole number, not '{text}'.");
        }

        return value >= min && value <= max
            ? value
            : throw new UsageException($"--{name} must be {Range(min, max)}, not '{text}'.");
    }

    /// <summary>A finite number that is at least <paramref name="min"/>: NaN and infinities are refused.</summary>
    public double Number(string name, double min = 0)
    {
        var value = Finite(name);
        return value >= min
            ? value
            : throw new UsageException(
                $"--{name} must be {min.ToString(CultureInfo.InvariantCulture)} or more, not '{Text(name)}'.");
    }

    /// <summary>A finite number above zero.</summary>
    public double Positive(string name)
    {
        var value = Finite(name);
        return value > 0 ? value : throw new UsageException($"--{name} must be above 0, not '{Text(name)}'.");
    }

    /// <summary>
    /// Seconds to wait, from zero (or above zero when <paramref name="allowZero"/> is false) to
    /// <see cref="MaxSeconds"/>, so that every wait fits a timer.
    /// </summary>
    public double Seconds(string name, bool allowZero = true)
    {
        var value = allowZero ? Number(name) : Positive(name);
        return value <= MaxSeconds
            ? value
            : throw new UsageException($"--{name} must be at most {MaxSeconds:0} seconds (7 days), not '{Text(name)}'.");
    }

    /// <summary>
    /// A rate per second above zero whose interval, 1 / rate times <paramref name="perInterval"/>, is at most
    /// <see cref="MaxSeconds"/>; zero too when <paramref name="zeroMeansNone"/>.
    /// </summary>
    public double Rate(string name, double perInterval = 1, bool zeroMeansNone = false)
    {
        var value = zeroMeansNone ? Number(name) : Positive(name);
        return value == 0 || perInterval / value <= MaxSeconds
            ? value
            : throw new UsageException(
                $"--{name} is so low that one message would wait more than 7 days, not '{Text(name)}'.");
    }

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public bool Boolean(string name) => ParseBool(name, Text(name));

    public bool Flag(string name)
    {
        Spec(name);
        return _values.TryGetValue(name, out var value) && ParseBool(name, value);
    }

    public bool FlagDefaultOn(string name)
    {
        Spec(name);
        return !_values.TryGetValue(name, out var value) || ParseBool(name, value);
    }

    /// <summary>
    /// An optional file to write, opened once here so that a missing directory or a read-only place is refused
    /// before the run starts rather than after minutes of set-up.
    /// </summary>
    public string? WritableFile(string name)
    {
        var path = Optional(name);
        if (path is null)
        {
            return null;
        }

        if (Directory.Exists(path))
        {
            throw new UsageException($"--{name}: '{path}' is a directory; give a file name.");
        }

        var existed = File.Exists(path);
        try
        {
            using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
            {
            }

            if (!existed)
            {
                File.Delete(path);
            }

            return path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException
                                       or NotSupportedException)
        {
            throw new UsageException($"--{name}: cannot write '{path}': {ex.Message}");
        }
    }

    public IReadOnlyList<string> List(string name) =>
        Text(name).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static void PrintHelp(TextWriter writer, string usage, string summary, IReadOnlyList<OptionSpec> specs)
    {
        writer.WriteLine($"usage: {usage}");
        writer.WriteLine();
        writer.WriteLine(summary);
        writer.WriteLine();
        writer.WriteLine("options:");
        foreach (var spec in specs)
        {
            var left = spec.Default is null ? $"--{spec.Name}" : $"--{spec.Name} <v>";
            var def = string.IsNullOrEmpty(spec.Default) ? string.Empty : $" (default {spec.Default})";
            writer.WriteLine($"  {left,-26} {spec.Help}{def}");
        }
    }

    private static string Range(long min, long max) =>
        max == long.MaxValue
            ? $"{min.ToString(CultureInfo.InvariantCulture)} or more"
            : $"from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";

    private static bool ParseBool(string name, string value) =>
        bool.TryParse(value, out var result)
            ? result
            : throw new UsageException($"--{name} must be true or false, not '{value}'.");

    private double Finite(string name)
    {
        var text = Text(name);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
               && double.IsFinite(value)
            ? value
            : throw new UsageException($"--{name} must be a finite number, not '{text}'.");
    }

    private OptionSpec Spec(string name) =>
        _specs.TryGetValue(name, out var spec)
            ? spec
            : throw new InvalidOperationException($"Option --{name} was not declared.");
}
