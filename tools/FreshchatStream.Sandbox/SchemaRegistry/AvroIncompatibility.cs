namespace FreshchatStream.Sandbox.SchemaRegistry;

/// <summary>The kinds of reader/writer mismatch the Avro resolution rules can find; names follow Avro's and Confluent's error types.</summary>
public enum AvroIncompatibilityKind
{
    /// <summary>A reader field absent from the writer has no default value.</summary>
    ReaderFieldMissingDefaultValue,

    /// <summary>The writer's type cannot be promoted to the reader's type.</summary>
    TypeMismatch,

    /// <summary>A reader union has no branch that can read a writer type.</summary>
    MissingUnionBranch,

    /// <summary>The writer enum has symbols the reader lacks, and the reader enum has no default.</summary>
    MissingEnumSymbols,

    /// <summary>Named types (record, enum, fixed) whose names differ and no reader alias matches.</summary>
    NameMismatch,

    /// <summary>Fixed types of different sizes.</summary>
    FixedSizeMismatch,
}

/// <summary>
/// One reason why data written with a writer schema cannot be read with a reader schema,
/// located by a JSON-pointer-like path into the reader schema (<c>/fields/2/type</c>).
/// </summary>
public sealed record AvroIncompatibility(AvroIncompatibilityKind Kind, string Path, string Description)
{
    /// <summary>The upper-case error type Confluent Schema Registry reports for this kind.</summary>
    public string ErrorType => Kind switch
    {
        AvroIncompatibilityKind.ReaderFieldMissingDefaultValue => "READER_FIELD_MISSING_DEFAULT_VALUE",
        AvroIncompatibilityKind.TypeMismatch => "TYPE_MISMATCH",
        AvroIncompatibilityKind.MissingUnionBranch => "MISSING_UNION_BRANCH",
        AvroIncompatibilityKind.MissingEnumSymbols => "MISSING_ENUM_SYMBOLS",
        AvroIncompatibilityKind.NameMismatch => "NAME_MISMATCH",
        AvroIncompatibilityKind.FixedSizeMismatch => "FIXED_SIZE_MISMATCH",
        _ => Kind.ToString(),
    };

    public override string ToString() => $"{ErrorType} at '{Path}': {Description}";
}
