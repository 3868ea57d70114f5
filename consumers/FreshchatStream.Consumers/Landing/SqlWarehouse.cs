using System.Data.Common;

namespace FreshchatStream.Consumers.Landing;

/// <summary>
/// The landing logic both databases share, in plain SQL: per topic a staging table loaded in bulk by the dialect
/// (DuckDB appender, PostgreSQL binary COPY), then set-based statements — history and event tables take every new
/// <c>__event_id</c> once; current-state tables keep, per key, the newest event by <c>__captured_at</c>, deleting
/// on <c>d</c> and tombstones. Tables are created from the records' schemas and widened when a schema adds fields.
/// </summary>
public abstract class SqlWarehouse : IWarehouse
{
    /// <summary>Columns every landed table starts with: the record key and where the event was read.</summary>
    public static readonly IReadOnlyList<LandedColumn> MetaColumns =
    [
        new("_key", ColumnKind.Text), new("_topic", ColumnKind.Text), new("_partition", ColumnKind.Integer), new("_offset", ColumnKind.BigInt),
    ];

    private readonly Dictionary<string, TableShape> _known = new(StringComparer.Ordinal);

    protected abstract DbConnection Connection { get; }

    /// <summary>The SQL type of a column kind in this database.</summary>
    protected abstract string SqlType(ColumnKind kind);

    /// <summary>A timestamp greater than any other, as an SQL literal.</summary>
    protected abstract string InfinityTimestamp { get; }

