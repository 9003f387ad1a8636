using System.Diagnostics;
using EventChat.LoadTest.Chat;
using EventChat.LoadTest.Cli;
using EventChat.LoadTest.Common;
using EventChat.LoadTest.Reference;

namespace EventChat.LoadTest;

/// <summary>Dispatches the subcommands and turns usage errors into exit code 2.</summary>
public static class Commands
{
    private static readonly TimeSpan SecondInterruptAfter = TimeSpan.FromSeconds(1);

    private const string Overview = """
        EventChat load test. Subcommands:
          connections  hold many idle authenticated connections; edge memory per connection
          memory       the RSS of edge processes after a forced garbage collection
          chat         users in rooms sending at a rate; latency, throughput, loss/duplicate/order checks
          fanout       a few large rooms spread over the edges, a few senders; deliveries/s and latency
          persist      SendMessage as fast as acknowledged; acked/s, persisted/s, stored-exactly-once check
          reference    a bare WebSocket broadcast server to compare against (chat --target reference)
          plot         PNG line plots from result JSON or CSV files
        Run '<subcommand> --help' for its options. Results: a table on stdout, then one line of JSON (the last line).
        """;

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Error);

    /// <summary>
    /// Runs a subcommand; a usage error or a run that cannot go on is reported on <paramref name="error"/>.
    /// </summary>
    public static Task<int> RunAsync(string[] args, TextWriter error) =>
        RunAsync(args, error, CancellationToken.None);

    /// <summary>
    /// Runs a subcommand; <paramref name="interrupt"/> acts as Ctrl+C does: the run stops and reports what it has,
    /// with exit code 130.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter error, CancellationToken interrupt)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Overview);
            return args.Length == 0 ? 2 : 0;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        long firstInterrupt = 0;
        void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
        {
            // `timeout -s INT` and other tools signal the process and then its group, so one interruption can
            // arrive twice within microseconds: only a second Ctrl+C a moment later means "stop at once".
            if (cancel.IsCancellationRequested
                && Stopwatch.GetElapsedTime(Interlocked.Read(ref firstInterrupt)) > SecondInterruptAfter)
            {
                Environment.Exit(Interruption.ExitCode);
            }

            e.Cancel = true;
            Interlocked.CompareExchange(ref firstInterrupt, Stopwatch.GetTimestamp(), 0);
            cancel.Cancel();
        }

        Console.CancelKeyPress += OnCancelKey;
        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "chat" => await ChatAsync(rest, "chat", "200", "20", "0", "0.5", cancel.Token),
                "fanout" => await ChatAsync(rest, "fanout", "1000", "2", "4", "5", cancel.Token),
                "connections" => await RunAsync(rest, "connections", Scenarios.ConnectionsScenario.Summary,
                    Scenarios.ConnectionsScenario.Specs, Scenarios.ConnectionsScenario.RunAsync, cancel.Token),
                "memory" => await RunAsync(rest, "memory", Scenarios.MemoryCommand.Summary,
                    Scenarios.MemoryCommand.Specs, Scenarios.MemoryCommand.RunAsync, cancel.Token),
                "persist" => await RunAsync(rest, "persist", Scenarios.PersistScenario.Summary,
                    Scenarios.PersistScenario.Specs, Scenarios.PersistScenario.RunAsync, cancel.Token),
                "reference" => await RunAsync(rest, "reference",
                    "A bare Kestrel WebSocket broadcast server: ws://host:port/ws?room=X; every text frame goes to the room's other sockets.",
                    ReferenceServer.Specs, ReferenceServer.RunAsync, cancel.Token),
                "plot" => await RunAsync(rest, "plot", Plot.PlotCommand.Summary, Plot.PlotCommand.Specs,
                    Plot.PlotCommand.RunAsync, cancel.Token),
                _ => throw new UsageException($"Unknown subcommand '{args[0]}'. Run with --help."),
            };
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await error.WriteLineAsync("interrupted by Ctrl+C during set-up, before anything was measured");
            return Interruption.ExitCode;
        }
        catch (Exception ex)
        {
            // A run that cannot go on (an edge that does not answer, a file that cannot be written) ends with one
            // line that says why, not a stack trace; exit code 4 tells it apart from a bad command line.
            await error.WriteLineAsync($"error: the run stopped: {ex.GetType().Name}: {ex.Message}");
            return 4;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKey;
        }
    }

    private static Task<int> ChatAsync(
        string[] args, string name, string users, string rooms, string senders, string rate,
        CancellationToken cancellationToken)
    {
        var summary = name == "chat"
            ? "N users in M rooms (user i in room i % M) each send at --rate to their room. Reports send-to-deliver " +
              "latency at every other member, rates, and exact counts of lost, duplicated and out-of-order deliveries."
            : "A few large rooms whose members are spread over the edges; the first --senders users send. " +
              "Reports deliveries/s and send-to-deliver latency, with the same checks as chat.";
        return RunAsync(
            args, name, summary, ChatSettings.Specs(users, rooms, senders, rate),
            (line, ct) => new ChatRun(ChatSettings.From(line), name).RunAsync(ct),
            cancellationToken);
    }

    private static async Task<int> RunAsync(
        string[] args, string name, string summary, IReadOnlyList<OptionSpec> specs,
        Func<CommandLine, CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        var line = CommandLine.Parse(args, specs);
        if (line.HelpRequested)
        {
            CommandLine.PrintHelp(Console.Out, $"EventChat.LoadTest {name} [options]", summary, specs);
            return 0;
        }

        return await run(line, cancellationToken);
    }
}
