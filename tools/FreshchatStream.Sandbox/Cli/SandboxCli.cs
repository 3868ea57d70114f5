namespace FreshchatStream.Sandbox.Cli;

/// <summary>
/// Entry point of <c>freshchat-sandbox</c>: dispatches the command, maps bad arguments to one line plus the usage
/// and exit code 2, and any other failure to one line and exit code 1 — never a stack trace.
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
        var command = args.Count == 0 ? null : args[0];
        try
        {
            switch (command)
            {
                case "-h" or "--help" or "help":
                    await output.WriteLineAsync(UsageText.General).ConfigureAwait(false);
                    return ExitCodes.Ok;

                case UpArguments.Command:
                    var up = UpArguments.Parse([.. args.Skip(1)]);
                    if (up.ShowHelp)
                    {
                        await output.WriteLineAsync(UsageText.Up).ConfigureAwait(false);
                        return ExitCodes.Ok;
                    }

                    return await UpCommand.RunAsync(up, output, messages, stop).ConfigureAwait(false);

                case FreshchatArguments.Command:
                    var freshchat = FreshchatArguments.Parse([.. args.Skip(1)]);
                    if (freshchat.ShowHelp)
                    {
                        await output.WriteLineAsync(UsageText.Freshchat).ConfigureAwait(false);
                        return ExitCodes.Ok;
                    }

                    return await FreshchatCommand.RunAsync(freshchat, output, messages, stop).ConfigureAwait(false);

                case DemoCommand.Command:
                    return await DemoCommand.RunAsync([.. args.Skip(1)], output, stop).ConfigureAwait(false);

                case null:
                    throw new UsageException("missing command");
                default:
                    throw new UsageException($"unknown command '{command}'");
            }
        }
        catch (UsageException ex)
        {
            // One line saying what is wrong, then the usage of the command at hand, all on standard error.
            await messages.WriteLineAsync($"{ForegroundRun.Name}: {ex.Message}").ConfigureAwait(false);
            await messages.WriteLineAsync().ConfigureAwait(false);
            await messages.WriteLineAsync(UsageText.For(command)).ConfigureAwait(false);
            return ExitCodes.Usage;
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
