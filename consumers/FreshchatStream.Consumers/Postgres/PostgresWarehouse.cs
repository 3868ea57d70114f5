using System.Data.Common;
using FreshchatStream.Consumers.Landing;
using Npgsql;
using NpgsqlTypes;

namespace FreshchatStream.Consumers.Postgres;

/// <summary>Lands into PostgreSQL: staging through binary <c>COPY</c> into a temporary table, then the shared set-based SQL.</summary>
public sealed class PostgresWarehouse(string connectionString) : SqlWarehouse
{
    private readonly NpgsqlConnection _connection = new(connectionString);

    protected override DbConnection Connection => _connection;

    protected override string InfinityTimestamp => "'infinity'::timestamptz";

    protected override string StageTableKind => "TEMP";

    protected override string SqlType(ColumnKind kind) => kind switch
    {
        ColumnKind.BigInt => "BIGINT",
        ColumnKind.Integer => "INTEGER",
        ColumnKind.Boolean => "BOOLEAN",
        ColumnKind.Double => "DOUBLE PRECISION",
        ColumnKind.Timestamp => "TIMESTAMPTZ",
        _ => "TEXT",
    };

    public override Task OpenAsync(CancellationToken cancellationToken) => _connection.OpenAsync(cancellationToken);

    /// <summary>
    /// SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation) are about the data, and so is
    /// 42804 (datatype mismatch): a record whose schema gives a column another type than the table has.
    /// </summary>
    public override bool IsDataRejection(Exception exception) =>
        exception is PostgresException { SqlState: var state }
        && (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal) || state == PostgresErrorCodes.DatatypeMismatch);

    protected override async Task LoadStageAsync(string stage, IReadOnlyList<LandedColumn> columns, IReadOnlyList<object?[]> rows, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var list = string.Join(", ", columns.Select(c => Q(c.Name)));
        await using var importer = await _connection.BeginBinaryImportAsync($"COPY {Q(stage)} ({list}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (row[i] is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                    continue;
                }

                await importer.WriteAsync(Convert(row[i]!, columns[i].Kind), TypeOf(columns[i].Kind), cancellationToken);
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static NpgsqlDbType TypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.BigInt => NpgsqlDbType.Bigint,
        ColumnKind.Integer => NpgsqlDbType.Integer,
        ColumnKind.Boolean => NpgsqlDbType.Boolean,
        ColumnKind.Double => NpgsqlDbType.Double,
        ColumnKind.Timestamp => NpgsqlDbType.TimestampTz,
        _ => NpgsqlDbType.Text,
    };

    private static object Convert(object value, ColumnKind kind) => kind switch
    {
        ColumnKind.BigInt => System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        ColumnKind.Integer => System.Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
        ColumnKind.Text => value as string ?? value.ToString()!,
        _ => value,
    };

    public override async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
