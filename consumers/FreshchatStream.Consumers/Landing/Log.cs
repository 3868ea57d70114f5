using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Consumers.Landing;

/// <summary>Every <c>[LoggerMessage]</c> of this folder, so event ids, levels and texts are read and reviewed in one place.</summary>
internal static partial class Log
{
    // Lander
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Assigned {Count} partition(s)")]
    internal static partial void Assigned(ILogger logger, int count);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Kafka: {Code}: {Reason}")]
    internal static partial void KafkaError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Dead-lettered {Topic} [{Partition}] @{Offset}: {Reason}")]
    internal static partial void DeadLettered(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "The database rejected a batch of {Count} record(s) ({Reason}); landing them one by one")]
    internal static partial void BatchRejected(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "A subscribed topic is not available ({Reason}); landing the others")]
    internal static partial void TopicMissing(ILogger logger, string reason);

    [LoggerMessage(EventId = 506, Level = LogLevel.Information, Message = "{Topic} [{Partition}] was revoked while its batch landed; its new owner repeats those records")]
    internal static partial void RevokedWhileLanding(ILogger logger, string topic, int partition);

    [LoggerMessage(EventId = 507, Level = LogLevel.Warning, Message = "Offset commit failed ({Code}: {Reason}); the next commit covers it")]
    internal static partial void CommitFailed(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "Landed {Landed} record(s), {DeadLettered} dead-lettered")]
    internal static partial void Landed(ILogger logger, long landed, long deadLettered);
}
