using System.Globalization;
using FreshchatStream.Consumers.Landing;

namespace FreshchatStream.Consumers.Parquet;

/// <summary>
/// Where the Parquet lake puts things: Hive-style <c>{root}/{table}/date=YYYY-MM-DD/part-….parquet</c>, with table
/// names those of the SQL landers (<c>users_history</c>, <c>messages</c>, …), tombstones beside their topic's history,
/// and <c>current/{table}.parquet</c> from <c>compact</c>. Part names come from the Kafka positions they hold, so a
/// replay of the same records rewrites the same file instead of adding a copy; temporary files start with a dot and
/// end in <c>.tmp</c>, which no <c>*.parquet</c> glob (nor Spark, Hive or Athena) reads.
/// </summary>
internal static class ParquetLayout
{
    public const string CurrentFolder = "current";

    public const string DeadLetterTable = "_dead_letters";

    public const string CompactedPart = "part-compacted.parquet";

    private const string DatePrefix = "date=";

    /// <summary>Columns of a tombstone table: the deleted key, where the tombstone was read, and its Kafka timestamp.</summary>
    public static readonly IReadOnlyList<LandedColumn> TombstoneColumns =
    [
        .. SqlWarehouse.MetaColumns, new("_timestamp", ColumnKind.Timestamp),
    ];

    /// <summary>Columns of the dead-letter table, as in the SQL landers' <c>_dead_letters</c>.</summary>
    public static readonly IReadOnlyList<LandedColumn> DeadLetterColumns =
    [
        new("topic", ColumnKind.Text), new("partition", ColumnKind.Integer), new("offset", ColumnKind.BigInt), new("key", ColumnKind.Text),
        new("reason", ColumnKind.Text), new("failed_at", ColumnKind.Timestamp),
    ];

    public static string HistoryTable(string resource) => SqlWarehouse.HistoryTable(resource);

    public static string TombstoneTable(string resource) => $"{resource}_tombstones";

    public static string DateFolder(DateOnly date) => DatePrefix + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? ParseDateFolder(string name) =>
        name.StartsWith(DatePrefix, StringComparison.Ordinal)
        && DateOnly.TryParseExact(name[DatePrefix.Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    /// <summary>
    /// <c>part-p{partition}-{first offset}-{last offset}.parquet</c> (offsets zero-padded so names sort in log order);
    /// <paramref name="version"/> &gt; 0 tells apart the files of one batch whose schema versions could not share one file.
    /// </summary>
    public static string PartName(int partition, long firstOffset, long lastOffset, int version = 0) =>
        string.Create(CultureInfo.InvariantCulture, $"part-p{partition}-{firstOffset:D12}-{lastOffset:D12}{(version > 0 ? $"-v{version}" : string.Empty)}.parquet");

    /// <summary>Dead letters of several topics share a folder, so their part names carry the topic.</summary>
    public static string DeadLetterPartName(string topic, int partition, long firstOffset, long lastOffset) =>
        string.Create(CultureInfo.InvariantCulture, $"part-{topic}-p{partition}-{firstOffset:D12}-{lastOffset:D12}.parquet");

    public static string PartPath(string root, string table, DateOnly date, string part) => Path.Combine(root, table, DateFolder(date), part);

    public static string CurrentPath(string root, string resource) => Path.Combine(root, CurrentFolder, $"{resource}.parquet");

    /// <summary>A unique hidden name beside <paramref name="finalPath"/>: a crashed writer's leftovers never collide or show.</summary>
    public static string TempPathFor(string finalPath) =>
        Path.Combine(Path.GetDirectoryName(finalPath)!, $".{Path.GetFileName(finalPath)}.{Guid.NewGuid():N}.tmp");

    public static bool IsTemp(string fileName) => fileName.StartsWith('.') && fileName.EndsWith(".tmp", StringComparison.Ordinal);

    public static bool IsPart(string fileName) => !fileName.StartsWith('.') && fileName.EndsWith(".parquet", StringComparison.Ordinal);

    /// <summary>The day a landed event belongs to: its capture time, else (tombstones, foreign schemas) its Kafka timestamp.</summary>
    public static DateOnly DateOf(LandedRecord record) =>
        DateOnly.FromDateTime((record.CapturedAt ?? record.Timestamp ?? DateTime.UnixEpoch).ToUniversalTime());

    /// <summary>The published part files of a table's day, in name order.</summary>
    public static IReadOnlyList<string> Parts(string dayFolder) =>
        Directory.Exists(dayFolder)
            ? [.. Directory.EnumerateFiles(dayFolder).Where(f => IsPart(Path.GetFileName(f))).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>The day folders of a table, oldest first.</summary>
    public static IReadOnlyList<(DateOnly Date, string Folder)> Days(string root, string table)
    {
        var folder = Path.Combine(root, table);
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateDirectories(folder)
                .Select(d => (Date: ParseDateFolder(Path.GetFileName(d)), Folder: d))
                .Where(d => d.Date is not null)
                .Select(d => (d.Date!.Value, d.Folder))
                .OrderBy(d => d.Item1)]
            : [];
    }

    /// <summary>SQL string literal of a path (DuckDB's <c>read_parquet</c>, <c>COPY … TO</c>).</summary>
    public static string Literal(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string ListLiteral(IEnumerable<string> paths) => "[" + string.Join(", ", paths.Select(Literal)) + "]";
}
