using System.Diagnostics;
using Confluent.Kafka;
using DuckDB.NET.Data;
using FreshchatStream.Consumers.DuckDb;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Consumers.Parquet;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using FreshchatStream.Sandbox.Freshchat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Sandbox.Demo;

/// <summary>
/// The one-command demo: the whole sandbox in-process (Freshchat emulator with a realistic dataset, Schema Registry
/// emulator, mock Kafka), the real producer capture cycles — a backfill, then live cycles while the emulator changes
/// data — with an in-memory cursor store instead of Redis, then the DuckDB and Parquet landers, and a summary. No Docker, Kafka,
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
        var run = new CaptureRun(CaptureMode.Changes, CaptureCatalogue.Names, Once: true);
        var events = new Dictionary<string, int>(StringComparer.Ordinal); // per cycle report, for the progress lines only

        Step(clock, "backfill: capturing the whole account (users, agents, groups, channels, roles, conversations, messages, …)");
        Report(clock, await cycle.RunAsync(run, cancellationToken), events);
        var changes = new DemoChanges(stack.Freshchat.Data, seed: 7);
        for (var i = 1; i <= liveCycles; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.1), cancellationToken);
            Step(clock, $"live cycle {i}/{liveCycles}: {changes.Apply()}");
            Report(clock, await cycle.RunAsync(run, cancellationToken), events);
        }

        await ShowPushLatencyAsync(clock, stack, producer.Services.GetRequiredService<ICursorStore>(), cancellationToken);

        var lake = Path.Combine(outputDirectory, "freshchat-lake");
        var parquet = LandParquetAsync(stack, lake, cancellationToken); // beside DuckDB, in its own consumer group
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

        await ShowParquetAsync(clock, lake, await parquet, cancellationToken);

        await SummarizeAsync(clock, database, TopicRecords(stack.Kafka.BootstrapServers), stack.Freshchat.Requests.Total);
        return 0;
    }

    /// <summary>The Parquet lander over the same topics, then <c>compact</c> for current state.</summary>
    private static async Task<(LanderSummary Landed, string Compacted)> LandParquetAsync(SandboxStack stack, string lake, CancellationToken cancellationToken)
    {
        if (Directory.Exists(lake))
        {
            Directory.Delete(lake, recursive: true);
        }

        var settings = new LanderSettings(stack.Kafka.BootstrapServers, stack.SchemaRegistry.Url.ToString(), Prefix, LandedTopics.All, "freshchat-demo-parquet")
        {
            Once = true,
            SessionTimeoutMs = 6000,
        };
        LanderSummary landed;
        await using (var warehouse = new ParquetWarehouse(lake))
        {
            landed = await new Lander(settings, warehouse, NullLogger<Lander>.Instance).RunAsync(cancellationToken);
        }

        using var compaction = new StringWriter();
        var summary = await new ParquetCompactor(lake, compaction).RunAsync(LandedTopics.All, null, cancellationToken);
        return (landed, $"{summary.DaysCompacted} day folder(s) compacted, {summary.CurrentTables} current table(s)");
    }

    /// <summary>Shows the lake and answers one question from its files with DuckDB, as a lake engine would.</summary>
    private async Task ShowParquetAsync(Stopwatch clock, string lake, (LanderSummary Landed, string Compacted) parquet, CancellationToken cancellationToken)
    {
        Step(clock, $"landed {parquet.Landed.Landed} record(s) as Parquet in {lake} ({parquet.Compacted})");
        var query = $"SELECT c.status, count(DISTINCT c.conversation_id) AS conversations, count(m.id) AS messages " +
                    $"FROM read_parquet('{lake}/current/conversations.parquet') c " +
                    $"LEFT JOIN read_parquet('{lake}/messages/*/*.parquet', union_by_name = true) m USING (conversation_id) " +
                    "GROUP BY c.status ORDER BY conversations DESC";
        output.WriteLine($"  duckdb -c \"{query}\"");
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        output.WriteLine($"  {"status",-26} {"conversations",13} {"messages",9}");
        while (await reader.ReadAsync(cancellationToken))
        {
            output.WriteLine($"  {(reader.IsDBNull(0) ? "<none>" : reader.GetString(0)),-26} {reader.GetInt64(1),13} {reader.GetInt64(2),9}");
        }
    }

    private static IHost BuildProducer(SandboxStack stack)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(ProducerSettings(stack, pollInterval: "00:00:01"));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ICursorStore, InMemoryCursorStore>();
        builder.AddFreshchatClient();
        builder.AddChangePublisher();
        builder.AddCapture(new CaptureRun(CaptureMode.Changes, CaptureCatalogue.Names, Once: true));
        return builder.Build();
    }

    /// <summary>
    /// Push + poll: the producer as <c>run</c> deploys it — capture worker at a 60-second poll interval plus the
    /// webhook endpoint — continuing from the same state; the emulator signs and posts a webhook for each new message,
    /// and the time from the change to its message cursor being committed (which happens only after Kafka's
    /// acknowledgement) is shown.
    /// </summary>
    private async Task ShowPushLatencyAsync(Stopwatch clock, SandboxStack stack, ICursorStore store, CancellationToken cancellationToken)
    {
        var port = LoopbackPort.Next();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(ProducerSettings(stack, pollInterval: "00:01:00").Concat(new Dictionary<string, string?>
        {
            ["Webhooks:Enabled"] = "true",
            ["Webhooks:Listen"] = $"http://127.0.0.1:{port}", // Webhooks:PublicKey is among the sandbox's settings
        }));
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton(store);
        builder.AddFreshchatClient();
        builder.AddChangePublisher();
        builder.AddCapture(new CaptureRun(CaptureMode.Changes, CaptureCatalogue.Names, Once: false));
        builder.AddWebhooks();
        await using var app = builder.Build().MapWebhooks(metricsPort: 0);
        var outcome = app.Services.GetRequiredService<CaptureOutcome>();
        await app.StartAsync(cancellationToken);
        while (outcome.LastCycle is null)
        {
            await Task.Delay(50, cancellationToken); // the worker's first (regular) cycle: nothing new to publish
        }

        stack.Freshchat.Webhooks.TargetUrl = new Uri($"http://127.0.0.1:{port}/webhooks/freshchat");
        Step(clock, $"push + poll: producer running with Capture:PollInterval 60 s and webhooks on 127.0.0.1:{port}; the emulator posts signed webhooks");
        var data = stack.Freshchat.Data;
        foreach (var conversationId in data.EnumerateConversationIds().Take(3))
        {
            var changed = Stopwatch.StartNew();
            var messageId = data.AddMessage(conversationId, "Pushed by a webhook, not found by polling");
            while (!(await store.GetConversationStatesAsync([conversationId], cancellationToken)).TryGetValue(conversationId, out var state)
                   || !state.Messages.IdsAtHighWaterMark.Contains(messageId))
            {
                if (changed.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new InvalidOperationException($"the pushed message {messageId} was not captured within 30 s");
                }

                await Task.Delay(20, cancellationToken);
            }

            Step(clock, $"  message_create webhook → message in Kafka {changed.Elapsed.TotalSeconds:F2} s after it was written (next poll was up to 60 s away)");
        }

        stack.Freshchat.Webhooks.TargetUrl = null;
        await app.StopAsync(cancellationToken);
    }

    private static IEnumerable<KeyValuePair<string, string?>> ProducerSettings(SandboxStack stack, string pollInterval) =>
        stack.ProducerSettings()
            .Select(s => new KeyValuePair<string, string?>(s.Key.Replace("__", ":", StringComparison.Ordinal), s.Value))
            .Concat(new Dictionary<string, string?>
            {
                ["Kafka:TopicPrefix"] = Prefix,
                ["Kafka:CreateTopics"] = "false",
                ["Capture:PollInterval"] = pollInterval,
                ["Capture:ReconcileInterval"] = "00:00:00",
                ["Capture:Account"] = "demo",
                ["Capture:Conversations:MaxPerCycle"] = "100000",
                ["Capture:Conversations:DiscoveryPerCycle"] = "100000",
                ["Capture:Reports:SettleDelay"] = "00:00:00",
                ["Capture:Reports:MinWindow"] = "00:00:00",
            });

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

    /// <summary>
    /// What each topic received over the whole demo — backfill, live cycles, the push phase's webhook events and
    /// push cycles, and every cycle's heartbeat — read from Kafka itself (high minus low watermark of every
    /// partition), so no publishing path can be left out of the count. Entity topics also hold tombstones.
    /// </summary>
    private static Dictionary<string, long> TopicRecords(string bootstrapServers)
    {
        var records = new Dictionary<string, long>(StringComparer.Ordinal);
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "freshchat-demo-summary" })
            .SetLogHandler((_, _) => { })
            .Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).SetLogHandler((_, _) => { }).Build();
        foreach (var resource in LandedTopics.All)
        {
            var topic = $"{Prefix}.{resource}";
            var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.SingleOrDefault(t => t.Topic == topic)?.Partitions ?? [];
            records[resource] = partitions.Sum(p =>
            {
                var offsets = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10));
                return offsets.High.Value - offsets.Low.Value;
            });
        }

        return records;
    }

    private async Task SummarizeAsync(Stopwatch clock, string database, Dictionary<string, long> records, long requests)
    {
        await using var connection = new DuckDBConnection($"Data Source={database}");
        await connection.OpenAsync();
        output.WriteLine();
        output.WriteLine($"Summary after {clock.Elapsed.TotalSeconds:F0} s — {requests} Freshchat API requests spent");
        output.WriteLine($"  {"topic",-34} {"events",8}   {"table",-24} {"rows",8}");
        output.WriteLine("  (events: every record the topic received over the demo, push phase and heartbeats included; entity topics count tombstones too)");
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

            output.WriteLine($"  {$"{Prefix}.{resource}",-34} {records.GetValueOrDefault(resource),8}   {table,-24} {rows,8}");
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
