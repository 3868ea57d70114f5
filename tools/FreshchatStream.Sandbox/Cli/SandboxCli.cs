using FreshchatStream.Hosting.CommandLine;

namespace FreshchatStream.Sandbox.Cli;

/// <summary>
/// Entry point of <c>freshchat-sandbox</c>: runs the command, maps bad arguments to one line naming the mistake and the
/// <c>--help</c> to run with exit code 2 (<see cref="ToolCommandLine"/>), and any other failure to one line and exit
/// code 1 — never a stack trace.
/// </summary>
public static class SandboxCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        using var signal = new ShutdownSignal();
        return await RunAsync(args, Console.Out, Console.Error, signal.Requested).ConfigureAwait(false);
    }

    /// <summary>Runs a command line with explicit streams and stop trigger (used by the process entry point and tests).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter messages, Task stop)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(messages);
        try
        {
            return await ToolCommandLine.InvokeAsync(SandboxCommands.Tool, SandboxCommands.Build(output, messages, stop), args, output, messages).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await messages.WriteLineAsync($"{ForegroundRun.Name}: {Describe(ex)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static string Describe(Exception ex)
    {
        var root = ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : ex;
        var text = root.InnerException is { } inner && !root.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{root.Message} ({inner.Message})"
            : root.Message;
        return $"failed: {text.ReplaceLineEndings(" ")}";
    }
}
