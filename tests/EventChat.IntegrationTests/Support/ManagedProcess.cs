using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventChat.IntegrationTests.Support;

/// <summary>One EventChat executable run as a real OS process, with its output kept for failure messages.</summary>
public sealed class ManagedProcess(
    string name,
    string dll,
    IReadOnlyList<string> args,
    IReadOnlyDictionary<string, string> env,
    string? logFile = null,
    string? workingDirectory = null)
    : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly Lock _logLock = new();
    private Process? _process;

    public string Name => name;

    public int Id => _process?.Id ?? 0;

    public bool HasExited => _process is null || _process.HasExited;

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The test runner's own settings must not leak into the product's configuration.
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {name}.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, exactly what a crash looks like to the rest.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process!.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public string Output => $"--- last output of {name} ---{Environment.NewLine}{string.Join(Environment.NewLine, _tail)}";

    public IEnumerable<string> Lines => _tail;

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _tail.Enqueue(line);
        if (logFile is not null)
        {
            lock (_logLock)
            {
                File.AppendAllText(logFile, line + Environment.NewLine);
            }
        }

        while (_tail.Count > 400 && _tail.TryDequeue(out _))
        {
        }
    }
}
