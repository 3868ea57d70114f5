namespace FreshchatStream.Sandbox.Cli;

/// <summary>
/// <c>up</c>: starts a <see cref="SandboxStack"/>, prints the producer's settings as environment lines on standard
/// output (and nothing else there, so the output can be saved as an env file), and keeps the stack up until asked to stop.
/// </summary>
public static class UpCommand
{
    /// <param name="arguments">Parsed options of <c>up</c>.</param>
    /// <param name="output">Receives only the <c>Key=Value</c> settings lines.</param>
    /// <param name="messages">Human-readable progress, for standard error.</param>
    /// <param name="stop">Completes when the stack should shut down (a signal in the CLI, anything in tests); also during start-up.</param>
    public static Task<int> RunAsync(UpArguments arguments, TextWriter output, TextWriter messages, Task stop)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return ForegroundRun.RunAsync(
            cancellationToken => SandboxStack.StartAsync(arguments.ToStackOptions(), cancellationToken),
            stack => stack.ProducerSettings(),
            stack =>
                $"Freshchat emulator at {stack.Freshchat.BaseUrl} ({arguments.Users} users, seed {arguments.Seed}); " +
                $"Schema Registry emulator at {stack.SchemaRegistry.Url}; " +
                $"mock Kafka cluster with {stack.Kafka.BrokerCount} broker(s) at {stack.Kafka.BootstrapServers}" +
                (arguments.Topics.Count > 0 ? $" (topics {string.Join(", ", arguments.Topics)}, {arguments.Partitions} partitions each)" : "") + "; " +
                (stack.Freshchat.Webhooks.TargetUrl is { } webhookUrl ? $"webhooks to {webhookUrl}" : "webhooks off") + ".",
            output,
            messages,
            stop);
    }
}
