using System.Globalization;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using FreshchatStream.Consumers.DuckDb;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Consumers.Parquet;
using FreshchatStream.Consumers.Postgres;
using FreshchatStream.Consumers.Replay;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Consumers.Commands;

/// <summary>
/// <c>freshchat-landers</c>: <c>duckdb</c>, <c>postgres</c> and <c>parquet</c> landers, <c>compact</c> and <c>replay</c>. Exit codes: 0 ok, 1
/// failure, 2 usage error, 3 Kafka, registry or database unreachable; every error is one line on standard error.
/// </summary>
public static class LanderCli
{
    public const string Usage = """
        freshchat-landers — land FreshchatStream topics in a warehouse, or rewind a consumer group

        Usage:
          freshchat-landers duckdb   --database PATH     [options]
          freshchat-landers postgres --connection STRING [options]
          freshchat-landers parquet  --root DIR          [options]
          freshchat-landers compact  --root DIR [--date YYYY-MM-DD] [--topics a,b] [--current-only]
          freshchat-landers replay   --group G --topics a,b (--to-earliest | --to-datetime 2025-07-01T00:00:00Z) [--prefix P] [--bootstrap-servers B]

        Options (environment variable in brackets):
          --bootstrap-servers B   Kafka brokers [Kafka__BootstrapServers]
          --schema-registry URL   Schema Registry [SchemaRegistry__Url]
          --prefix P              topic prefix, default freshchat [Kafka__TopicPrefix]
          --topics a,b            resources to land, default all (users, conversations, messages, …)
          --group G               consumer group, default freshchat-lander-duckdb / -postgres / -parquet
          --batch-size N          records per transaction, default 1000
          --once                  stop when every partition is read to its end
          --kafka key=value       extra librdkafka setting (repeatable), e.g. --kafka security.protocol=SASL_SSL
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                output.WriteLine(Usage);
                return 0;
            }

            var options = LanderArguments.Parse(args);
            using var stop = new CancellationTokenSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
            return options.Command switch
            {
                "duckdb" => await LandAsync(options, new DuckDbWarehouse(options.Require("database")), output, stop.Token),
                "postgres" => await LandAsync(options, new PostgresWarehouse(options.Require("connection")), output, stop.Token),
                "parquet" => await LandAsync(options, new ParquetWarehouse(options.Require("root")), output, stop.Token),
                "compact" => await CompactAsync(options, output, stop.Token),
                "replay" => Replay(options, output, error),
                _ => throw new LanderUsageException($"unknown command '{options.Command}'; run freshchat-landers --help."),
            };
        }
        catch (LanderUsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is LanderUpstreamException or KafkaException or Confluent.SchemaRegistry.SchemaRegistryException or HttpRequestException
                                      or System.Data.Common.DbException or System.Net.Sockets.SocketException)
        {
            error.WriteLine($"fatal: {e.Message}");
            return 3;
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"fatal: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> LandAsync(LanderArguments options, IWarehouse warehouse, TextWriter output, CancellationToken stop)
    {
        await using var _ = warehouse;
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(options.Has("quiet") ? LogLevel.Warning : LogLevel.Information));
        var settings = options.Settings($"freshchat-lander-{options.Command}");
        var summary = await new Lander(settings, warehouse, logging.CreateLogger<Lander>()).RunAsync(stop);
        output.WriteLine($"landed {summary.Landed} record(s), {summary.DeadLettered} dead-lettered");
        return 0;
    }

    private static async Task<int> CompactAsync(LanderArguments options, TextWriter output, CancellationToken stop)
    {
        DateOnly? day = null;
        if (options.Get("date") is { } text)
        {
            day = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                ? parsed
                : throw new LanderUsageException($"--date '{text}' is not a day such as 2025-07-01.");
        }

        var summary = await new ParquetCompactor(options.Require("root"), output).RunAsync(LandedTopics.Parse(options.Get("topics")), day, stop, options.Has("current-only"));
        output.WriteLine($"compacted {summary.DaysCompacted} day(s) ({summary.FilesReplaced} file(s)), wrote {summary.CurrentTables} current table(s)");
        return 0;
    }

    private static int Replay(LanderArguments options, TextWriter output, TextWriter error)
    {
        var group = options.Require("group");
        var resources = LandedTopics.Parse(options.Require("topics"));
        DateTimeOffset? to = null;
        if (options.Get("to-datetime") is { } text)
        {
            to = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new LanderUsageException($"--to-datetime '{text}' is not an ISO-8601 time such as 2025-07-01T00:00:00Z.");
        }
        else if (!options.Has("to-earliest"))
        {
            throw new LanderUsageException("replay needs --to-earliest or --to-datetime T.");
        }

        var settings = options.Settings(group);
        var replay = new OffsetReplay(settings.BootstrapServers, settings.ClientSettings, settings.SessionTimeoutMs) { Warn = warning => error.WriteLine($"warning: {warning}") };
        var offsets = replay.Rewind(group, settings.Topics, to);
        foreach (var offset in offsets)
        {
            output.WriteLine($"{offset.Topic} [{offset.Partition.Value}] -> {offset.Offset.Value}");
        }

        output.WriteLine($"group '{group}' rewound on {offsets.Count} partition(s); its next start reads from there.");
        return 0;
    }
}
