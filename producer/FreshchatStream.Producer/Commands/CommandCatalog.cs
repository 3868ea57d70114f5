using System.CommandLine;
using FreshchatStream.Producer.Capture;

namespace FreshchatStream.Producer.Commands;

/// <summary>The commands of <c>freshchat-stream</c>, their options and help text (System.CommandLine generates the help).</summary>
public static class CommandCatalog
{
    public const string Tool = "freshchat-stream";

    public const string Description =
        "freshchat-stream — Freshchat change capture to Kafka.\n\n" +
        "Configuration comes from appsettings.json, environment variables (Freshchat__ApiKey=...) and\n" +
        "--Section:Key=value arguments after any command; see docs/configuration.md.\n" +
        "Exit codes: 0 ok, 1 failure, 2 configuration error, 3 upstream (auth/connectivity) error.";

    /// <summary>The command tree; each action receives the <c>--Section:Key=value</c> arguments as <paramref name="configuration"/>.</summary>
    public static RootCommand Build(IReadOnlyList<string> configuration, TextWriter output, TextWriter error, CancellationToken stop)
    {
        var once = new Option<bool>("--once") { Description = "Run one cycle and exit (0 when every resource succeeded)." };
        var run = new Command("run", "Capture continuously until SIGTERM/Ctrl-C (flushes and commits on shutdown); --once runs one cycle and exits.") { once };
        run.SetAction((result, _) => RunCommand.ExecuteAsync(configuration, CaptureMode.Changes, result.GetValue(once), null, error, stop));

        var resources = new Option<string>("--resources")
        {
            Description = "Comma-separated resources to re-emit (default Capture:Resources): " + string.Join(", ", CaptureCatalogue.Names) + ".",
            HelpName = "a,b",
        };
        var snapshot = new Command("snapshot", "Re-emit the current state of the selected resources as op=r events (backfill).") { resources };
        snapshot.SetAction((result, _) => RunCommand.ExecuteAsync(configuration, CaptureMode.Snapshot, once: true, result.GetValue(resources), error, stop));

        var status = new Command("status", "Show cursors, the last cycle's results and lag per resource.");
        status.SetAction((_, _) => StatusCommand.ExecuteAsync(configuration, output));

        var resource = new Option<string>("--resource") { Description = "The resource to reset: " + string.Join(", ", CaptureCatalogue.Names) + ".", HelpName = "X" };
        var yes = new Option<bool>("--yes") { Description = "Confirm: the next run re-publishes all of the resource." };
        var resetAccount = new Option<string>("--account")
        {
            Description = "The account (a name under Accounts:*) whose state to reset; required when Accounts is configured, refused otherwise.",
            HelpName = "NAME",
        };
        var reset = new Command("reset", "Clear a resource's cursor and fingerprints, so the next run captures it from the beginning.") { resource, yes, resetAccount };
        reset.SetAction((result, _) => ResetCommand.ExecuteAsync(configuration, result.GetValue(resource), result.GetValue(yes), output, result.GetValue(resetAccount)));

        var checkAccount = new Option<string>("--account")
        {
            Description = "Check only this account (a name under Accounts:*); without it every configured account is checked, one block each.",
            HelpName = "NAME",
        };
        var check = new Command("check", "Validate configuration and connectivity (Freshchat auth, Kafka, Schema Registry, Redis).") { checkAccount };
        check.SetAction((result, _) => CheckCommand.ExecuteAsync(configuration, output, result.GetValue(checkAccount)));

        var ready = new Option<bool>("--ready") { Description = "Probe /health/ready instead of /health/live." };
        var health = new Command("health",
            "Probe this process's health endpoint (Observability:MetricsPort): exit 0 when /health/live (--ready: /health/ready) answers 200, else 1.") { ready };
        health.SetAction((result, _) => HealthCommand.ExecuteAsync(configuration, result.GetValue(ready), error, stop));

        return new RootCommand(Description) { run, snapshot, status, reset, check, health };
    }
}
