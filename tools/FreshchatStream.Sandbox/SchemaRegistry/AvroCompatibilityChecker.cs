using System.Runtime.CompilerServices;
using System.Text.Json;
using Avro;

namespace FreshchatStream.Sandbox.SchemaRegistry;

/// <summary>
/// Decides whether data written with one Avro schema can be read with another, by the Avro
/// schema-resolution rules that Confluent Schema Registry applies for its compatibility levels.
/// </summary>
/// <remarks>
/// The rules: a reader field missing from the writer needs a default (writer-only fields are skipped);
/// primitive types may only be promoted int→long/float/double, long→float/double, float→double and
/// string↔bytes; every branch of a writer union must be readable; a reader union needs a branch that
/// reads the writer type; a reader enum needs every writer symbol unless it declares a default; arrays
/// and maps are checked element-wise; fixed types must agree on size. Named types match on their
/// unqualified name or on a reader alias equal to the writer's full name, as Avro's Java
/// <c>SchemaCompatibility</c> (and therefore Confluent) does. Logical types are compared by their
/// underlying type only, which is also what Confluent does.
/// </remarks>
public static class AvroCompatibilityChecker
{
    /// <summary>Lists why <paramref name="readerSchema"/> cannot read data written with <paramref name="writerSchema"/>; empty when it can.</summary>
    public static IReadOnlyList<AvroIncompatibility> Check(string readerSchema, string writerSchema) =>
        Check(Schema.Parse(readerSchema), Schema.Parse(writerSchema));

    /// <summary>Lists why <paramref name="reader"/> cannot read data written with <paramref name="writer"/>; empty when it can.</summary>
    public static IReadOnlyList<AvroIncompatibility> Check(Schema reader, Schema writer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        var walk = new ResolutionWalk();
        var found = new List<AvroIncompatibility>();
        walk.Compare(reader, writer, "/", found);
        return found;
    }

    /// <summary>
    /// Checks a candidate schema against a subject's history under a compatibility level, the way a
    /// registration is checked: non-transitive levels look at the latest version only.
    /// </summary>
    /// <param name="level">The subject's compatibility level.</param>
    /// <param name="candidate">The schema about to become the next version.</param>
    /// <param name="previousVersions">Earlier versions, oldest first (version 1 at index 0).</param>
    /// <returns>Human-readable messages, one per incompatibility; empty when the candidate is acceptable.</returns>
    public static IReadOnlyList<string> CheckEvolution(CompatibilityLevel level, Schema candidate, IReadOnlyList<Schema> previousVersions)
    {
        ArgumentNullException.ThrowIfNull(previousVersions);
        return CheckEvolution(level, candidate, previousVersions.Select((schema, index) => (index + 1, schema)).ToList());
    }

    internal static IReadOnlyList<string> CheckEvolution(CompatibilityLevel level, Schema candidate, IReadOnlyList<(int Version, Schema Schema)> previousVersions)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (level == CompatibilityLevel.None || previousVersions.Count == 0)
        {
            return [];
        }

        var targets = level.IsTransitive() ? previousVersions : [previousVersions[^1]];
        var messages = new List<string>();
        foreach (var (version, previous) in targets)
        {
            if (level.ChecksBackward())
            {
                foreach (var problem in Check(candidate, previous))
                {
                    messages.Add($"{{compatibility: '{level.ToWireName()}', oldSchemaVersion: {version}}} the new schema cannot read data written with version {version}: {problem}");
                }
            }

            if (level.ChecksForward())
            {
                foreach (var problem in Check(previous, candidate))
                {
                    messages.Add($"{{compatibility: '{level.ToWireName()}', oldSchemaVersion: {version}}} version {version} cannot read data written with the new schema: {problem}");
                }
            }
        }

