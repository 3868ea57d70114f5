namespace FreshchatStream.Producer.Publishing.Avro;

/// <summary>
/// A shipped schema uses a shape the direct writer (<see cref="AvroRecordPlan"/>) cannot encode. The producer has
/// no other serialization path, so this stops start-up, naming the schema file and the field to change.
/// </summary>
public sealed class SchemaPlanException(string file, string field)
    : Exception($"Schema {file} cannot be compiled to a writer: field {field} uses a type or source the producer does not support "
        + "(supported: string, long, boolean, timestamp-millis and [\"null\", T] unions of them; keys are non-null strings). See schemas/README.md.")
{
    public string File { get; } = file;

    public string Field { get; } = field;
}
