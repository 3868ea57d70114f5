using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>Every <c>[LoggerMessage]</c> of this folder, so event ids, levels and texts are read and reviewed in one place.</summary>
internal static partial class Log
{
    // KafkaConnection
    [LoggerMessage(EventId = 100, Message = "librdkafka {Facility} [{ClientName}]: {Text}")]
    internal static partial void ClientLog(ILogger logger, LogLevel level, string facility, string clientName, string text);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Kafka client error {Code}: {Reason}")]
    internal static partial void ClientError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Critical, Message = "Kafka producer fatal error {Code}: {Reason}; the producer must be restarted")]
    internal static partial void FatalError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Kafka flush left {Count} record(s) undelivered after {Timeout}; they are not acknowledged and will be captured again")]
    internal static partial void FlushIncomplete(ILogger logger, int count, TimeSpan timeout);

    // KafkaTopicProvisioner
    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Created topic {Topic} ({Partitions} partitions, replication {Replication}, cleanup.policy={Policy})")]
    internal static partial void TopicCreated(ILogger logger, string topic, int partitions, short replication, string policy);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Kafka admin API did not answer within {Timeout}; continuing with existing or broker-auto-created topics (check their cleanup.policy yourself)")]
    internal static partial void AdminSilent(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Topic {Topic} has cleanup.policy={Actual} but the producer expects {Expected}; it is left unchanged")]
    internal static partial void PolicyMismatch(ILogger logger, string topic, string actual, string expected);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "Could not create topic {Topic}: {Reason}")]
    internal static partial void TopicCreateFailed(ILogger logger, string topic, string reason);
}
