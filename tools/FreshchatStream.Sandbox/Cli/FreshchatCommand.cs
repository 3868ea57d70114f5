using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Sandbox.Cli;

/// <summary>
/// <c>freshchat</c>: serves only the Freshchat emulator and prints its two settings lines; the container image runs
/// this next to a real Kafka and Schema Registry.
/// </summary>
public static class FreshchatCommand
{
    /// <param name="arguments">Parsed options of <c>freshchat</c>.</param>
    /// <param name="output">Receives only the <c>Freshchat__BaseUrl</c> and <c>Freshchat__ApiKey</c> lines.</param>
    /// <param name="messages">Human-readable progress, for standard error.</param>
    /// <param name="stop">Completes when the emulator should shut down; also during start-up.</param>
    public static Task<int> RunAsync(FreshchatArguments arguments, TextWriter output, TextWriter messages, Task stop)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return ForegroundRun.RunAsync(
            cancellationToken => FreshchatEmulator.StartAsync(arguments.ToEmulatorOptions(), cancellationToken),
            SandboxStack.FreshchatSettings,
            emulator =>
                $"Freshchat emulator listening on {arguments.ListenAddress}:{emulator.Root.Port}, reachable at {emulator.BaseUrl} " +
                $"({arguments.Users} users, seed {arguments.Seed}).",
            output,
            messages,
            stop);
    }
}
