using System.Diagnostics;
using DuckDB.NET.Data;
using FreshchatStream.Consumers.DuckDb;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.State;
using FreshchatStream.Sandbox.Freshchat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Sandbox.Demo;

/// <summary>
/// The one-command demo: the whole sandbox in-process (Freshchat emulator with a realistic dataset, Schema Registry
/// emulator, mock Kafka), the real producer capture cycles — a backfill, then live cycles while the emulator changes
/// data — with an in-memory cursor store instead of Redis, then the DuckDB lander, and a summary. No Docker, Kafka,
/// Redis or Freshchat account needed.
/// </summary>
public sealed class DemoRun(TextWriter output, string outputDirectory, int users, int liveCycles)
{
    private const string Prefix = "freshchat";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(outputDirectory);
        var database = Path.Combine(outputDirectory, "freshchat-demo.duckdb");
        File.Delete(database);
        Step(clock, $"starting the sandbox: Freshchat emulator ({users} users), Schema Registry emulator, mock Kafka cluster");
        await using var stack = await SandboxStack.StartAsync(new SandboxStackOptions
        {
            Freshchat = new FreshchatEmulatorOptions { Users = users, ConversationsPerUser = 0.6, MessagesPerConversation = 15, Seed = 2026 },
            Topics = [.. new TopicNames(Prefix).All().Select(t => t.Name)],
        }, cancellationToken);

        using var producer = BuildProducer(stack);
        var cycle = producer.Services.GetRequiredService<CaptureCycle>();
        var run = new CaptureRun(CaptureMode.Changes, CaptureResources.All, Once: true);
        var events = new Dictionary<string, int>(StringComparer.Ordinal);

        Step(clock, "backfill: capturing the whole account (users, agents, groups, channels, roles, conversations, messages, …)");
        Report(clock, await cycle.RunAsync(run, cancellationToken), events);
        var changes = new DemoChanges(stack.Freshchat.Data, seed: 7);
        for (var i = 1; i <= liveCycles; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.1), cancellationToken);
            Step(clock, $"live cycle {i}/{liveCycles}: {changes.Apply()}");
            Report(clock, await cycle.RunAsync(run, cancellationToken), events);
        }

        Step(clock, $"landing every topic in DuckDB: {database}");
        var settings = new LanderSettings(stack.Kafka.BootstrapServers, stack.SchemaRegistry.Url.ToString(), Prefix, LandedTopics.All, "freshchat-demo-lander")
        {
            Once = true,
            SessionTimeoutMs = 6000,
        };
        await using (var warehouse = new DuckDbWarehouse(database))
        {
            var landed = await new Lander(settings, warehouse, NullLogger<Lander>.Instance).RunAsync(cancellationToken);
            Step(clock, $"landed {landed.Landed} record(s), {landed.DeadLettered} dead-lettered");
        }

        await SummarizeAsync(clock, database, events, stack.Freshchat.Requests.Total);
        return 0;
    }

    private static IHost BuildProducer(SandboxStack stack)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(stack.ProducerSettings()
            .Select(s => new KeyValuePair<string, string?>(s.Key.Replace("__", ":", StringComparison.Ordinal), s.Value))
            .Concat(new Dictionary<string, string?>
            {
                ["Freshchat:RequestsPerMinute"] = "100000",
                ["Kafka:TopicPrefix"] = Prefix,
                ["Kafka:CreateTopics"] = "false",
                ["Capture:PollInterval"] = "00:00:01",
                ["Capture:ReconcileInterval"] = "00:00:00",
                ["Capture:Account"] = "demo",
                ["Capture:Conversations:MaxPerCycle"] = "100000",
                ["Capture:Conversations:DiscoveryPerCycle"] = "100000",
                ["Capture:Reports:SettleDelay"] = "00:00:00",
                ["Capture:Reports:MinWindow"] = "00:00:00",
            }));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ICursorStore, InMemoryCursorStore>();
        builder.AddFreshchatClient();
        builder.AddChangePublisher();
        builder.AddCapture(new CaptureRun(CaptureMode.Changes, CaptureResources.All, Once: true));
        return builder.Build();
    }

    private void Report(Stopwatch clock, CycleReport report, Dictionary<string, int> events)
    {
        foreach (var result in report.Results)
        {
            events[result.Resource] = events.GetValueOrDefault(result.Resource) + result.Events;
        }

        var failed = report.Results.Where(r => !r.Succeeded).Select(r => $"{r.Resource}: {r.Failure?.Message}").ToList();
        var published = report.Results.Where(r => r.Events > 0).Select(r => $"{r.Resource} {r.Events}");
        Step(clock, $"  published {string.Join(", ", published.DefaultIfEmpty("nothing new"))}" + (failed.Count > 0 ? $"; FAILED {string.Join("; ", failed)}" : string.Empty));
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"the demo cycle failed: {string.Join("; ", failed)}");
        }
    }

    private async Task SummarizeAsync(Stopwatch clock, string database, Dictionary<string, int> events, long requests)
    {
        await using var connection = new DuckDBConnection($"Data Source={database}");
        await connection.OpenAsync();
        output.WriteLine();
        output.WriteLine($"Summary after {clock.Elapsed.TotalSeconds:F0} s — {requests} Freshchat API requests spent");
        output.WriteLine($"  {"topic",-34} {"events",8}   {"table",-24} {"rows",8}");
        foreach (var resource in LandedTopics.All)
        {
            var table = resource;
            long rows;
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT count(*) FROM information_schema.tables WHERE table_name = '{table}'";
                rows = Convert.ToInt64(await command.ExecuteScalarAsync()) == 0 ? 0 : -1;
            }

            if (rows != 0)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT count(*) FROM \"{table}\"";
                rows = Convert.ToInt64(await command.ExecuteScalarAsync());
            }

            output.WriteLine($"  {$"{Prefix}.{resource}",-34} {events.GetValueOrDefault(resource),8}   {table,-24} {rows,8}");
        }

        output.WriteLine();
        output.WriteLine($"DuckDB file: {database}");
        output.WriteLine("Try (duckdb CLI, or any DuckDB client):");
        output.WriteLine($"  duckdb {database} \"SELECT status, count(*) FROM conversations GROUP BY status ORDER BY 2 DESC\"");
        output.WriteLine($"  duckdb {database} \"SELECT conversation_id, created_time, actor_type, text FROM messages ORDER BY created_time DESC LIMIT 10\"");
        output.WriteLine();
        output.WriteLine("Point the same producer at a real account: set Freshchat__BaseUrl (https://<account>.freshchat.com/v2),");
        output.WriteLine("Freshchat__ApiKey, Kafka__BootstrapServers, SchemaRegistry__Url and Redis__Configuration, then");
        output.WriteLine("  dotnet run --project producer/FreshchatStream.Producer -- check");
        output.WriteLine("  dotnet run --project producer/FreshchatStream.Producer -- run");
        output.WriteLine("(or `docker compose up`; see README.md and docs/configuration.md).");
    }

    private void Step(Stopwatch clock, string text) => output.WriteLine($"[{clock.Elapsed.TotalSeconds,5:F1}s] {text}");
}
