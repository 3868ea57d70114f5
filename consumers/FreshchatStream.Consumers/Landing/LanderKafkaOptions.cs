namespace FreshchatStream.Consumers.Landing;

/// <summary>
/// The landers' <c>Kafka:*</c>: the same keys as the producer's (<c>BootstrapServers</c>, <c>TopicPrefix</c>, and
/// every lower-case dotted key passed to librdkafka, e.g. <c>Kafka:sasl.password</c>), so one configuration serves
/// both. Values are never logged.
/// </summary>
public sealed class LanderKafkaOptions
{
    public const string Section = "Kafka";

    /// <summary>Comma-separated <c>host:port</c> list (required; <c>--bootstrap-servers</c>).</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Topics are read as <c>{TopicPrefix}.{resource}</c> (<c>--prefix</c>).</summary>
    public string TopicPrefix { get; set; } = "freshchat";

    /// <summary>librdkafka consumer properties from the section's remaining keys (and <c>--kafka key=value</c>).</summary>
    public IDictionary<string, string> ClientSettings { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
