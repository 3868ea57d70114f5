using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Sandbox.Kafka;
using FreshchatStream.Sandbox.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Bench;

/// <summary>
/// The publish path: N message events from the sandbox's generator through the product's envelope, Avro
/// serialization (Schema Registry wire format) and idempotent produce, in acknowledged batches as capture sends
/// them — against a baseline in the same run: one raw Confluent.Kafka producer with the same settings producing
/// the very bytes and headers the pipeline writes (serialized before the clock starts), with a delivery handler per record and one flush.
/// Both arms run against the same mock cluster; the figure is events per second and their ratio. The pipeline arm
/// goes through <see cref="CaptureBatch"/> over an in-memory store, as capture does (a cursor staged per
/// conversation, batch N acknowledged while N+1 is built, issue #21); the sequential arm, each batch acknowledged
/// before the next begins, is the way it was before and is printed alongside.
/// </summary>
public static class PublishBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = BenchArguments.Int(args, "--events", 200_000);
        var batchSize = BenchArguments.Int(args, "--batch", 500);
        var rounds = BenchArguments.Int(args, "--rounds", 5);
        var minimumRatio = BenchArguments.Double(args, "--min-ratio", 0);

        using var cluster = MockKafkaCluster.Start();
        await using var registry = await SchemaRegistryEmulator.StartAsync();
        var changes = await MessageEvents(events);
        Console.WriteLine($"publish benchmark: {changes.Count:N0} message events ({changes.Average(c => c.Entity!.Value.GetRawText().Length):N0} JSON bytes each on average), batches of {batchSize}, {rounds} round(s)");

        var pipeline = new List<double>();
        var sequential = new List<double>();
        var raw = new List<double>();
        long bytes = 0;
        for (var round = 1; round <= rounds; round++)
        {
            var prefix = $"bench{Guid.NewGuid():N}";
            using var host = PublisherHost(cluster, registry.Url, prefix);
            var publisher = host.Services.GetRequiredService<ChangeEventPublisher>();
            foreach (var topic in publisher.Topics.All())
            {
                cluster.CreateTopic(topic.Name, 3);
            }

            await PublishAsync(publisher, changes.Take(Math.Min(2_000, changes.Count)).ToList(), batchSize); // warm-up: schemas, JIT, connections
            await CapturePathAsync(publisher, changes.Take(Math.Min(2_000, changes.Count)).ToList(), batchSize);
            var watch = Stopwatch.StartNew();
            var (adding, waiting) = await PublishAsync(publisher, changes, batchSize);
            sequential.Add(changes.Count / watch.Elapsed.TotalSeconds);
            watch.Restart();
            await CapturePathAsync(publisher, changes, batchSize);
            pipeline.Add(changes.Count / watch.Elapsed.TotalSeconds);
            var envelope = EnvelopeOnly(publisher, changes);

            // The baseline's records: the same key and value bytes and headers, serialized ahead of the clock.
            var messagesTopic = publisher.Topics.For(CaptureCatalogue.MessagesTopic);
            var records = new List<Message<byte[], byte[]>>(changes.Count);
            foreach (var change in changes)
            {
                var eventId = change.EventId(messagesTopic);
                var (key, value) = await publisher.SerializeAsync(change, messagesTopic, eventId, CancellationToken.None);
                records.Add(new Message<byte[], byte[]> { Key = key, Value = value, Headers = CloudEventHeaders.Create(change, eventId) });
            }

            bytes = records.Sum(r => (long)r.Key.Length + r.Value.Length);
            var rawTopic = $"{prefix}.raw";
            cluster.CreateTopic(rawTopic, 3);
            raw.Add(ProduceRaw(host.Services.GetRequiredService<KafkaConnection>().ProducerConfig(), rawTopic, records));
            Console.WriteLine($"round {round}: pipeline {pipeline[^1]:N0} events/s, raw produce {raw[^1]:N0} events/s, ratio {pipeline[^1] / raw[^1]:0.00}; " +
                              $"sequential batches (before #21) {sequential[^1]:N0} events/s, ratio {sequential[^1] / raw[^1]:0.00}");
            Console.WriteLine($"  per event, sequential batches: {1e6 / sequential[^1]:0.0} µs = AddAsync {Micros(adding, changes.Count):0.0} µs (of which envelope alone {Micros(envelope, changes.Count):0.0} µs) "
                + $"+ CompleteAsync waits {Micros(waiting, changes.Count):0.0} µs; raw produce {1e6 / raw[^1]:0.0} µs");
        }

        var ratio = Median(pipeline) / Median(raw);
        Console.WriteLine($"| publish path (envelope + Avro + produce, CaptureBatch of {batchSize}, acknowledgement overlapped) | {Median(pipeline):N0} events/s | raw Produce of the same {bytes / changes.Count:N0}-byte records | {Median(raw):N0} events/s | **{ratio:0.00}** (median of {rounds}; per round {string.Join(", ", pipeline.Zip(raw, (p, r) => (p / r).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}) |");
        Console.WriteLine($"| sequential batches, same run (each acknowledged before the next begins) | {Median(sequential):N0} events/s | | | **{Median(sequential) / Median(raw):0.00}** |");
        if (ratio < minimumRatio)
        {
            Console.Error.WriteLine($"publish path ratio {ratio:0.00} is below the required {minimumRatio:0.00}");
            return 1;
        }

        return 0;
    }

    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static IHost PublisherHost(MockKafkaCluster cluster, Uri registry, string prefix)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["Kafka:TopicPrefix"] = prefix,
            ["Kafka:CreateTopics"] = "false",
            ["SchemaRegistry:Url"] = registry.ToString(),
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddChangePublisher();
        return builder.Build();
    }

    /// <summary>Publishes in acknowledged batches; returns the time spent adding events and waiting for their acknowledgement.</summary>
    private static async Task<(TimeSpan Adding, TimeSpan Waiting)> PublishAsync(ChangeEventPublisher publisher, IReadOnlyList<ChangeEvent> changes, int batchSize)
    {
        var adding = new Stopwatch();
        var waiting = new Stopwatch();
        foreach (var chunk in changes.Chunk(batchSize))
        {
            var batch = publisher.BeginBatch();
            adding.Start();
            foreach (var change in chunk)
            {
                await batch.AddAsync(change);
            }

            adding.Stop();
            waiting.Start();
            var outcome = await batch.CompleteAsync();
            waiting.Stop();
            if (!outcome.AllDelivered)
            {
                throw new InvalidOperationException($"A benchmark batch was not delivered: {outcome.Failures.FirstOrDefault()?.Reason}");
            }
        }

        return (adding.Elapsed, waiting.Elapsed);
    }

    /// <summary>
    /// The capture path: events through <see cref="CaptureBatch"/> over an in-memory store, a message cursor staged
    /// with each conversation's last message, batch N acknowledged and committed while N+1 is built.
    /// </summary>
    private static async Task CapturePathAsync(ChangeEventPublisher publisher, IReadOnlyList<ChangeEvent> changes, int batchSize)
    {
        var store = new FreshchatStream.Producer.State.InMemoryCursorStore();
        var batch = new FreshchatStream.Producer.Capture.CaptureBatch(publisher, store, batchSize);
        string? conversation = null;
        foreach (var change in changes)
        {
            if (conversation is not null && change.Key.ConversationId != conversation)
            {
                batch.State.SetConversationState(conversation, new FreshchatStream.Producer.State.ConversationPollState());
            }

            conversation = change.Key.ConversationId;
            await batch.AddAsync(change, CancellationToken.None);
        }

        await batch.FlushAsync(CancellationToken.None);
    }

    /// <summary>What AddAsync computes before it produces (event id, key and value bytes, headers, partition), without producing.</summary>
    private static TimeSpan EnvelopeOnly(ChangeEventPublisher publisher, IReadOnlyList<ChangeEvent> changes)
    {
        var topic = publisher.Topics.For(CaptureCatalogue.MessagesTopic);
        var watch = Stopwatch.StartNew();
        foreach (var change in changes)
        {
            var eventId = change.EventId(topic);
            var (key, value) = publisher.SerializeAsync(change, topic, eventId, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            GC.KeepAlive(new Message<byte[], byte[]> { Key = key, Value = value, Headers = CloudEventHeaders.Create(change, eventId) });
            GC.KeepAlive(publisher.PartitionFor(change, topic));
        }

        return watch.Elapsed;
    }

    private static double Micros(TimeSpan time, int events) => time.TotalMilliseconds * 1000 / events;

    /// <summary>Real message objects from the sandbox's generator, as capture would wrap them.</summary>
    internal static async Task<List<ChangeEvent>> MessageEvents(int count)
    {
        var conversations = Math.Max(1, count / 50);
        await using var emulator = await FreshchatEmulator.StartAsync(new FreshchatEmulatorOptions { Users = conversations * 5, ConversationsPerUser = 0.2, MessagesPerConversation = 50 });
        var capturedAt = DateTimeOffset.UtcNow;
        var changes = new List<ChangeEvent>(count);
        foreach (var id in emulator.Data.EnumerateConversationIds())
        {
            foreach (var message in emulator.Data.GetMessages(id) ?? [])
            {
                if (changes.Count == count)
                {
                    return changes;
                }

                changes.Add(ChangeEvent.ForEntity(CaptureCatalogue.MessagesTopic, ChangeOp.Create, JsonSerializer.SerializeToElement(message), capturedAt,
                    "acme", $"/v2/conversations/{id}/messages"));
            }
        }

        return changes;
    }

    /// <summary>The baseline: <c>Produce</c> with a delivery handler per record (no await per message), one flush at the end.</summary>
    private static double ProduceRaw(ProducerConfig config, string topic, List<Message<byte[], byte[]>> records)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var failed = 0;
        var watch = Stopwatch.StartNew();
        foreach (var record in records)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, record, report => { if (report.Error.IsError) { Interlocked.Increment(ref failed); } });
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(5));
        var rate = records.Count / watch.Elapsed.TotalSeconds;
        return failed == 0 ? rate : throw new InvalidOperationException($"{failed} raw records were not delivered.");
    }
}
