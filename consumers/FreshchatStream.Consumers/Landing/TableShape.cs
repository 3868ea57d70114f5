using Avro;

namespace FreshchatStream.Consumers.Landing;

/// <summary>The kind of a landed column, from its Avro type (a <c>["null", T]</c> union is a nullable T).</summary>
public enum ColumnKind
{
    Text,
    BigInt,
    Integer,
    Boolean,
    Double,
    Timestamp,
}

public sealed record LandedColumn(string Name, ColumnKind Kind);

/// <summary>
/// The columns of a topic's tables, derived from the value schema of its records: every Avro field becomes a
/// nullable column of the matching SQL type (timestamp-millis → timestamp; records, arrays and maps — which the
/// producer never emits — as JSON text). A newer schema version that adds fields yields a wider shape; tables are
/// widened to it, never narrowed.
/// </summary>
public sealed class TableShape
{
    private TableShape(IReadOnlyList<LandedColumn> columns) => Columns = columns;

    public IReadOnlyList<LandedColumn> Columns { get; }

    public static TableShape From(RecordSchema schema) =>
        new([.. schema.Fields.Select(field => new LandedColumn(field.Name, KindOf(field.Schema)))]);

    /// <summary>
    /// The columns of several schema versions together (each name once, in first-seen order, widest version
    /// first), or null when two versions give one field different kinds.
    /// </summary>
    public static TableShape? Union(IReadOnlyList<TableShape> shapes)
    {
        if (shapes.Count == 1)
        {
            return shapes[0];
        }

        var columns = new List<LandedColumn>();
        var kinds = new Dictionary<string, ColumnKind>(StringComparer.Ordinal);
        foreach (var column in shapes.OrderByDescending(s => s.Columns.Count).SelectMany(s => s.Columns))
        {
            if (kinds.TryGetValue(column.Name, out var kind))
            {
                if (kind != column.Kind)
                {
                    return null;
                }

                continue;
            }

            kinds[column.Name] = column.Kind;
            columns.Add(column);
        }

        return new TableShape(columns);
    }

    private static ColumnKind KindOf(Schema schema)
    {
        if (schema is UnionSchema union)
        {
            var nonNull = union.Schemas.Where(s => s.Tag != Schema.Type.Null).ToList();
            return nonNull.Count == 1 ? KindOf(nonNull[0]) : ColumnKind.Text;
        }

        if (schema is LogicalSchema logical)
        {
            return logical.LogicalTypeName is "timestamp-millis" or "timestamp-micros" ? ColumnKind.Timestamp : KindOf(logical.BaseSchema);
        }

        return schema.Tag switch
        {
            Schema.Type.Long => ColumnKind.BigInt,
            Schema.Type.Int => ColumnKind.Integer,
            Schema.Type.Boolean => ColumnKind.Boolean,
            Schema.Type.Double or Schema.Type.Float => ColumnKind.Double,
            _ => ColumnKind.Text,
        };
    }
}
