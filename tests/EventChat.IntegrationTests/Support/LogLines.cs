using System.Text.RegularExpressions;

namespace EventChat.IntegrationTests.Support;

/// <summary>Reads the console logs of EventChat processes, with or without the timestamp the cluster adds.</summary>
public static partial class LogLines
{
    /// <summary>Whether the line opens an entry logged at Error or Critical.</summary>
    public static bool IsError(string line) => ErrorEntry().IsMatch(line);

    /// <summary>Notes how far every log in <paramref name="directory"/> has got, to read only what comes after.</summary>
    public static Mark MarkNow(string directory) =>
        new(directory, Directory.GetFiles(directory, "*.log").ToDictionary(f => f, f => new FileInfo(f).Length));

    [GeneratedRegex(@"^(\d\d:\d\d:\d\d\.\d{3} )?(fail|crit): ")]
    private static partial Regex ErrorEntry();

    public sealed record Mark(string Directory, IReadOnlyDictionary<string, long> Lengths)
    {
        /// <summary>Every line written since the mark, with the name of its log.</summary>
        public IEnumerable<(string File, string Line)> LinesSince()
        {
            foreach (var file in System.IO.Directory.GetFiles(Directory, "*.log"))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                stream.Seek(Lengths.GetValueOrDefault(file), SeekOrigin.Begin);
                using var reader = new StreamReader(stream);
                while (reader.ReadLine() is { } line)
                {
                    yield return (Path.GetFileName(file), line);
                }
            }
        }

        /// <summary>The error entries written since the mark, each with its log's name.</summary>
        public List<string> ErrorsSince() =>
            LinesSince().Where(l => IsError(l.Line) || l.Line.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase))
                .Select(l => $"{l.File}: {l.Line}")
                .ToList();
    }
}
