using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace EventChat.LoadTest.Common;

/// <summary>Resident set sizes of edge processes on this machine, read from /proc, after a forced collection.</summary>
public static class ProcessMemory
{
    // Keywords of the runtime's event provider: GC events, and the one that asks for a full blocking collection.
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    /// <summary>
    /// Makes a .NET process run a full, blocking garbage collection, as heap-dump tools do: an EventPipe session
    /// on its diagnostics port that enables the runtime's heap-collect keyword. The process needs no endpoint
    /// for it, only the diagnostics port every .NET process opens unless DOTNET_EnableDiagnostics=0. Returns
    /// false when the process has no such port.
    /// </summary>
    public static async Task<bool> ForceGcAsync(int pid, CancellationToken cancellationToken)
    {
        try
        {
            var client = new DiagnosticsClient(pid);
            using var session = client.StartEventPipeSession(
                new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational,
                    GcKeyword | GcHeapCollectKeyword),
                requestRundown: false);
            var drain = session.EventStream.CopyToAsync(Stream.Null, cancellationToken);

            // The collection starts when the session does; a second is ample for it and for the heap walk after.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            session.Stop();
            await drain;
            return true;
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or DiagnosticsClientException or IOException
                                       or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Whether the process's command line names the EventChat edge (EventChat.Api).</summary>
    public static bool IsEdge(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("EventChat.Api", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static long? ReadRssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                    return kb * 1024;
                }
            }
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }
}