        return messages;
    }

    /// <summary>One comparison run; remembers the pairs being compared so recursive record types terminate.</summary>
    private sealed class ResolutionWalk
    {
        private readonly HashSet<(Schema Reader, Schema Writer)> _inProgress = new(PairIdentity.Instance);
        private readonly Dictionary<Schema, IReadOnlyList<string>> _aliases = new(ReferenceEqualityComparer.Instance);

        public void Compare(Schema reader, Schema writer, string path, List<AvroIncompatibility> found)
        {
            reader = Underlying(reader);
            writer = Underlying(writer);
            if (!_inProgress.Add((reader, writer)))
            {
                // Already being compared further up: a recursive type is compatible with itself unless proven otherwise there.
                return;
            }

            try
            {
                CompareResolved(reader, writer, path, found);
            }
            finally
            {
                _inProgress.Remove((reader, writer));
            }
        }

        private void CompareResolved(Schema reader, Schema writer, string path, List<AvroIncompatibility> found)
        {
            if (writer is UnionSchema writerUnion)
            {
                for (var i = 0; i < writerUnion.Schemas.Count; i++)
                {
                    Compare(reader, writerUnion.Schemas[i], Join(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), found);
                }

                return;
            }

            if (reader is UnionSchema readerUnion)
            {
                foreach (var branch in readerUnion.Schemas)
                {
                    var trial = new List<AvroIncompatibility>();
                    Compare(branch, writer, path, trial);
                    if (trial.Count == 0)
                    {
                        return;
                    }
                }

                found.Add(new(AvroIncompatibilityKind.MissingUnionBranch, path,
                    $"the reader union has no branch that can read the writer type {Describe(writer)}"));
                return;
            }

            var readerKind = Kind(reader);
            var writerKind = Kind(writer);
            if (readerKind != writerKind)
            {
                if (!IsPromotion(readerKind, writerKind))
                {
                    found.Add(new(AvroIncompatibilityKind.TypeMismatch, path,
                        $"the reader type {Describe(reader)} cannot read the writer type {Describe(writer)}"));
                }

                return;
            }

            switch (reader)
            {
                case ArraySchema readerArray:
                    Compare(readerArray.ItemSchema, ((ArraySchema)writer).ItemSchema, Join(path, "items"), found);
                    break;
                case MapSchema readerMap:
                    Compare(readerMap.ValueSchema, ((MapSchema)writer).ValueSchema, Join(path, "values"), found);
                    break;
                case FixedSchema readerFixed:
                    var writerFixed = (FixedSchema)writer;
                    if (!NamesMatch(readerFixed, writerFixed, path, found))
                    {
                        break;
                    }

                    if (readerFixed.Size != writerFixed.Size)
                    {
                        found.Add(new(AvroIncompatibilityKind.FixedSizeMismatch, Join(path, "size"),
                            $"the reader fixed {readerFixed.Fullname} has size {readerFixed.Size} but the writer's has size {writerFixed.Size}"));
                    }

                    break;
                case EnumSchema readerEnum:
                    var writerEnum = (EnumSchema)writer;
                    if (!NamesMatch(readerEnum, writerEnum, path, found))
                    {
                        break;
                    }

                    var missing = writerEnum.Symbols.Where(symbol => !readerEnum.Symbols.Contains(symbol)).ToList();
                    if (missing.Count > 0 && readerEnum.Default is null)
                    {
                        found.Add(new(AvroIncompatibilityKind.MissingEnumSymbols, Join(path, "symbols"),
                            $"the reader enum {readerEnum.Fullname} lacks the writer symbols [{string.Join(", ", missing)}] and has no default"));
                    }

                    break;
                case RecordSchema readerRecord:
                    var writerRecord = (RecordSchema)writer;
                    if (NamesMatch(readerRecord, writerRecord, path, found))
                    {
                        CompareFields(readerRecord, writerRecord, path, found);
                    }

                    break;
            }
        }

        private void CompareFields(RecordSchema reader, RecordSchema writer, string path, List<AvroIncompatibility> found)
        {
            for (var i = 0; i < reader.Fields.Count; i++)
            {
                var readerField = reader.Fields[i];
                var fieldPath = Join(path, "fields", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var writerField = FindWriterField(readerField, writer);
                if (writerField is null)
                {
                    if (readerField.DefaultValue is null)
                    {
                        found.Add(new(AvroIncompatibilityKind.ReaderFieldMissingDefaultValue, fieldPath,
                            $"the reader field '{readerField.Name}' of {reader.Fullname} has no default value and is missing in the writer schema"));
                    }

                    continue;
                }

                Compare(readerField.Schema, writerField.Schema, Join(fieldPath, "type"), found);
            }
        }

        private static Field? FindWriterField(Field readerField, RecordSchema writer)
        {
            if (writer.TryGetField(readerField.Name, out var byName))
            {
                return byName;
            }

            foreach (var alias in readerField.Aliases ?? [])
            {
                if (writer.TryGetField(alias, out var byAlias))
                {
                    return byAlias;
                }
            }

            return null;
        }

        private bool NamesMatch(NamedSchema reader, NamedSchema writer, string path, List<AvroIncompatibility> found)
        {
            if (reader.Name == writer.Name || AliasesOf(reader).Contains(writer.Fullname))
            {
                return true;
            }

            found.Add(new(AvroIncompatibilityKind.NameMismatch, Join(path, "name"),
                $"the reader type name {reader.Fullname} does not match the writer type name {writer.Fullname}"));
            return false;
        }

        /// <summary>Reads a named type's aliases back from its JSON, because Apache.Avro keeps them private.</summary>
        private IReadOnlyList<string> AliasesOf(NamedSchema schema)
        {
            if (_aliases.TryGetValue(schema, out var cached))
            {
                return cached;
            }

            var aliases = new List<string>();
            using (var json = JsonDocument.Parse(schema.ToString()))
            {
                if (json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("aliases", out var list)
                    && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var alias in list.EnumerateArray())
                    {
                        var text = alias.GetString();
                        if (string.IsNullOrEmpty(text))
                        {
                            continue;
                        }

                        aliases.Add(text.Contains('.') || string.IsNullOrEmpty(schema.Namespace) ? text : $"{schema.Namespace}.{text}");
                    }
                }
            }

            _aliases[schema] = aliases;
            return aliases;
        }
    }

    private static Schema Underlying(Schema schema) => schema is LogicalSchema logical ? Underlying(logical.BaseSchema) : schema;

    private static Schema.Type Kind(Schema schema) => schema.Tag == Schema.Type.Error ? Schema.Type.Record : schema.Tag;

    private static bool IsPromotion(Schema.Type reader, Schema.Type writer) => (reader, writer) switch
    {
        (Schema.Type.Long, Schema.Type.Int) => true,
        (Schema.Type.Float, Schema.Type.Int or Schema.Type.Long) => true,
        (Schema.Type.Double, Schema.Type.Int or Schema.Type.Long or Schema.Type.Float) => true,
        (Schema.Type.String, Schema.Type.Bytes) => true,
        (Schema.Type.Bytes, Schema.Type.String) => true,
        _ => false,
    };

    private static string Describe(Schema schema)
    {
        var kind = Kind(schema) == Schema.Type.Enumeration ? "enum" : Kind(schema).ToString().ToLowerInvariant();
        return schema is NamedSchema named ? $"{kind} {named.Fullname}" : kind;
    }

    private static string Join(string path, params string[] segments) =>
        (path == "/" ? "/" : path + "/") + string.Join('/', segments);

    private sealed class PairIdentity : IEqualityComparer<(Schema Reader, Schema Writer)>
    {
        public static readonly PairIdentity Instance = new();

        public bool Equals((Schema Reader, Schema Writer) x, (Schema Reader, Schema Writer) y) =>
            ReferenceEquals(x.Reader, y.Reader) && ReferenceEquals(x.Writer, y.Writer);

        public int GetHashCode((Schema Reader, Schema Writer) pair) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(pair.Reader), RuntimeHelpers.GetHashCode(pair.Writer));
    }
}
