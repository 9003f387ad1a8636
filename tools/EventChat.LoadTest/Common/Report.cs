using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventChat.LoadTest.Common;

/// <summary>
/// The figures of one run, in the order they were added: printed as a table, then as one line of JSON that is
/// always the last line of stdout so scripts can take it with <c>tail -n 1</c>.
/// </summary>
public sealed class Report
{
    private readonly List<KeyValuePair<string, JsonNode?>> _rows = [];
    private readonly List<string> _notes = [];
    private readonly List<string> _verdicts = [];

    public void Add(string key, long value) => _rows.Add(new(key, JsonValue.Create(value)));

    public void Add(string key, double value) =>
        _rows.Add(new(key, JsonValue.Create(double.IsFinite(value) ? Math.Round(value, 3) : 0)));

    /// <summary>A figure that may be missing: null in the JSON, n/a in the table.</summary>
    public void Add(string key, double? value)
    {
        if (value is { } figure)
        {
            Add(key, figure);
        }
        else
        {
            _rows.Add(new(key, null));
        }
    }

    public void Add(string key, string? value) => _rows.Add(new(key, value is null ? null : JsonValue.Create(value)));

    public void Add(string key, bool value) => _rows.Add(new(key, JsonValue.Create(value)));

    /// <summary>Counts by reason, as a JSON object and as one indented table row per reason.</summary>
    public void Add(string key, IReadOnlyList<KeyValuePair<string, long>> counts)
    {
        var json = new JsonObject();
        foreach (var (reason, count) in counts)
        {
            json[reason] = count;
        }

        _rows.Add(new(key, json));
    }

    public void Note(string note) => _notes.Add(note);

    /// <summary>A line printed under the table, before the notes: the run's outcome in words.</summary>
    public void Verdict(string verdict) => _verdicts.Add(verdict);

    public void Write(TextWriter writer)
    {
        var width = _rows.Count == 0 ? 10 : _rows.Max(r => r.Key.Length);
        writer.WriteLine();
        writer.WriteLine($"{"figure".PadRight(width)}  value");
        writer.WriteLine($"{new string('-', width)}  {new string('-', 20)}");
        foreach (var (key, value) in _rows)
        {
            if (value is JsonObject counts)
            {
                writer.WriteLine($"{key.PadRight(width)}  {(counts.Count == 0 ? "none" : string.Empty)}");
                foreach (var (reason, count) in counts)
                {
                    writer.WriteLine($"{string.Empty.PadRight(width)}  {Format(count),8}  {reason}");
                }

                continue;
            }

            writer.WriteLine($"{key.PadRight(width)}  {Format(value)}");
        }

        foreach (var verdict in _verdicts)
        {
            writer.WriteLine($"verdict: {verdict}");
        }

        foreach (var note in _notes)
        {
            writer.WriteLine($"note: {note}");
        }

        var json = new JsonObject();
        foreach (var (key, value) in _rows)
        {
            json[key] = value?.DeepClone();
        }

        json["notes"] = new JsonArray(_notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        writer.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        writer.Flush();
    }

    private static string Format(JsonNode? value) => value switch
    {
        null => "n/a",
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("0.###", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString("N0", CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
