using DuckDB.NET.Data;
using FreshchatStream.Consumers.Landing;

namespace FreshchatStream.Consumers.Parquet;

/// <summary>
/// <c>compact</c>: rewrites each day's part files of a table into one <c>part-compacted.parquet</c> (one row per
/// <c>__event_id</c> in history tables, per Kafka position in tombstone and dead-letter tables) and derives
/// <c>current/{resource}.parquet</c> for every entity topic. Every output is written to a temporary file and renamed
/// into place durably before any input is removed, and inputs are the files listed at the start: a crash at any
/// step leaves either the old or the new file (plus, at worst, inputs a re-run folds in again), a re-run converges
/// to the same result, and a lander writing meanwhile loses nothing.
/// </summary>
public sealed class ParquetCompactor(string root, TextWriter output)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <param name="currentOnly">Only derive <c>current/</c>, leaving every part in place (for lakes that an incremental reader such as Auto Loader consumes by file name).</param>
    public async Task<CompactionSummary> RunAsync(IReadOnlyList<string> resources, DateOnly? day, CancellationToken cancellationToken, bool currentOnly = false)
    {
        if (!Directory.Exists(Root))
        {
            throw new LanderUsageException($"--root {Root} does not exist.");
        }

        try
        {
            return await CompactAsync(resources, day, currentOnly, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LanderUpstreamException($"cannot compact the Parquet lake under {Root}: {e.Message}", e);
        }
    }

    private async Task<CompactionSummary> CompactAsync(IReadOnlyList<string> resources, DateOnly? day, bool currentOnly, CancellationToken cancellationToken)
    {
        ParquetWarehouse.RemoveStaleTemporaries(Root, DateTime.UtcNow - ParquetWarehouse.StaleTemporaryAge);
        await using var engine = await ParquetEngine.OpenAsync(cancellationToken);
        var summary = new CompactionSummary();
        var tables = resources.SelectMany(r => new[] { (Table: ParquetLayout.HistoryTable(r), Dedupe: "\"__event_id\"") }
                .Concat(LandedTopics.IsEntity(r) ? [(ParquetLayout.TombstoneTable(r), "\"_topic\", \"_partition\", \"_offset\"")] : []))
            .Append((ParquetLayout.DeadLetterTable, "\"topic\", \"partition\", \"offset\""));
        foreach (var (table, dedupe) in currentOnly ? [] : tables)
        {
            foreach (var (date, folder) in ParquetLayout.Days(Root, table).Where(d => day is null || d.Date == day))
            {
                await CompactDayAsync(engine, table, date, folder, dedupe, summary, cancellationToken);
            }
        }

        foreach (var resource in resources.Where(LandedTopics.IsEntity))
        {
            await WriteCurrentAsync(engine, resource, summary, cancellationToken);
        }

        return summary;
    }

    private async Task CompactDayAsync(DuckDBConnection engine, string table, DateOnly date, string folder, string dedupe, CompactionSummary summary, CancellationToken cancellationToken)
    {
        var parts = ParquetLayout.Parts(folder);
        if (parts.Count == 0 || (parts.Count == 1 && Path.GetFileName(parts[0]) == ParquetLayout.CompactedPart))
        {
            return;
        }

        var order = dedupe.Contains("__event_id", StringComparison.Ordinal) ? "\"_partition\", \"_offset\"" : dedupe;
        var final = Path.Combine(folder, ParquetLayout.CompactedPart);
        var temp = ParquetLayout.TempPathFor(final);
        var rows = await ParquetEngine.CountAsync(engine,
            $"SELECT count(*) FROM (SELECT * FROM {Read(parts)} QUALIFY row_number() OVER (PARTITION BY {dedupe} ORDER BY {order}) = 1)", cancellationToken);
        await CopyAsync(engine, $"SELECT * FROM {Read(parts)} QUALIFY row_number() OVER (PARTITION BY {dedupe} ORDER BY {order}) = 1 ORDER BY {order}", temp, cancellationToken);
        DurableFiles.Publish(temp, final);
        DurableFiles.Remove([.. parts.Where(p => p != final)]);
        summary.DaysCompacted++;
        summary.FilesReplaced += parts.Count;
        output.WriteLine($"{table}/{ParquetLayout.DateFolder(date)}: {parts.Count} file(s) -> {ParquetLayout.CompactedPart} ({rows} row(s))");
    }

    private async Task WriteCurrentAsync(DuckDBConnection engine, string resource, CompactionSummary summary, CancellationToken cancellationToken)
    {
        var history = ParquetLayout.Days(Root, ParquetLayout.HistoryTable(resource)).SelectMany(d => ParquetLayout.Parts(d.Folder)).ToList();
        if (history.Count == 0)
        {
            return;
        }

        var tombstones = ParquetLayout.Days(Root, ParquetLayout.TombstoneTable(resource)).SelectMany(d => ParquetLayout.Parts(d.Folder)).ToList();
        var final = ParquetLayout.CurrentPath(Root, resource);
        DurableFiles.EnsureFolder(Path.GetDirectoryName(final)!);
        var temp = ParquetLayout.TempPathFor(final);
        var query = CurrentStateQuery(Read(history), tombstones.Count == 0 ? null : Read(tombstones));
        var rows = await ParquetEngine.CountAsync(engine, $"SELECT count(*) FROM ({query})", cancellationToken);
        await CopyAsync(engine, query, temp, cancellationToken);
        DurableFiles.Publish(temp, final);
        summary.CurrentTables++;
        output.WriteLine($"{ParquetLayout.CurrentFolder}/{resource}.parquet: {rows} row(s)");
    }

    /// <summary>
    /// The SQL landers' current-state rule over a whole history at once: per <c>_key</c> the newest event by
    /// <c>__captured_at</c> (then offset) wins; the key is absent when that event is a <c>d</c>, or when a tombstone
    /// read after it deletes it — unconditionally when history holds no <c>d</c> for the key (compacted away), else
    /// only if the winner is no newer than the key's last <c>d</c> (a key re-created after its delete stays).
    /// Columns: <c>_key</c>, then the value's fields, as in the SQL landers' current tables.
    /// </summary>
    internal static string CurrentStateQuery(string history, string? tombstones)
    {
        var tombstoneRule = tombstones is null
            ? string.Empty
            : $"""
               AND NOT EXISTS (SELECT 1 FROM {tombstones} t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
                   AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM h d WHERE d."_key" = l."_key" AND d."__op" = 'd'), 'infinity'::TIMESTAMP))
               """;
        return $"""
                WITH h AS (SELECT * FROM {history}),
                l AS (SELECT * FROM h QUALIFY row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) = 1)
                SELECT * EXCLUDE ("_topic", "_partition", "_offset") FROM l
                WHERE l."__op" <> 'd' {tombstoneRule}
                ORDER BY "_key"
                """;
    }

    private static string Read(IEnumerable<string> files) => $"read_parquet({ParquetLayout.ListLiteral(files)}, union_by_name = true, hive_partitioning = false)";

    private static async Task CopyAsync(DuckDBConnection engine, string query, string temp, CancellationToken cancellationToken)
    {
        try
        {
            await ParquetEngine.ExecuteAsync(engine, $"COPY ({query}) TO {ParquetLayout.Literal(temp)} (FORMAT PARQUET, COMPRESSION ZSTD)", cancellationToken);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
