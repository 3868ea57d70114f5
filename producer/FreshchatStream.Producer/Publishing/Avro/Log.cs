using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Publishing.Avro;

/// <summary>Every <c>[LoggerMessage]</c> of this folder, so event ids, levels and texts are read and reviewed in one place.</summary>
internal static partial class Log
{
    // SchemaRegistrar
    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Registered {Count} key and value schemas with the Schema Registry")]
    internal static partial void SchemasRegistered(ILogger logger, int count);
}
