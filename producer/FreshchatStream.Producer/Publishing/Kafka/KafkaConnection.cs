using System.Text.RegularExpressions;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>
/// The process's single librdkafka producer handle. One handle batches, compresses and keeps idempotence
/// state for every topic; several handles would multiply connections and break ordering assumptions. It is
/// idempotent with <c>acks=all</c>, partitions keys with <c>murmur2_random</c> (Java-compatible), routes
/// librdkafka's log into <see cref="ILogger"/> and flushes before it is disposed.
/// </summary>
public sealed partial class KafkaConnection : IDisposable
{
    private readonly KafkaOptions _options;
    private readonly ILogger<KafkaConnection> _logger;
    private readonly Lazy<IProducer<byte[], byte[]>> _producer;
    private bool _disposed;

    private readonly PublishingMetrics? _metrics;

    public KafkaConnection(IOptions<KafkaOptions> options, ILogger<KafkaConnection> logger, PublishingMetrics? metrics = null)
    {
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
        _producer = new Lazy<IProducer<byte[], byte[]>>(Build, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The shared producer; built on first use so a configuration error surfaces where it is used.</summary>
    public IProducer<byte[], byte[]> Producer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _producer.Value;
        }
    }

    /// <summary>The producer configuration: pass-through keys first, then the settings the guarantees depend on.</summary>
    public ProducerConfig ProducerConfig() => BuildProducerConfig(_options);

    /// <summary>Settings for a separate admin client (same brokers and security, none of the producer tuning).</summary>
    public AdminClientConfig AdminConfig()
    {
        var config = new AdminClientConfig(WithSecurityOnly(_options.ClientSettings)) { BootstrapServers = _options.BootstrapServers };
        return config;
    }

    /// <summary>Settings for a short-lived reader (same brokers and security; it never joins <paramref name="groupId"/> or commits).</summary>
    public ConsumerConfig ConsumerConfig(string groupId) =>
        new(WithSecurityOnly(_options.ClientSettings)) { BootstrapServers = _options.BootstrapServers, GroupId = groupId, EnableAutoCommit = false };

    internal static ProducerConfig BuildProducerConfig(KafkaOptions options)
    {
        var config = new ProducerConfig
        {
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
            ClientId = "freshchat-stream",
        };
        // librdkafka statistics feed the queue-depth metrics; Kafka:statistics.interval.ms overrides (0 turns them off).
        config.StatisticsIntervalMs = 30_000;
        foreach (var (key, value) in options.ClientSettings)
        {
            config.Set(key, value);
        }

        config.BootstrapServers = options.BootstrapServers;
        config.EnableIdempotence = true;
        config.Acks = Acks.All;
        config.Partitioner = Partitioner.Murmur2Random;
        config.MessageTimeoutMs = (int)Math.Min(int.MaxValue, options.DeliveryTimeout.TotalMilliseconds);
        return config;
    }

    /// <summary>Waits for in-flight records; returns how many are still queued when the time is up.</summary>
    public int Flush(TimeSpan timeout) => _producer.IsValueCreated ? _producer.Value.Flush(timeout) : 0;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_producer.IsValueCreated)
        {
            return;
        }

        var producer = _producer.Value;
        try
        {
            var left = producer.Flush(_options.FlushTimeout);
            if (left > 0)
            {
                Log.FlushIncomplete(_logger, left, _options.FlushTimeout);
            }
        }
        finally
        {
            producer.Dispose();
        }
    }

    private IProducer<byte[], byte[]> Build()
    {
        try
        {
            return new ProducerBuilder<byte[], byte[]>(BuildProducerConfig(_options))
                .SetLogHandler((_, message) => Log.ClientLog(_logger, Level(message.Level), message.Facility, message.Name, message.Message))
                .SetStatisticsHandler((_, json) => _metrics?.OnStatistics(json))
                .SetErrorHandler((_, error) =>
                {
                    if (error.IsFatal)
                    {
                        Log.FatalError(_logger, error.Code, error.Reason);
                    }
                    else
                    {
                        Log.ClientError(_logger, error.Code, error.Reason);
                    }
                })
                .Build();
        }
        catch (ArgumentException e)
        {
            // librdkafka quotes rejected values; strip them so a mistyped secret never reaches a log.
            throw new InvalidOperationException($"librdkafka rejected the Kafka:* configuration: {QuotedValue().Replace(e.Message, "value")}.", e);
        }
    }

    private static Dictionary<string, string> WithSecurityOnly(IDictionary<string, string> settings) =>
        settings.Where(p => p.Key.StartsWith("security.", StringComparison.Ordinal) || p.Key.StartsWith("sasl.", StringComparison.Ordinal)
                || p.Key.StartsWith("ssl.", StringComparison.Ordinal) || p.Key.StartsWith("enable.ssl", StringComparison.Ordinal)
                || p.Key.StartsWith("client.", StringComparison.Ordinal) || p.Key.StartsWith("socket.", StringComparison.Ordinal)
                || p.Key.StartsWith("broker.address.", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static LogLevel Level(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    [GeneratedRegex("value \"[^\"]*\"")]
    private static partial Regex QuotedValue();
}
