using DuckDB.NET.Data;
using FreshchatStream.Consumers.Landing;

namespace FreshchatStream.Consumers.DuckDb;

/// <summary>DuckDB's column types for landed columns, and bulk rows through its appender (the DuckDB and Parquet landers share both).</summary>
internal static class DuckDbRows
{
    public static string SqlType(ColumnKind kind) => kind switch
    {
        ColumnKind.BigInt => "BIGINT",
        ColumnKind.Integer => "INTEGER",
        ColumnKind.Boolean => "BOOLEAN",
        ColumnKind.Double => "DOUBLE",
        ColumnKind.Timestamp => "TIMESTAMP",
        _ => "VARCHAR",
    };

    public static void Append(DuckDBConnection connection, string schema, string table, IEnumerable<object?[]> rows)
    {
        using var appender = connection.CreateAppender(schema, "main", table);
        foreach (var values in rows)
        {
            var row = appender.CreateRow();
            foreach (var value in values)
            {
                _ = value switch
                {
                    null => row.AppendNullValue(),
                    string text => row.AppendValue(text),
                    long number => row.AppendValue(number),
                    int number => row.AppendValue(number),
                    bool flag => row.AppendValue(flag),
                    double number => row.AppendValue(number),
                    DateTime time => row.AppendValue(time),
                    _ => row.AppendValue(value.ToString()),
                };
            }

            row.EndRow();
        }
    }
}
