using Confluent.SchemaRegistry;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing.Kafka;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Publishing.Avro;

/// <summary>
/// Registers the shipped key and value schemas under <c>{topic}-key</c> / <c>{topic}-value</c>
/// (TopicNameStrategy) at start, whatever <c>SchemaRegistry:AutoRegisterSchemas</c> says: the publisher writes the wire
/// format itself with the ids returned here. Registering an unchanged schema is a no-op in the registry; an
/// incompatible one fails start naming the subject.
/// </summary>
public sealed class SchemaRegistrar(ISchemaRegistryClient registry, EmbeddedSchemas schemas, ILogger<SchemaRegistrar> logger)
{
    /// <summary>Registers every resource topic's schemas; returns subject → schema id.</summary>
    public async Task<IReadOnlyDictionary<string, int>> RegisterAsync(TopicNames topics, CancellationToken cancellationToken = default)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var resource in CaptureCatalogue.Topics)
        {
            var topic = topics.For(resource);
            foreach (var (subject, file) in new[] { ($"{topic}-key", resource.KeySchemaFile), ($"{topic}-value", resource.ValueSchemaFile) })
            {
                cancellationToken.ThrowIfCancellationRequested();

                // The serializer looks schemas up by Avro's own rendering of the parsed schema; register that text.
                var text = schemas.Get(file).ToString();
                try
                {
                    ids[subject] = await registry.RegisterSchemaAsync(subject, new Schema(text, SchemaType.Avro), normalize: false).WaitAsync(cancellationToken);
                }
                catch (SchemaRegistryException e)
                {
                    throw new SchemaRegistrationException(subject, file, e.Status, e.Message, e);
                }
            }
        }

        Log.SchemasRegistered(logger, ids.Count);
        return ids;
    }
}

/// <summary>The registry refused a shipped schema (incompatible with the subject's history, or invalid).</summary>
public sealed class SchemaRegistrationException(string subject, string file, System.Net.HttpStatusCode status, string reason, Exception inner)
    : Exception($"Schema Registry refused {file} for subject {subject} (HTTP {(int)status}): {reason}. Only backward-compatible changes are allowed; see schemas/README.md.", inner)
{
    public string Subject { get; } = subject;

    /// <summary>The registry's HTTP status: 409/422 is a schema it refuses, 401/403 credentials, anything else an outage.</summary>
    public System.Net.HttpStatusCode Status { get; } = status;
}
