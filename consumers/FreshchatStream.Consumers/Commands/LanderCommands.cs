using System.CommandLine;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Hosting.CommandLine;

namespace FreshchatStream.Consumers.Commands;

/// <summary>
/// The commands of <c>freshchat-landers</c>, their options and help text (System.CommandLine generates the help). Each
/// option that stands for a configuration key says which in brackets and overrides it (<see cref="LanderArguments.ConfigurationKeys"/>).
/// </summary>
public static class LanderCommands
{
    public const string Tool = "freshchat-landers";

    public const string Description = """
        freshchat-landers — land FreshchatStream topics in a warehouse, or rewind a consumer group.

        Every option in brackets stands for a configuration key: set it in appsettings.json, as an environment variable
        with __ instead of : (Postgres__ConnectionString keeps the password off argv), or as --Section:Key=value after
        the command; the option overrides its key. Metrics and health: Observability:MetricsPort (0 = off),
        Observability:ListenAddress; JSON logs: Logging:Console:FormatterName=json; see consumers/README.md and
        docs/configuration.md.
        Exit codes: 0 ok, 1 failure, 2 usage or configuration error, 3 Kafka, registry or database unreachable.
        """;

    /// <summary>Every option, by the name <see cref="LanderArguments"/> knows it by (without the dashes).</summary>
    private static IEnumerable<Option> Options(Command command) => command.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal));

    /// <summary>The command tree; each command's action receives its parsed <see cref="LanderArguments"/>.</summary>
    /// <param name="configuration">The <c>--Section:Key=value</c> arguments split off the command line.</param>
    /// <param name="execute">Runs a parsed command and returns its exit code.</param>
    public static RootCommand Build(IReadOnlyList<string> configuration, Func<LanderArguments, CancellationToken, Task<int>> execute)
    {
        var quiet = new Option<bool>("--quiet") { Description = "Log warnings and errors only.", Recursive = true };
        var root = new RootCommand(Description) { quiet };
        root.Subcommands.Add(Lander("duckdb", "Land the topics in a DuckDB file.", Valued("--database", "PATH", "DuckDB file [DuckDb:Database].")));
        root.Subcommands.Add(Lander("postgres", "Land the topics in PostgreSQL.",
            Valued("--connection", "STRING", "PostgreSQL connection string [Postgres:ConnectionString] (prefer the environment: it is secret).")));
        root.Subcommands.Add(Lander("parquet", "Land the topics in a Parquet lake (hive-partitioned by resource and day).", Root()));
        root.Subcommands.Add(new Command("compact", "Merge a Parquet lake's small files per day and write each resource's current table.")
        {
            Root(),
            Valued("--date", "YYYY-MM-DD", "Compact only this day (default every day)."),
            Topics(),
            Flag("--current-only", "Only rewrite the current tables."),
        });
        root.Subcommands.Add(new Command("replay", "Rewind a consumer group's offsets; its next start reads from there.")
        {
            Group("consumer group to rewind [Lander:Group]"),
            Topics(),
            Flag("--to-earliest", "Rewind to the beginning of each partition."),
            Valued("--to-datetime", "T", "Rewind to the first offset at or after this ISO-8601 time, e.g. 2025-07-01T00:00:00Z."),
            Prefix(),
            BootstrapServers(),
            SessionTimeout(),
            Kafka(),
        });
        root.Subcommands.Add(new Command("health", "Probe the running lander's /health/live (--ready: /health/ready): exit 0, 1, or 2 if no port.")
        {
            Flag("--ready", "Probe /health/ready instead of /health/live."),
        });
        foreach (var command in root.Subcommands)
        {
            command.SetAction((result, stop) => execute(LanderArguments.From(result, configuration), stop));
        }

        return root;
    }

    /// <summary>Parses a command line without running it (what <see cref="LanderArguments.Parse"/> uses).</summary>
    /// <exception cref="LanderUsageException">The parser rejected the command line; the message is the one line a user sees.</exception>
    public static LanderArguments Parse(IReadOnlyList<string> args)
    {
        var (commandLine, configuration) = ToolCommandLine.SplitConfiguration(args);
        var root = Build(configuration, (_, _) => Task.FromResult(0));
        ToolCommandLine.RejectOptionsAsValues(root);
        var result = root.Parse([.. commandLine]);
        return result.Errors.Count > 0 || result.CommandResult.Command is RootCommand
            ? throw new LanderUsageException(ToolCommandLine.DescribeMistake(Tool, result))
            : LanderArguments.From(result, configuration);
    }

    /// <summary>The names (without dashes) and values of the options given on <paramref name="result"/>'s command.</summary>
    internal static IEnumerable<(string Name, string Value)> Values(ParseResult result)
    {
        var command = result.CommandResult.Command;
        foreach (var option in Options(command).Concat(Options(result.RootCommandResult.Command).Where(o => o.Recursive)))
        {
            if (result.GetResult(option) is not { Implicit: false } given)
            {
                continue;
            }

            var name = option.Name[2..];
            if (option.ValueType == typeof(bool))
            {
                if (result.GetValue<bool>(option.Name))
                {
                    yield return (name, "true");
                }

                continue;
            }

            foreach (var token in given.Tokens)
            {
                yield return (name, token.Value);
            }
        }
    }

    private static Command Lander(string name, string description, Option warehouse) => new(name, description)
    {
        warehouse,
        BootstrapServers(),
        Valued("--schema-registry", "URL", "Schema Registry [SchemaRegistry:Url; also SchemaRegistry:BasicAuthUserInfo, Ssl*]."),
        Prefix(),
        Topics(),
        Group($"consumer group, default freshchat-lander-{name} [Lander:Group]"),
        Valued("--batch-size", "N", "Records per transaction, default 1000 [Lander:BatchSize]."),
        SessionTimeout(),
        Flag("--once", "Stop when every partition is read to its end."),
        Kafka(),
    };

    private static Option<string> Root() => Valued("--root", "DIR", "Parquet lake folder [Parquet:Root].");

    private static Option<string> BootstrapServers() => Valued("--bootstrap-servers", "B", "Kafka brokers [Kafka:BootstrapServers].");

    private static Option<string> Prefix() => Valued("--prefix", "P", "Topic prefix, default freshchat [Kafka:TopicPrefix].");

    private static Option<string> Topics() =>
        Valued("--topics", "a,b", "Resources, default all (users, conversations, messages, …) [Lander:Topics].");

    private static Option<string> Group(string description) => Valued("--group", "G", char.ToUpperInvariant(description[0]) + description[1..] + ".");

    private static Option<string> SessionTimeout() =>
        Valued("--session-timeout-ms", "N", "Consumer group session timeout, default 45000 [Lander:SessionTimeout].");

    private static Option<string[]> Kafka() => new("--kafka")
    {
        Description = "Extra librdkafka setting, repeatable [Kafka:key], e.g. --kafka security.protocol=SASL_SSL.",
        HelpName = "key=value",
    };

    private static Option<string> Valued(string name, string value, string description) => new(name) { Description = description, HelpName = value };

    private static Option<bool> Flag(string name, string description) => new(name) { Description = description };
}
