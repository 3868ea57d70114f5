using System.Globalization;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using FreshchatStream.Consumers.DuckDb;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Consumers.Observability;
using FreshchatStream.Consumers.Parquet;
using FreshchatStream.Consumers.Postgres;
using FreshchatStream.Consumers.Replay;
using FreshchatStream.Hosting;
using FreshchatStream.Hosting.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Consumers.Commands;

/// <summary>
/// <c>freshchat-landers</c>: <c>duckdb</c>, <c>postgres</c> and <c>parquet</c> landers, <c>compact</c>, <c>replay</c> and
/// <c>health</c>. Exit codes: 0 ok, 1 failure, 2 usage or configuration error, 3 Kafka, registry or database
/// unreachable; every error is one line on standard error.
/// </summary>
public static class LanderCli
{
    /// <param name="cancellationToken">Stops a lander as SIGTERM does (hosts and tests that run it in-process).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        try
        {
            var (commandLine, configuration) = ToolCommandLine.SplitConfiguration(args);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
            var root = LanderCommands.Build(configuration, (options, _) => ExecuteAsync(options, output, error, stop.Token));
            return await ToolCommandLine.InvokeAsync(LanderCommands.Tool, root, commandLine, output, error, stop.Token);
        }
        catch (LanderUsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (OptionsValidationException e)
        {
            error.WriteLine($"configuration error: {string.Join(" ", e.Failures)}");
            return 2;
        }
        catch (InvalidOperationException e) when (ConfigurationBindingFailure.TryDescribe(e, out var message))
        {
            error.WriteLine($"configuration error: {message}");
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
        catch (IOException e)
        {
            // Kestrel could not bind Observability:MetricsPort (in use, or an address this host does not have).
            error.WriteLine($"fatal: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> ExecuteAsync(LanderArguments options, TextWriter output, TextWriter error, CancellationToken stop) => options.Command switch
    {
        "duckdb" => await LandAsync(options, configuration => new DuckDbWarehouse(DuckDbOptions.From(configuration).Database!), output, stop),
        "postgres" => await LandAsync(options, configuration => new PostgresWarehouse(PostgresOptions.From(configuration).ConnectionString!), output, stop),
        "parquet" => await LandAsync(options, configuration => new ParquetWarehouse(ParquetOptions.From(configuration).Root!), output, stop),
        "compact" => await CompactAsync(options, output, stop),
        "replay" => Replay(options, output, error),
        "health" => await HealthProbe.RunAsync(LanderHost.Configuration(options), options.Has("ready"), error, stop),
        _ => throw new LanderUsageException($"unknown command '{options.Command}'; run freshchat-landers --help."),
    };

    /// <summary>
    /// Runs a lander of the command's kind: every setting is bound and validated first (exit 2 naming the key, before
    /// anything is reached), then the warehouse is created from the configuration and the host's endpoints start.
    /// </summary>
    private static async Task<int> LandAsync(LanderArguments options, Func<IConfiguration, IWarehouse> createWarehouse, TextWriter output, CancellationToken stop)
    {
        var builder = LanderHost.CreateBuilder(options);
        var settings = options.Settings($"freshchat-lander-{options.Command}", builder.Configuration);
        await using var warehouse = createWarehouse(builder.Configuration);
        using var host = LanderHost.Build(builder);
        await host.StartAsync(stop);
        try
        {
            var services = host.Services;
            var lander = new Lander(settings, warehouse, services.GetRequiredService<ILogger<Lander>>(),
                services.GetRequiredService<LanderMetrics>(), services.GetRequiredService<LanderReadiness>());
            var summary = await lander.RunAsync(stop);
            output.WriteLine($"landed {summary.Landed} record(s), {summary.DeadLettered} dead-lettered");
            return 0;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
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

        var summary = await new ParquetCompactor(ParquetOptions.From(LanderHost.Configuration(options)).Root!, output).RunAsync(LandedTopics.Parse(options.Get("topics")), day, stop, options.Has("current-only"));
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

        var settings = options.Settings(group, LanderHost.Configuration(options));
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
