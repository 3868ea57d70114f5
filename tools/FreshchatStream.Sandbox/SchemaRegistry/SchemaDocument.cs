namespace FreshchatStream.Sandbox.SchemaRegistry;

/// <summary>
/// A parsed Avro schema as the registry stores it: the text first registered, the parsed form used
/// for compatibility checks, and the identity key that decides whether two registrations are the same schema.
/// </summary>
/// <remarks>
/// The identity key is Apache.Avro's normalised JSON (<see cref="Avro.Schema.ToString"/>): whitespace and
/// attribute order do not matter, but defaults, docs and aliases do. That matches Confluent, which
/// compares full canonical strings; Avro's Parsing Canonical Form would drop defaults and make
/// "add a default to a field" a silent no-op that keeps serving the old schema.
/// </remarks>
internal sealed record SchemaDocument(string Text, Avro.Schema Parsed, string IdentityKey)
{
    public const string AvroType = "AVRO";

    public static SchemaDocument Parse(string? text, string? schemaType)
    {
        if (schemaType is not null && !string.Equals(schemaType, AvroType, StringComparison.OrdinalIgnoreCase))
        {
            throw RegistryException.InvalidSchema($"schemaType '{schemaType}' is not supported by the emulator; only AVRO is.");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw RegistryException.InvalidSchema("the schema is empty.");
        }

        Avro.Schema parsed;
        try
        {
            parsed = Avro.Schema.Parse(text);
        }
        catch (Exception ex)
        {
            // Any parser failure on client input is an invalid schema, whichever exception type Apache.Avro picks.
            throw RegistryException.InvalidSchema(ex.Message);
        }

        return new SchemaDocument(text, parsed, parsed.ToString());
    }
}