    /// <summary>(Re)creates the empty staging table with exactly <paramref name="columns"/>, in that order.</summary>
    protected async Task PrepareStageAsync(string stage, IReadOnlyList<LandedColumn> columns, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q(stage)}", transaction, cancellationToken);
        await ExecuteAsync($"CREATE {StageTableKind} TABLE {Q(stage)} ({string.Join(", ", columns.Select(c => $"{Q(c.Name)} {SqlType(c.Kind)}"))})", transaction, cancellationToken);
    }

    /// <summary><c>TEMP</c> where staging tables can be session-local.</summary>
    protected abstract string StageTableKind { get; }

    /// <summary>Bulk-loads rows into the staging table, columns in <paramref name="columns"/> order.</summary>
    protected abstract Task LoadStageAsync(string stage, IReadOnlyList<LandedColumn> columns, IReadOnlyList<object?[]> rows, DbTransaction transaction, CancellationToken cancellationToken);

    public abstract Task OpenAsync(CancellationToken cancellationToken);

    public abstract bool IsDataRejection(Exception exception);

    public abstract ValueTask DisposeAsync();

    public async Task WriteAsync(IReadOnlyList<LandedRecord> records, IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        // DDL is transactional in both databases: shapes ensured in a transaction that rolls back are forgotten.
        var knownBefore = new Dictionary<string, TableShape>(_known, StringComparer.Ordinal);
        try
        {
            await WriteInTransactionAsync(records, deadLetters, cancellationToken);
        }
        catch
        {
            _known.Clear();
            foreach (var (resource, shape) in knownBefore)
            {
                _known[resource] = shape;
            }

            throw;
        }
    }

    private async Task WriteInTransactionAsync(IReadOnlyList<LandedRecord> records, IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken);
        await EnsureDeadLetterTableAsync(transaction, cancellationToken);
        foreach (var topic in records.GroupBy(r => r.Resource))
        {
            var events = topic.Where(r => !r.IsTombstone).ToList();
            // A batch may carry several schema versions of a topic: land them under their union (a newer version's
            // added fields are null for the older records); versions whose types conflict land one after the other,
            // so each is staged with its own types and the database judges it — a rejection dead-letters only those.
            var shapes = events.Select(r => r.Shape!).Distinct().ToList();
            if (TableShape.Union(shapes) is { } union)
            {
                await LandAsync(topic.Key, union, events, transaction, cancellationToken);
            }
            else
            {
                foreach (var version in events.GroupBy(r => r.Shape!))
                {
                    await LandAsync(topic.Key, version.Key, [.. version], transaction, cancellationToken);
                }
            }

            if (LandedTopics.IsEntity(topic.Key))
            {
                foreach (var tombstone in topic.Where(r => r.IsTombstone))
                {
                    await DeleteOnTombstoneAsync(topic.Key, tombstone.Key, transaction, cancellationToken);
                }
            }
        }

        foreach (var letter in deadLetters)
        {
            await ExecuteAsync("INSERT INTO \"_dead_letters\" (\"topic\", \"partition\", \"offset\", \"key\", \"reason\", \"failed_at\") VALUES ($1, $2, $3, $4, $5, $6) " +
                "ON CONFLICT (\"topic\", \"partition\", \"offset\") DO NOTHING",
                transaction, cancellationToken, letter.Topic, letter.Partition, letter.Offset, letter.Key, letter.Reason, DateTime.UtcNow);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task LandAsync(string resource, TableShape shape, List<LandedRecord> events, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (events.Count > 0)
        {
            await EnsureTablesAsync(resource, shape, transaction, cancellationToken);
            await LandEventsAsync(resource, shape, events, transaction, cancellationToken);
        }
    }

    /// <summary>Table names: <c>{resource}</c> (current state or events) and <c>{resource}_history</c>.</summary>
    public static string HistoryTable(string resource) => LandedTopics.IsEntity(resource) ? $"{resource}_history" : resource;

    private async Task LandEventsAsync(string resource, TableShape shape, List<LandedRecord> events, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var history = HistoryTable(resource);
        var stage = $"_stage_{resource}";
        var columns = MetaColumns.Concat(shape.Columns).ToList();
        await PrepareStageAsync(stage, columns, transaction, cancellationToken);
        await LoadStageAsync(stage, columns, [.. events.Select(r => Row(r, shape))], transaction, cancellationToken);
        var all = Columns(columns);
        await ExecuteAsync($"INSERT INTO {Q(history)} ({all}) SELECT {all} FROM (SELECT DISTINCT ON (\"__event_id\") * FROM {Q(stage)}) s ON CONFLICT (\"__event_id\") DO NOTHING",
            transaction, cancellationToken);
        if (!LandedTopics.IsEntity(resource))
        {
            return;
        }

        var current = Q(resource);
        var latest = $"(SELECT DISTINCT ON (\"_key\") * FROM {Q(stage)} ORDER BY \"_key\", \"__captured_at\" DESC, \"_offset\" DESC)";
        await ExecuteAsync(
            $"DELETE FROM {current} WHERE EXISTS (SELECT 1 FROM {latest} l WHERE l.\"_key\" = {current}.\"_key\" AND l.\"__op\" = 'd' AND l.\"__captured_at\" >= {current}.\"__captured_at\")",
            transaction, cancellationToken);
        var valueColumns = new[] { "_key" }.Concat(shape.Columns.Select(c => c.Name)).ToList();
        var list = string.Join(", ", valueColumns.Select(Q));
        var updates = string.Join(", ", shape.Columns.Select(c => $"{Q(c.Name)} = EXCLUDED.{Q(c.Name)}"));
        await ExecuteAsync(
            $"INSERT INTO {current} ({list}) SELECT {list} FROM {latest} l WHERE l.\"__op\" <> 'd' " +
            $"AND NOT EXISTS (SELECT 1 FROM {Q(history)} h WHERE h.\"_key\" = l.\"_key\" AND h.\"__op\" = 'd' AND h.\"__captured_at\" > l.\"__captured_at\") " +
            $"ON CONFLICT (\"_key\") DO UPDATE SET {updates} WHERE {current}.\"__captured_at\" <= EXCLUDED.\"__captured_at\"",
            transaction, cancellationToken);
    }

    /// <summary>
    /// A tombstone deletes its key unless the current row is newer than the key's last <c>d</c> (the key was
    /// re-created after the delete); without any <c>d</c> in history (compacted away) it deletes unconditionally.
    /// </summary>
    private Task DeleteOnTombstoneAsync(string resource, string key, DbTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"DELETE FROM {Q(resource)} WHERE \"_key\" = $1 AND \"__captured_at\" <= COALESCE((SELECT max(\"__captured_at\") FROM {Q(HistoryTable(resource))} " +
            $"WHERE \"_key\" = $1 AND \"__op\" = 'd'), {InfinityTimestamp})",
            transaction, cancellationToken, key);

    private async Task EnsureTablesAsync(string resource, TableShape shape, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(resource, out var known) && known.Columns.Count >= shape.Columns.Count
            && shape.Columns.All(c => known.Columns.Any(k => k.Name == c.Name)))
        {
            return;
        }

        var history = HistoryTable(resource);
        var definitions = MetaColumns.Concat(shape.Columns).Select(c => $"{Q(c.Name)} {SqlType(c.Kind)}{(c.Name == "__event_id" ? " PRIMARY KEY" : string.Empty)}");
        await ExecuteAsync($"CREATE TABLE IF NOT EXISTS {Q(history)} ({string.Join(", ", definitions)})", transaction, cancellationToken);
        await AddMissingColumnsAsync(history, MetaColumns.Concat(shape.Columns), transaction, cancellationToken);
        if (LandedTopics.IsEntity(resource))
        {
            var current = new[] { $"\"_key\" {SqlType(ColumnKind.Text)} PRIMARY KEY" }.Concat(shape.Columns.Select(c => $"{Q(c.Name)} {SqlType(c.Kind)}"));
            await ExecuteAsync($"CREATE TABLE IF NOT EXISTS {Q(resource)} ({string.Join(", ", current)})", transaction, cancellationToken);
            await AddMissingColumnsAsync(resource, shape.Columns, transaction, cancellationToken);
        }

        _known[resource] = shape;
    }

    /// <summary>Schema evolution: a field the table lacks becomes a new nullable column; nothing is dropped or retyped.</summary>
    private async Task AddMissingColumnsAsync(string table, IEnumerable<LandedColumn> columns, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = Command("SELECT column_name FROM information_schema.columns WHERE table_name = $1", transaction, table))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add(reader.GetString(0));
            }
        }

        foreach (var column in columns.Where(c => !existing.Contains(c.Name)))
        {
            await ExecuteAsync($"ALTER TABLE {Q(table)} ADD COLUMN {Q(column.Name)} {SqlType(column.Kind)}", transaction, cancellationToken);
        }
    }

    private Task EnsureDeadLetterTableAsync(DbTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync($"CREATE TABLE IF NOT EXISTS \"_dead_letters\" (\"topic\" {SqlType(ColumnKind.Text)}, \"partition\" {SqlType(ColumnKind.Integer)}, " +
                     $"\"offset\" {SqlType(ColumnKind.BigInt)}, \"key\" {SqlType(ColumnKind.Text)}, \"reason\" {SqlType(ColumnKind.Text)}, \"failed_at\" {SqlType(ColumnKind.Timestamp)}, " +
                     "PRIMARY KEY (\"topic\", \"partition\", \"offset\"))",
            transaction, cancellationToken);

    /// <summary>A history row: <see cref="MetaColumns"/>, then <paramref name="shape"/>'s fields (null where the record lacks one).</summary>
    internal static object?[] Row(LandedRecord record, TableShape shape)
    {
        var row = new object?[MetaColumns.Count + shape.Columns.Count];
        row[0] = record.Key;
        row[1] = record.Topic;
        row[2] = record.Partition;
        row[3] = record.Offset;
        for (var i = 0; i < shape.Columns.Count; i++)
        {
            row[MetaColumns.Count + i] = record.Field(shape.Columns[i].Name);
        }

        return row;
    }

    protected static string Q(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Columns(IEnumerable<LandedColumn> columns) => string.Join(", ", columns.Select(c => Q(c.Name)));

    protected async Task ExecuteAsync(string sql, DbTransaction? transaction, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(sql, transaction, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected DbCommand Command(string sql, DbTransaction? transaction, params object?[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var value in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
