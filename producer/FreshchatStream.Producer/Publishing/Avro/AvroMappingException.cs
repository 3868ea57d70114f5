namespace FreshchatStream.Producer.Publishing.Avro;

/// <summary>
/// An entity value that does not fit its topic's Avro schema (e.g. <c>"abc"</c> for a <c>long</c> column).
/// The record is dead-lettered instead of failing the batch. The message names topic, field and entity id but
/// never the offending value, which may be personal data.
/// </summary>
public sealed class AvroMappingException(string topic, string field, string entityKey, string problem)
    : Exception($"Cannot serialize {topic} record {entityKey}: field '{field}' {problem}.")
{
    public string Topic { get; } = topic;

    public string Field { get; } = field;

    public string EntityKey { get; } = entityKey;
}
