using System.Collections.Concurrent;
using System.Reflection;
using Avro;
using FreshchatStream.Producer.Events;

namespace FreshchatStream.Producer.Publishing.Avro;

/// <summary>
/// The <c>.avsc</c> files of <c>schemas/</c>, embedded in the producer assembly as <c>schemas/{file}</c> and
/// parsed once. The same text is registered with the Schema Registry and used to build records, so what the
/// producer writes is always what the repository declares.
/// </summary>
public sealed class EmbeddedSchemas
{
    private const string ResourcePrefix = "schemas/";
    private readonly ConcurrentDictionary<string, RecordSchema> _parsed = new(StringComparer.Ordinal);
    private readonly Assembly _assembly = typeof(EmbeddedSchemas).Assembly;

    public static EmbeddedSchemas Instance { get; } = new();

    /// <summary>File names of every embedded schema (e.g. <c>freshchat.user.avsc</c>).</summary>
    public IReadOnlyList<string> Files =>
        [.. _assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".avsc", StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..])
            .Order(StringComparer.Ordinal)];

    public RecordSchema Value(TopicDescriptor resource) => Get(resource.ValueSchemaFile);

    public RecordSchema Key(TopicDescriptor resource) => Get(resource.KeySchemaFile);

    /// <summary>The parsed schema of <paramref name="file"/>; throws naming the file if it is missing or invalid.</summary>
    public RecordSchema Get(string file) => _parsed.GetOrAdd(file, Load);

    /// <summary>The file's text exactly as shipped.</summary>
    public string Text(string file)
    {
        using var stream = _assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidOperationException($"Schema {file} is not embedded in the producer (expected schemas/{file}).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private RecordSchema Load(string file)
    {
        try
        {
            return Schema.Parse(Text(file)) as RecordSchema
                ?? throw new InvalidOperationException($"Schema {file} is not an Avro record.");
        }
        catch (SchemaParseException e)
        {
            throw new InvalidOperationException($"Schema {file} does not parse: {e.Message}", e);
        }
    }
}
