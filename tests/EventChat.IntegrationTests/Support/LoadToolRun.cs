using System.Text.Json;

namespace EventChat.IntegrationTests.Support;

/// <summary>One run of the load tool as its own process, with its progress lines and its JSON result.</summary>
public sealed class LoadToolRun(string name, string logDirectory, params string[] args) : IAsyncDisposable
{
    private readonly ManagedProcess _process = new(
        name, RepoPaths.LoadTestDll, args, new Dictionary<string, string>(), Path.Combine(logDirectory, $"{name}.log"));

    public string Output => _process.Output;

    public void Start() => _process.Start();

    /// <summary>Waits until the tool prints a line that holds <paramref name="text"/>, e.g. a phase name.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!_process.Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            Assert.False(_process.HasExited, $"the tool ended before printing '{text}'{Environment.NewLine}{Output}");
            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the tool printed no '{text}' within {timeout}{Environment.NewLine}{Output}");
            }
        }
    }

    /// <summary>The exit code and the result, the last JSON line of stdout.</summary>
    public async Task<(int Code, JsonElement Result, string Json)> FinishAsync(TimeSpan timeout)
    {
        int code;
        try
        {
            code = await _process.WaitForExitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the tool did not finish within {timeout}{Environment.NewLine}{Output}");
            throw;
        }

        var json = _process.Lines.LastOrDefault(l => l.StartsWith('{'));
        Assert.True(
            json is not null, $"the tool printed no JSON result (exit code {code}){Environment.NewLine}{Output}");
        using var document = JsonDocument.Parse(json);
        return (code, document.RootElement.Clone(), json);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
