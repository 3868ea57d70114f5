using System.CommandLine;
using FreshchatStream.Sandbox.Demo;

namespace FreshchatStream.Sandbox.Cli;

/// <summary><c>demo [--users N] [--cycles N] [--output DIR]</c>: the one-command tour of the product.</summary>
internal static class DemoCommand
{
    public const string Command = "demo";

    public static Command Create(TextWriter output, Task stop)
    {
        var users = SandboxOptions.Integer("--users", "N", 10, 100_000, 400, "Generated Freshchat users (default 400).");
        var cycles = SandboxOptions.Integer("--cycles", "N", 0, 20, 3, "Live cycles after the backfill (default 3).");
        var directory = new Option<string>("--output")
        {
            Description = "Folder for the DuckDB file and the summary (default ./freshchat-demo).",
            HelpName = "DIR",
            DefaultValueFactory = _ => Path.Combine(Directory.GetCurrentDirectory(), "freshchat-demo"),
        };
        var command = new Command(Command,
            "The product end to end in-process: sandbox, producer backfill and live cycles, DuckDB lander, summary (no Docker, Kafka or Redis).")
        {
            users, cycles, directory,
        };
        command.SetAction(async (result, cancellation) =>
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            _ = stop.ContinueWith(_ => cancel.Cancel(), TaskScheduler.Default);
            return await new DemoRun(output, Path.GetFullPath(result.GetValue(directory)!), result.GetValue(users), result.GetValue(cycles))
                .RunAsync(cancel.Token).ConfigureAwait(false);
        });
        return command;
    }
}
