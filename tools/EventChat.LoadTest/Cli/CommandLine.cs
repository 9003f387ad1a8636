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
                var isValue = i + 1 < args.Count && args[i + 1] is "true" or "false";
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

    public int Count(string name) => (int)Whole(name);

    public long Whole(string name)
    {
        var text = Text(name);
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name} must be a whole number, not '{text}'.");
    }

    public double Number(string name)
    {
        var text = Text(name);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name} must be a number, not '{text}'.");
    }

    public bool Flag(string name)
    {
        Spec(name);
        return _values.TryGetValue(name, out var value) && bool.Parse(value);
    }

    public bool FlagDefaultOn(string name)
    {
        Spec(name);
        return !_values.TryGetValue(name, out var value) || bool.Parse(value);
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

    private OptionSpec Spec(string name) =>
        _specs.TryGetValue(name, out var spec)
            ? spec
            : throw new InvalidOperationException($"Option --{name} was not declared.");
}
