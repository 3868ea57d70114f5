using System.Data.Common;
using DuckDB.NET.Data;
using FreshchatStream.Consumers.Landing;

namespace FreshchatStream.Consumers.DuckDb;

/// <summary>Lands into a DuckDB file: staging through DuckDB's appender, then the shared set-based SQL.</summary>
public sealed class DuckDbWarehouse(string databasePath) : SqlWarehouse
{
    private readonly DuckDBConnection _connection = new($"Data Source={databasePath}");

    protected override DbConnection Connection => _connection;

    protected override string InfinityTimestamp => "'infinity'::TIMESTAMP";

    protected override string StageTableKind => "TEMP";

    protected override string SqlType(ColumnKind kind) => DuckDbRows.SqlType(kind);

    public override async Task OpenAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await _connection.OpenAsync(cancellationToken);
    }

    /// <summary>An embedded database has no outage: what it rejects (conversion, constraint) is about the data.</summary>
    public override bool IsDataRejection(Exception exception) => exception is DuckDBException;

    protected override Task LoadStageAsync(string stage, IReadOnlyList<LandedColumn> columns, IReadOnlyList<object?[]> rows, DbTransaction transaction, CancellationToken cancellationToken)
    {
        DuckDbRows.Append(_connection, "temp", stage, rows);
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
