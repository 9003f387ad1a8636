using System.Text;

namespace EventChat.IntegrationTests.Support;

/// <summary>
/// Generates what a hostile or broken client sends: values of every JSON type where one was expected, ids that
/// belong to others, oversized and odd Unicode text, injection-looking strings, and malformed SignalR frames.
/// Seeded, so a failure names the seed that reproduces it.
/// </summary>
public sealed class HostileInput(int seed, IReadOnlyList<string> knownIds)
{
    private static readonly string[] Injections =
    [
        "'; DROP TABLE messages; --",
        "\" OR \"1\"=\"1",
        "1; SELECT pg_sleep(10)",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "{{7*7}}",
        "${jndi:ldap://127.0.0.1:1/a}",
        "../../../../etc/passwd",
        "..%2f..%2fetc%2fpasswd",
        "%00",
        "\r\nX-Injected: yes",
        "*",
        "$where",
        "{\"$gt\":\"\"}",
        "EventChat.Api.Chat.ChatHub:all",
        "__proto__",
    ];

    private static readonly string[] OddUnicode =
    [
        "\u202Egnp.exe",
        "zero\u200Bwidth\u200D\u2060joined",
        "Z\u0337\u0322\u031B\u032A\u0353\u0300\u0301\u0302\u0303\u0304\u0305",
        "\uFEFFbom",
        "\uD800",
        "\uDFFF\uD800",
        "\uFFFF\uFFFE",
        "\uE000private",
        "\U0001F469\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466",
        "\u0000",
        "\u001B[31mred",
        "ﬀ ＡＢＣ 𝐀𝐁𝐂",
        "\u0627\u0644\u0639\u0631\u0628\u064A\u0629",
    ];

    private readonly Random _random = new(seed);

    public int Seed => seed;

    public int Next(int max) => _random.Next(max);

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>Any JSON value, small enough to fit one SignalR frame.</summary>
    public object? Value(int depth = 0) => _random.Next(depth > 3 ? 10 : 14) switch
    {
        0 => null,
        1 => Pick<object>([0, -1, 1, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue]),
        2 => Pick<object>([0.5, -1e308, double.Epsilon, 1e21]),
        3 => _random.Next(2) == 0,
        4 or 5 => Pick(knownIds),
        6 => Guid.NewGuid().ToString(),
        7 => Text(),
        8 => Pick(Injections),
        9 => Pick(OddUnicode),
        10 or 11 => Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth + 1)).ToArray(),
        _ => Enumerable.Range(0, _random.Next(4))
            .ToDictionary(i => Pick(["roomId", "afterSeq", "text", "id", "", "$type", $"k{i}"]) + i, _ => Value(depth + 1)),
    };

    /// <summary>Text of every length up to well past the message limit.</summary>
    public string Text() => _random.Next(5) switch
    {
        0 => "",
        1 => "   ",
        2 => new string('x', _random.Next(3_990, 4_010)),
        3 => new string('\u00E9', _random.Next(20_000, 60_000)),
        _ => string.Concat(Enumerable.Range(0, _random.Next(1, 40)).Select(_ => Pick(OddUnicode))),
    };

    /// <summary>A string that lands in a URL path segment.</summary>
    public string PathSegment() => _random.Next(6) switch
    {
        0 => Pick(knownIds),
        1 => Guid.NewGuid().ToString(),
        2 => Uri.EscapeDataString(Pick(Injections)),
        3 => Uri.EscapeDataString(Pick(OddUnicode)),
        4 => Pick(["-1", "0", "99999999999999999999", "null", "undefined", "%", "%ZZ", "..", "%2e%2e"]),
        _ => new string('a', _random.Next(1, 5_000)),
    };

    /// <summary>A request body as raw bytes with the content type it claims.</summary>
    public (byte[] Body, string? ContentType) Body(Func<object?, string> serialize) => _random.Next(9) switch
    {
        0 => ([], "application/json"),
        1 => ("{not json"u8.ToArray(), "application/json"),
        2 => ([0xC3, 0x28, 0x7B, 0xFF, 0xFE, 0x22], "application/json"),
        3 => (Encoding.UTF8.GetBytes(serialize(Value())), Pick(["application/json", "text/plain", "application/xml", null])),
        4 => (Encoding.UTF8.GetBytes(new string('[', 5_000) + new string(']', 5_000)), "application/json"),
        5 => (Encoding.UTF8.GetBytes($"{{\"name\":\"{new string('n', 2_000_000)}\"}}"), "application/json"),
        6 => ("{\"username\":5,\"password\":[],\"name\":{},\"visibility\":7,\"userId\":\"x\",\"role\":null}"u8.ToArray(),
            "application/json"),
        7 => ("\uFEFF{\"name\":\"bom\"}"u8.ToArray(), "application/json; charset=utf-16"),
        _ => (Encoding.UTF8.GetBytes(serialize(Enumerable.Range(0, 6)
            .Select(_ => Pick(["name", "visibility", "userId", "role", "invisible", "username", "password", "members"]))
            .Distinct()
            .ToDictionary(key => key, _ => Value()))), "application/json"),
    };

    /// <summary>One malformed thing a raw WebSocket client can send, and whether a handshake goes first.</summary>
    public (bool Handshake, byte[] Frame, bool Binary) Frame() => _random.Next(12) switch
    {
        0 => (_random.Next(2) == 0, RandomBytes(_random.Next(1, 2_000)), _random.Next(2) == 0),
        1 => (true, [0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0x1E], false),
        2 => (true, "{\"type\":1,\"target\":\"SendMessage\",\"arguments\":"u8.ToArray(), false),
        3 => (true, "{\"type\":1,\"target\":\"SendMessage\",\"arguments\":[\"a\"\u001e"u8.ToArray(), false),
        // An unknown message type is left out: the protocol has clients ignore those for later versions, and SignalR
        // then holds the connection until its client timeout closes it, which is right but slow to test.
        4 => (true, "{\"type\":1,\"arguments\":[]}\u001e"u8.ToArray(), false),
        5 => (true, Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{new string('i', 100_000)}\",\"target\":\"Typing\",\"arguments\":[\"x\"]}}\u001e"), false),
        6 => (true, Encoding.UTF8.GetBytes("{\"type\":1,\"target\":\"SendMessage\",\"arguments\":" + new string('[', 10_000) + new string(']', 10_000) + "}\u001e"), false),
        7 => (false, Encoding.UTF8.GetBytes(Pick(["{\"protocol\":\"messagepack\",\"version\":1}\u001e", "{\"protocol\":\"json\",\"version\":99}\u001e", "{\"protocol\":5}\u001e", "{}\u001e", "\u001e", "null\u001e"])), false),
        8 => (true, "{\"type\":\"1\",\"target\":5,\"arguments\":{}}\u001e"u8.ToArray(), false),
        9 => (true, Encoding.UTF8.GetBytes(new string('\u001e', 5_000)), false),
        10 => (true, Encoding.UTF8.GetBytes($"{{\"type\":1,\"target\":\"SendMessage\",\"arguments\":[\"{new string('x', 2_000_000)}\"]}}\u001e"), false),
        _ => (true, "{\"type\":4,\"invocationId\":\"1\",\"target\":\"Sync\",\"arguments\":[[]]}\u001e{\"type\":5,\"invocationId\":\"1\"}\u001e{\"type\":7}\u001e"u8.ToArray(), false),
    };

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }
}
