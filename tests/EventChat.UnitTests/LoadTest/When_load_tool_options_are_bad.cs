using System.Net;
using System.Net.Sockets;
using EventChat.LoadTest;

namespace EventChat.UnitTests.LoadTest;

/// <summary>
/// Every numeric option of every scenario, and the files the tool writes or reads, are checked before anything
/// connects: one <c>error:</c> line and exit code 2. A listener stands in for the edge, so a scenario that got as
/// far as connecting would show up as a pending connection (and an exit code other than 2).
/// </summary>
public sealed class When_load_tool_options_are_bad : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly TcpListener _edge = new(IPAddress.Loopback, 0);
    private readonly string _missingDirectory = Path.Combine(Path.GetTempPath(), $"lt-missing-{Guid.NewGuid():N}");

    public When_load_tool_options_are_bad() => _edge.Start();

    private string Url => $"http://127.0.0.1:{((IPEndPoint)_edge.LocalEndpoint).Port}";

    public static TheoryData<string, string, string> BadNumbers() => new()
    {
        { "chat", "--rate", "NaN" },
        { "chat", "--rate", "Infinity" },
        { "chat", "--rate", "-Infinity" },
        { "chat", "--rate", "0" },
        { "chat", "--rate", "-1" },
        { "chat", "--rate", "fast" },
        { "chat", "--rate", "1e999" },
        { "chat", "--duration", "-5" },
        { "chat", "--duration", "0" },
        { "chat", "--warmup", "-1" },
        { "chat", "--warmup", "NaN" },
        { "chat", "--drain", "-0.5" },
        { "chat", "--users", "0" },
        { "chat", "--users", "1" },
        { "chat", "--users", "2.5" },
        { "chat", "--users", "99999999999" },
        { "chat", "--users", "2147483647" },
        { "chat", "--rooms", "0" },
        { "chat", "--senders", "-1" },
        { "chat", "--connections-per-account", "0" },
        { "chat", "--setup-concurrency", "0" },
        { "chat", "--text-bytes", "-1" },
        { "chat", "--debug-drop-every", "-1" },
        { "chat", "--debug-duplicate-every", "x" },
        { "chat", "--debug-reorder-every", "-3" },
        { "chat", "--check", "maybe" },
        { "fanout", "--rate", "NaN" },
        { "fanout", "--users", "0" },
        { "fanout", "--duration", "-5" },
        { "connections", "--connections", "-1" },
        { "connections", "--connections", "0" },
        { "connections", "--connections-per-account", "0" },
        { "connections", "--hold", "-1" },
        { "connections", "--hold", "NaN" },
        { "connections", "--settle", "Infinity" },
        { "connections", "--setup-concurrency", "0" },
        { "connections", "--force-gc", "maybe" },
        { "persist", "--senders", "0" },
        { "persist", "--inflight", "0" },
        { "persist", "--rooms", "0" },
        { "persist", "--max-rate", "-1" },
        { "persist", "--max-rate", "NaN" },
        { "persist", "--duration", "0" },
        { "persist", "--duration", "-5" },
        { "persist", "--drain", "-1" },
        { "persist", "--setup-concurrency", "0" },
        { "reference", "--duration", "-1" },
        { "reference", "--duration", "NaN" },
        { "chat", "--duration", "1e10" },
        { "chat", "--warmup", "1e10" },
        { "chat", "--drain", "1e10" },
        { "chat", "--rate", "0.0000001" },
        { "fanout", "--duration", "1e10" },
        { "connections", "--hold", "1e10" },
        { "connections", "--settle", "1e10" },
        { "persist", "--duration", "1e10" },
        { "persist", "--drain", "1e10" },
        { "persist", "--max-rate", "1e-10" },
        { "reference", "--duration", "1e10" },
    };

    [Theory]
    [MemberData(nameof(BadNumbers))]
    public async Task Should_refuse_a_bad_number_before_connecting(string scenario, string option, string value)
    {
        var (code, error) = await RunAsync(scenario, "--urls", Url, $"{option}={value}");

        AssertRefused(code, error, option);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("fanout")]
    [InlineData("connections")]
    [InlineData("persist")]
    public async Task Should_refuse_a_csv_file_in_a_missing_directory(string scenario)
    {
        var csv = Path.Combine(_missingDirectory, "figures.csv");

        var (code, error) = await RunAsync(scenario, "--urls", Url, "--csv", csv);

        AssertRefused(code, error, "--csv");
        Assert.False(Directory.Exists(_missingDirectory));
    }

    [Fact]
    public async Task Should_leave_no_file_behind_when_the_csv_check_passes_and_another_option_fails()
    {
        var csv = Path.Combine(Path.GetTempPath(), $"lt-{Guid.NewGuid():N}.csv");

        var (code, error) = await RunAsync("chat", "--urls", Url, "--csv", csv, "--rate", "NaN");

        AssertRefused(code, error, "--rate");
        Assert.False(File.Exists(csv));
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("persist")]
    [InlineData("connections")]
    public async Task Should_refuse_an_empty_url_list(string scenario)
    {
        var (code, error) = await RunAsync(scenario, "--urls", string.Empty);

        AssertRefused(code, error, "--urls");
    }

    [Fact]
    public async Task Should_refuse_rooms_above_users()
    {
        var (code, error) = await RunAsync("chat", "--urls", Url, "--users", "4", "--rooms", "5");

        AssertRefused(code, error, "--rooms");
    }

    [Fact]
    public async Task Should_refuse_to_plot_a_missing_file()
    {
        var missing = Path.Combine(_missingDirectory, "run.json");

        var (code, error) = await RunAsync("plot", missing);

        AssertRefused(code, error, missing);
    }

    [Fact]
    public async Task Should_refuse_to_plot_a_file_that_cannot_be_read()
    {
        // A directory cannot be opened as a file, even by root, who reads files whatever their permissions.
        var directory = Directory.CreateTempSubdirectory("lt-plot-");
        try
        {
            var (code, error) = await RunAsync("plot", directory.FullName);

            AssertRefused(code, error, "is a directory");
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Should_refuse_to_plot_into_a_missing_directory()
    {
        var result = Path.Combine(Path.GetTempPath(), $"lt-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(result, """{"scenario":"chat","target":"eventchat","offeredMsgsPerSec":1}""");
        try
        {
            var (code, error) = await RunAsync("plot", result, "--out", Path.Combine(_missingDirectory, "p.png"));

            AssertRefused(code, error, "--out");
        }
        finally
        {
            File.Delete(result);
        }
    }

    [Theory]
    [InlineData("connections")]
    [InlineData("memory")]
    public async Task Should_refuse_a_word_other_than_true_or_false_after_a_flag(string scenario)
    {
        var (code, error) = await RunAsync(WithUrls(scenario, "--force-gc", "nope"));

        AssertRefused(code, error, "--force-gc");
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("persist")]
    [InlineData("connections")]
    public async Task Should_refuse_a_url_with_a_path(string scenario)
    {
        var (code, error) = await RunAsync(scenario, "--urls", $"{Url}/some/path");

        AssertRefused(code, error, "/some/path");
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("persist")]
    [InlineData("connections")]
    public async Task Should_refuse_a_url_with_credentials_without_repeating_them(string scenario)
    {
        var withCredentials = Url.Replace("http://", "http://operator:hunter2@", StringComparison.Ordinal);

        var (code, error) = await RunAsync(scenario, "--urls", withCredentials);

        AssertRefused(code, error, "user name or password");
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("persist")]
    [InlineData("connections")]
    public async Task Should_say_a_csv_that_is_a_directory_is_a_directory(string scenario)
    {
        var directory = Directory.CreateTempSubdirectory("lt-csv-");
        try
        {
            var (code, error) = await RunAsync(scenario, "--urls", Url, "--csv", directory.FullName);

            AssertRefused(code, error, "is a directory");
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Should_refuse_more_senders_than_users()
    {
        var (code, error) = await RunAsync("chat", "--urls", Url, "--senders", "999", "--users", "10", "--rooms", "2");

        AssertRefused(code, error, "--senders");
    }

    [Theory]
    [InlineData("connections")]
    [InlineData("memory")]
    public async Task Should_refuse_a_pid_that_is_not_an_edge(string scenario)
    {
        var pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, error) = await RunAsync(WithUrls(scenario, "--edge-pids", pid));

        AssertRefused(code, error, "not an EventChat edge");
    }

    [Theory]
    [InlineData("connections")]
    [InlineData("memory")]
    public async Task Should_refuse_a_pid_given_twice(string scenario)
    {
        var pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, error) = await RunAsync(WithUrls(scenario, "--edge-pids", $"{pid},{pid}"));

        AssertRefused(code, error, "twice");
    }

    public void Dispose() => _edge.Dispose();

    private static async Task<(int Code, string Error)> RunAsync(params string[] args)
    {
        using var error = new StringWriter();
        var code = await Commands.RunAsync(args, error).WaitAsync(Bound);
        return (code, error.ToString());
    }

    // The memory command reads pids only and has no --urls.
    private string[] WithUrls(string scenario, params string[] args) =>
        scenario == "memory" ? [scenario, .. args] : [scenario, "--urls", Url, .. args];

    private void AssertRefused(int code, string error, string mentioned)
    {
        Assert.True(code == 2, $"exit code {code}, expected 2; stderr: {error}");
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(mentioned, line, StringComparison.Ordinal);
        Assert.False(_edge.Pending(), "the tool connected to the edge before refusing its options");
    }
}
