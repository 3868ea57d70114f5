namespace FreshchatStream.Producer.Commands;

/// <summary>The commands of <c>freshchat-stream</c>, their options and help text.</summary>
public static class CommandCatalog
{
    public static readonly IReadOnlyDictionary<string, CommandSpec> Commands = new Dictionary<string, CommandSpec>(StringComparer.Ordinal)
    {
        ["run"] = new("run [--once]",
            "Capture continuously until SIGTERM/Ctrl-C (flushes and commits on shutdown); --once runs one cycle and exits.",
            ["once"], []),
        ["snapshot"] = new("snapshot [--resources a,b]",
            "Re-emit the current state of the selected resources as op=r events (backfill).",
            [], ["resources"]),
        ["status"] = new("status",
            "Show cursors, the last cycle's results and lag per resource.",
            [], []),
        ["reset"] = new("reset --resource X --yes",
            "Clear a resource's cursor and fingerprints, so the next run captures it from the beginning.",
            ["yes"], ["resource"]),
        ["check"] = new("check",
            "Validate configuration and connectivity (Freshchat auth, Kafka, Schema Registry, Redis).",
            [], []),
        ["health"] = new("health [--ready]",
            "Probe this process's health endpoint (Observability:MetricsPort): exit 0 when /health/live (--ready: /health/ready) answers 200, else 1.",
            ["ready"], []),
    };

    public static string Help() =>
        "freshchat-stream — Freshchat change capture to Kafka\n\n" +
        "Usage: freshchat-stream <command> [options] [--Section:Key=value ...]\n\nCommands:\n" +
        string.Join("\n", Commands.Values.Select(c => $"  {c.Usage,-32} {c.Description}")) +
        "\n\nConfiguration comes from appsettings.json, environment variables (Freshchat__ApiKey=...) and\n" +
        "--Section:Key=value arguments; see docs/configuration.md.\n" +
        "Exit codes: 0 ok, 1 failure, 2 configuration error, 3 upstream (auth/connectivity) error.";
}
