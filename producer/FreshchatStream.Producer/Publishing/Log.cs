using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Publishing;

/// <summary>Every <c>[LoggerMessage]</c> of this folder, so event ids, levels and texts are read and reviewed in one place.</summary>
internal static partial class Log
{
    // DeadLetterPublisher
    [LoggerMessage(EventId = 150, Level = LogLevel.Warning, Message = "Dead-lettered an item {Endpoint} listed for {Topic}: {Reason}")]
    internal static partial void ItemDeadLettered(ILogger logger, string topic, string endpoint, string reason);

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "Dead-lettered a {Topic} record {Key}: {Reason}")]
    internal static partial void RecordDeadLettered(ILogger logger, string topic, string key, string reason);

    // PublishBatch
    [LoggerMessage(EventId = 140, Level = LogLevel.Warning, Message = "Kafka did not persist a {Topic} record {Key}: {Reason}; the batch will not be acknowledged")]
    internal static partial void DeliveryFailed(ILogger logger, string topic, string key, string reason);
}
