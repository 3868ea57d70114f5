using DuckDB.NET.Data;
using DuckDB.NET.Native;
using FreshchatStream.Consumers.DuckDb;
using FreshchatStream.Consumers.Landing;

namespace FreshchatStream.Consumers.Parquet;

/// <summary>
/// Lands batches as Parquet files in a Hive-style lake (<see cref="ParquetLayout"/>), written by DuckDB's built-in
/// <c>COPY … (FORMAT PARQUET)</c>. Every event goes to its topic's append-only history table (the SQL landers'
/// columns: <c>_key</c>, <c>_topic</c>, <c>_partition</c>, <c>_offset</c>, then the value's fields), tombstones to
/// <c>{resource}_tombstones</c>, dead letters to <c>_dead_letters</c>. A batch's files are all written to temporary
/// names first and published (fsync, rename, fsync the folder) only when every one of them is complete, so a
/// rejected batch publishes nothing and the lander commits offsets only for durable files. Current state is not
/// kept here: <see cref="ParquetCompactor"/> derives it.
/// </summary>
public sealed class ParquetWarehouse(string root) : IWarehouse
{
    /// <summary>Temporary files older than this were left by a writer that died; younger ones may belong to a live one.</summary>
    internal static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromHours(1);

    private DuckDBConnection? _engine;

    public string Root { get; } = Path.GetFullPath(root);

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            DurableFiles.EnsureFolder(Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LanderUpstreamException($"cannot create the lake folder {Root}: {e.Message}", e);
        }

        RemoveStaleTemporaries(Root, DateTime.UtcNow - StaleTemporaryAge);
        _engine = await ParquetEngine.OpenAsync(cancellationToken);
    }

    public async Task WriteAsync(IReadOnlyList<LandedRecord> records, IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        var engine = _engine ?? throw new InvalidOperationException("the Parquet lake is not open");
        var pending = new List<(string Temp, string Final)>();
        try
        {
            foreach (var topic in records.GroupBy(r => r.Resource))
            {
                var events = topic.Where(r => !r.IsTombstone).ToList();
                var versions = TableShape.Union([.. events.Select(r => r.Shape!).Distinct()]) is { } union
                    ? [(union, events)]
                    : events.GroupBy(r => r.Shape!).Select(g => (g.Key, g.ToList())).ToList();
                for (var version = 0; version < versions.Count; version++)
                {
                    var (shape, rows) = versions[version];
                    var columns = SqlWarehouse.MetaColumns.Concat(shape.Columns).ToList();
                    foreach (var file in rows.GroupBy(r => (Date: ParquetLayout.DateOf(r), r.Partition)))
                    {
                        var part = ParquetLayout.PartName(file.Key.Partition, file.Min(r => r.Offset), file.Max(r => r.Offset), versions.Count > 1 ? version + 1 : 0);
                        var path = ParquetLayout.PartPath(Root, ParquetLayout.HistoryTable(topic.Key), file.Key.Date, part);
                        pending.Add(await WriteTemporaryAsync(engine, path, columns, file.Select(r => SqlWarehouse.Row(r, shape)), cancellationToken));
                    }
                }

                foreach (var file in topic.Where(r => r.IsTombstone).GroupBy(r => (Date: ParquetLayout.DateOf(r), r.Partition)))
                {
                    var part = ParquetLayout.PartName(file.Key.Partition, file.Min(r => r.Offset), file.Max(r => r.Offset));
                    var path = ParquetLayout.PartPath(Root, ParquetLayout.TombstoneTable(topic.Key), file.Key.Date, part);
                    pending.Add(await WriteTemporaryAsync(engine, path, ParquetLayout.TombstoneColumns,
                        file.Select(r => new object?[] { r.Key, r.Topic, r.Partition, r.Offset, r.Timestamp }), cancellationToken));
                }
            }

            var now = DateTime.UtcNow;
            foreach (var file in deadLetters.GroupBy(d => (d.Topic, d.Partition)))
            {
                var part = ParquetLayout.DeadLetterPartName(file.Key.Topic, file.Key.Partition, file.Min(d => d.Offset), file.Max(d => d.Offset));
                var path = ParquetLayout.PartPath(Root, ParquetLayout.DeadLetterTable, DateOnly.FromDateTime(now), part);
                pending.Add(await WriteTemporaryAsync(engine, path, ParquetLayout.DeadLetterColumns,
                    file.Select(d => new object?[] { d.Topic, d.Partition, d.Offset, d.Key, d.Reason, now }), cancellationToken));
            }

            DurableFiles.PublishAll(pending);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Discard(pending);
            throw new LanderUpstreamException($"cannot write the Parquet lake under {Root}: {e.Message}", e);
        }
        catch
        {
            Discard(pending);
            throw;
        }
    }

    /// <summary>
    /// Only what DuckDB refuses about the values (a conversion, an invalid input) is about the data; an I/O error
    /// writing the file is an outage, which must stop the lander with its offsets uncommitted.
    /// </summary>
    public bool IsDataRejection(Exception exception) =>
        exception is DuckDBException { ErrorType: DuckDBErrorType.Conversion or DuckDBErrorType.InvalidInput or DuckDBErrorType.Constraint or DuckDBErrorType.MismatchType or DuckDBErrorType.OutOfRange };

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    /// <summary>Writes rows to a temporary file beside <paramref name="finalPath"/> through a staging table.</summary>
    internal static async Task<(string Temp, string Final)> WriteTemporaryAsync(DuckDBConnection engine, string finalPath, IReadOnlyList<LandedColumn> columns,
        IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        DurableFiles.EnsureFolder(Path.GetDirectoryName(finalPath)!);
        var temp = ParquetLayout.TempPathFor(finalPath);
        const string stage = "_parquet_stage";
        var definitions = string.Join(", ", columns.Select(c => $"{Q(c.Name)} {DuckDbRows.SqlType(c.Kind)}"));
        await ParquetEngine.ExecuteAsync(engine, $"CREATE OR REPLACE TEMP TABLE {stage} ({definitions})", cancellationToken);
        try
        {
            DuckDbRows.Append(engine, "temp", stage, rows);
            await ParquetEngine.ExecuteAsync(engine, $"COPY {stage} TO {ParquetLayout.Literal(temp)} (FORMAT PARQUET, COMPRESSION ZSTD)", cancellationToken);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        finally
        {
            await ParquetEngine.ExecuteAsync(engine, $"DROP TABLE IF EXISTS {stage}", cancellationToken);
        }

        return (temp, finalPath);
    }

    internal static string Q(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Deletes temporary files a killed writer left, if older than <paramref name="olderThan"/> (UTC).</summary>
    internal static int RemoveStaleTemporaries(string root, DateTime olderThan)
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(root, ".*.tmp", SearchOption.AllDirectories))
        {
            if (ParquetLayout.IsTemp(Path.GetFileName(file)) && File.GetLastWriteTimeUtc(file) < olderThan)
            {
                File.Delete(file);
                removed++;
            }
        }

        return removed;
    }

    private static void Discard(IEnumerable<(string Temp, string Final)> pending)
    {
        foreach (var (temp, _) in pending)
        {
            File.Delete(temp); // a no-op once published: the temporary name is gone
        }
    }
}
