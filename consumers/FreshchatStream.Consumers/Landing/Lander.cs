using System.Data.Common;
using System.Diagnostics;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using FreshchatStream.Consumers.Observability;
using FreshchatStream.Hosting;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Consumers.Landing;

/// <summary>
/// The consumer loop every lander shares: a consumer-group member over the chosen topics that collects a batch,
/// decodes it (undecodable records become dead letters), lands it in one database transaction and only then stores
/// and commits the offsets — so a crash repeats a batch, which the idempotent writes absorb, and never skips one.
/// A batch the database rejects for its data is retried record by record; a record it still rejects is
/// dead-lettered with the database's reason. An unreachable database stops the lander with the batch's offsets
/// uncommitted, so nothing is skipped. A stop request lands the batch in hand, commits, and leaves the group cleanly.
/// Counts, batch latency and lag go to <paramref name="metrics"/>; subscription and warehouse state to <paramref name="readiness"/>.
/// </summary>
public sealed class Lander(LanderSettings settings, IWarehouse warehouse, ILogger<Lander> logger,
    LanderMetrics? metrics = null, LanderReadiness? readiness = null)
{
    private readonly HashSet<string> _missingTopicsReported = new(StringComparer.Ordinal);

    public async Task<LanderSummary> RunAsync(CancellationToken cancellationToken)
    {
        await warehouse.OpenAsync(cancellationToken);
        readiness?.WarehouseReachable = true;
        using var registry = new CachedSchemaRegistryClient(SchemaRegistryClientConfig.Build(settings.SchemaRegistry ?? new SchemaRegistryOptions { Url = settings.SchemaRegistryUrl }));
        var decoder = new RecordDecoder(registry);
        var assigned = new HashSet<TopicPartition>();
        var atEnd = new HashSet<TopicPartition>();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(ConsumerConfig())
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                assigned.UnionWith(partitions);
                Log.Assigned(logger, partitions.Count);
            })
            .SetPartitionsRevokedHandler((_, partitions) =>
            {
                assigned.ExceptWith(partitions.Select(p => p.TopicPartition));
                atEnd.ExceptWith(partitions.Select(p => p.TopicPartition));
                foreach (var partition in partitions)
                {
                    metrics?.Forget(partition.Topic, partition.Partition.Value);
                }
            })
            .SetErrorHandler((_, error) => Log.KafkaError(logger, error.Code, error.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
        consumer.Subscribe(settings.Topics);
        readiness?.Subscribed = true;
        var summary = new LanderSummary();
        var idleSince = DateTime.UtcNow;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var (results, records, deadLetters) = await CollectAsync(consumer, decoder, atEnd, cancellationToken);
                if (results.Count > 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    await LandReportingReachabilityAsync(records, deadLetters, summary);
                    StoreAndCommit(consumer, results);
                    metrics?.Batch(Stopwatch.GetElapsedTime(started));
                    idleSince = DateTime.UtcNow;
                }

                RecordLag(consumer, assigned);

                if (settings.Once && assigned.Count > 0 && results.Count == 0 && assigned.IsSubsetOf(atEnd))
                {
                    break;
                }

                if (settings.Once && assigned.Count == 0 && DateTime.UtcNow - idleSince > TimeSpan.FromSeconds(60))
                {
                    throw new LanderUpstreamException("no partition of the requested topics was assigned within 60 s: check --bootstrap-servers, --prefix and --topics.");
                }
            }
        }
        finally
        {
            readiness?.Subscribed = false;
            consumer.Close();
        }

        Log.Landed(logger, summary.Landed, summary.DeadLettered);
        return summary;
    }

    private async Task<(List<ConsumeResult<byte[], byte[]>> Results, List<LandedRecord> Records, List<DeadLetter> DeadLetters)> CollectAsync(
        IConsumer<byte[], byte[]> consumer, RecordDecoder decoder, HashSet<TopicPartition> atEnd, CancellationToken cancellationToken)
    {
        var results = new List<ConsumeResult<byte[], byte[]>>();
        var records = new List<LandedRecord>();
        var deadLetters = new List<DeadLetter>();
        var deadline = DateTime.UtcNow + settings.BatchWait;
        while (results.Count < settings.BatchSize && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException e) when (!e.Error.IsFatal && e.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition)
            {
                // A subscribed topic the producer has not created (yet): the others land, and librdkafka picks the
                // topic up when it appears.
                if (_missingTopicsReported.Add(e.Error.Reason))
                {
                    Log.TopicMissing(logger, e.Error.Reason);
                }

                continue;
            }

            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.TopicPartition);
                continue;
            }

            atEnd.Remove(result.TopicPartition);
            results.Add(result);
            try
            {
                records.Add(await decoder.DecodeAsync(settings.ResourceOf(result.Topic), result));
            }
            catch (PoisonRecordException e)
            {
                deadLetters.Add(new DeadLetter(result.Topic, result.Partition.Value, result.Offset.Value, null, e.Message));
                Log.DeadLettered(logger, result.Topic, result.Partition.Value, result.Offset.Value, e.Message);
            }
        }

        return (results, records, deadLetters);
    }

    /// <summary>
    /// Stores the batch's offsets, now that its transaction committed, and commits them. A partition revoked while
    /// the batch was landing cannot be stored (its new owner repeats those records, which the writes absorb), and a
    /// failed commit is retried by the periodic auto-commit of stored offsets: neither loses a record.
    /// </summary>
    private void StoreAndCommit(IConsumer<byte[], byte[]> consumer, List<ConsumeResult<byte[], byte[]>> results)
    {
        foreach (var result in results)
        {
            try
            {
                consumer.StoreOffset(result);
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_State)
            {
                Log.RevokedWhileLanding(logger, result.Topic, result.Partition.Value);
            }
        }

        try
        {
            consumer.Commit();
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            if (e.Error.Code != ErrorCode.Local_NoOffset)
            {
                Log.CommitFailed(logger, e.Error.Code, e.Error.Reason);
            }
        }
    }

    private async Task LandReportingReachabilityAsync(List<LandedRecord> records, List<DeadLetter> deadLetters, LanderSummary summary)
    {
        try
        {
            await LandAsync(records, deadLetters, summary);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            readiness?.WarehouseReachable = false;
            throw;
        }

        var rejected = deadLetters.Select(d => (d.Topic, d.Partition, d.Offset)).ToHashSet();
        foreach (var topic in records.Where(r => !rejected.Contains((r.Topic, r.Partition, r.Offset))).GroupBy(r => r.Topic))
        {
            metrics?.Landed(topic.Key, topic.Count());
        }

        foreach (var topic in deadLetters.GroupBy(d => d.Topic))
        {
            metrics?.DeadLettered(topic.Key, topic.Count());
        }
    }

    /// <summary>
    /// Lag per assigned partition: the end of the partition as the last fetch saw it (cached by librdkafka, no
    /// broker request) minus the lander's position.
    /// </summary>
    private void RecordLag(IConsumer<byte[], byte[]> consumer, HashSet<TopicPartition> assigned)
    {
        if (metrics is null)
        {
            return;
        }

        foreach (var partition in assigned)
        {
            var watermarks = consumer.GetWatermarkOffsets(partition);
            var position = consumer.Position(partition);
            if (watermarks.High.Value >= 0 && position.Value >= 0)
            {
                metrics.Lag(partition.Topic, partition.Partition.Value, watermarks.High.Value - position.Value);
            }
        }
    }

    /// <summary>Lands a batch; when the database rejects it, lands record by record and dead-letters the ones it still rejects.</summary>
    private async Task LandAsync(List<LandedRecord> records, List<DeadLetter> deadLetters, LanderSummary summary)
    {
        try
        {
            await warehouse.WriteAsync(records, deadLetters, CancellationToken.None);
            summary.Add(records.Count, deadLetters.Count);
            return;
        }
        catch (DbException e) when (records.Count > 0 && warehouse.IsDataRejection(e))
        {
            Log.BatchRejected(logger, records.Count, e.Message);
        }

        foreach (var record in records)
        {
            try
            {
                await warehouse.WriteAsync([record], [], CancellationToken.None);
                summary.Add(1, 0);
            }
            catch (DbException e) when (warehouse.IsDataRejection(e))
            {
                deadLetters.Add(new DeadLetter(record.Topic, record.Partition, record.Offset, record.Key, $"rejected by the database: {e.Message}"));
            }
        }

        await warehouse.WriteAsync([], deadLetters, CancellationToken.None);
        summary.Add(0, deadLetters.Count);
    }

    private ConsumerConfig ConsumerConfig()
    {
        var config = new ConsumerConfig();
        foreach (var (key, value) in settings.ClientSettings)
        {
            config.Set(key, value);
        }

        config.BootstrapServers = settings.BootstrapServers;
        config.GroupId = settings.GroupId;
        config.EnableAutoOffsetStore = false;
        config.EnableAutoCommit = true;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnablePartitionEof = true;
        config.SessionTimeoutMs = settings.SessionTimeoutMs;
        config.HeartbeatIntervalMs = Math.Max(500, settings.SessionTimeoutMs / 6);
        return config;
    }
}

/// <summary>Counts of one lander run.</summary>
public sealed class LanderSummary
{
    public long Landed { get; private set; }

    public long DeadLettered { get; private set; }

    public void Add(long landed, long deadLettered)
    {
        Landed += landed;
        DeadLettered += deadLettered;
    }
}

/// <summary>Kafka, the registry or the database cannot be reached: exit code 3.</summary>
public sealed class LanderUpstreamException(string message, Exception? inner = null) : Exception(message, inner);
