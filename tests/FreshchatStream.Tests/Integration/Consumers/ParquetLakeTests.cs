using System.Text.Json.Nodes;
using Avro;
using DuckDB.NET.Data;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Consumers.Parquet;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Consumers;

/// <summary>
/// The Parquet lake's file discipline, fed decoded batches directly (no Kafka): DuckDB writes Parquet offline with no
/// extension, parts are named by Kafka position and published whole, <c>compact</c> survives a crash between its
/// steps and re-runs to the same result, replays never duplicate current state, and a new field becomes a new column.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#22")]
public sealed class ParquetLakeTests
{
    private static readonly DateTime Base = new(2025, 7, 4, 8, 0, 0, DateTimeKind.Utc);
    private static readonly RecordSchema RoleSchema = EmbeddedSchemas.Instance.Value(CaptureCatalogue.RolesTopic);
    private static readonly TableShape Role = TableShape.From(RoleSchema);

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"lake-{Guid.NewGuid():N}");
    private long _offset;

    [Fact]
    public async Task Engine_WritesAndReadsParquetOffline_WithoutInstallingOrLoadingAnyExtension()
    {
        var extensions = Path.Combine(_root, "extensions");
        await using var engine = await ParquetEngine.OpenAsync(CancellationToken.None);
        await ParquetLakeReader.ExecuteAsync(engine, $"SET extension_directory = '{extensions}'");

        Assert.Equal("false", (await LanderHarness.ColumnAsync(engine, "SELECT current_setting('autoinstall_known_extensions')::VARCHAR")).Single());
        Assert.Equal("false", (await LanderHarness.ColumnAsync(engine, "SELECT current_setting('autoload_known_extensions')::VARCHAR")).Single());
        Assert.Equal(["STATICALLY_LINKED"], await LanderHarness.ColumnAsync(engine, "SELECT install_mode::VARCHAR FROM duckdb_extensions() WHERE extension_name = 'parquet' AND loaded"));
        var (temp, final) = await ParquetWarehouse.WriteTemporaryAsync(engine, Path.Combine(_root, "t", "part.parquet"), Role.Columns, [Values("r1", "c", 1, "a")], CancellationToken.None);
        File.Move(temp, final);
        Assert.Equal(["r1"], await LanderHarness.ColumnAsync(engine, $"SELECT id FROM read_parquet('{final}')"));
        // Something that would need a non-built-in extension (httpfs) fails at once instead of downloading it.
        var remote = await Assert.ThrowsAnyAsync<DuckDBException>(() => ParquetLakeReader.ExecuteAsync(engine, "SELECT * FROM read_parquet('s3://bucket/x.parquet')"));
        Assert.Contains("httpfs", remote.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(extensions) && Directory.EnumerateFileSystemEntries(extensions, "*", SearchOption.AllDirectories).Any(),
            "an extension was installed");
    }

    [Fact]
    public async Task Write_Batch_PublishesHivePartsNamedByKafkaPositionAndNoTemporaryFile()
    {
        await WriteAsync([Event("r1", "c", 1, "a", partition: 2), Event("r2", "c", 60 * 24, "b", partition: 2), Tombstone("r3", partition: 1)]);

        var files = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            "roles_history/date=2025-07-04/part-p2-000000000000-000000000000.parquet",
            "roles_history/date=2025-07-05/part-p2-000000000001-000000000001.parquet",
            "roles_tombstones/date=2025-07-04/part-p1-000000000002-000000000002.parquet",
        ], files);
    }

    [Fact]
    public async Task Write_SameRecordsAgain_RewritesTheSameFilesInsteadOfAddingCopies()
    {
        LandedRecord[] batch = [Event("r1", "c", 1, "a"), Event("r2", "c", 2, "b")];
        await WriteAsync(batch);
        var before = Directory.GetFiles(_root, "*.parquet", SearchOption.AllDirectories).Order().ToList();

        await WriteAsync(batch);

        Assert.Equal(before, Directory.GetFiles(_root, "*.parquet", SearchOption.AllDirectories).Order().ToList());
        await using var db = await ParquetLakeReader.OpenViewsAsync(_root, []);
        Assert.Equal(2, await LanderHarness.ScalarAsync<long>(db, $"SELECT count(*) FROM {ParquetLakeReader.Raw(_root, "roles_history")}"));
    }

    [Fact]
    public async Task Compact_ManyPartsAndReplays_OnePartPerDayAndOneCurrentRowPerKey()
    {
        await WriteAsync([Event("r1", "c", 1, "a"), Event("r2", "c", 1, "b")]);
        await WriteAsync([Event("r1", "u", 2, "a2")]);
        await WriteAsync([Event("r1", "c", 1, "a"), Event("r2", "c", 1, "b"), Event("r1", "u", 2, "a2")]); // a replay under other batch boundaries

        await ParquetLakeReader.CompactAsync(_root, "--topics", "roles");

        var parts = Directory.GetFiles(Path.Combine(_root, "roles_history"), "*.parquet", SearchOption.AllDirectories);
        Assert.Equal(ParquetLayout.CompactedPart, Path.GetFileName(Assert.Single(parts)));
        await using var db = await ParquetLakeReader.OpenViewsAsync(_root, ["roles"]);
        Assert.Equal(3, await LanderHarness.ScalarAsync<long>(db, $"SELECT count(*) FROM {ParquetLakeReader.Raw(_root, "roles_history")}"));
        Assert.Equal(["r1:a2", "r2:b"], await LanderHarness.ColumnAsync(db, "SELECT id || ':' || name FROM roles ORDER BY id"));
    }

    [Fact]
    public async Task Compact_CurrentOnly_WritesCurrentStateAndLeavesEveryPartInPlace()
    {
        await WriteAsync([Event("r1", "c", 1, "a"), Event("r2", "c", 1, "b")]);
        await WriteAsync([Event("r1", "u", 2, "a2")]);
        var parts = Directory.GetFiles(_root, "*.parquet", SearchOption.AllDirectories).Order().ToList();

        await ParquetLakeReader.CompactAsync(_root, "--topics", "roles", "--current-only");

        Assert.Equal(parts, Directory.GetFiles(Path.Combine(_root, "roles_history"), "*.parquet", SearchOption.AllDirectories).Order().ToList());
        await using var db = await ParquetLakeReader.OpenViewsAsync(_root, ["roles"]);
        Assert.Equal(["r1:a2", "r2:b"], await LanderHarness.ColumnAsync(db, "SELECT id || ':' || name FROM roles ORDER BY id"));
    }

    [Fact]
    public async Task Compact_CrashAfterPublishingBeforeRemovingParts_ReRunConvergesToTheSameLake()
    {
        await WriteAsync([Event("r1", "c", 1, "a"), Event("r2", "c", 1, "b")]);
        await WriteAsync([Event("r1", "d", 3, null), Tombstone("r1")]);
        var day = Path.Combine(_root, "roles_history", "date=2025-07-04");
        var saved = Path.Combine(_root, "saved");
        Directory.CreateDirectory(saved);
        foreach (var part in Directory.GetFiles(day))
        {
            File.Copy(part, Path.Combine(saved, Path.GetFileName(part)));
        }

        await ParquetLakeReader.CompactAsync(_root, "--topics", "roles");
        var compacted = await SnapshotAsync();
        // The state a crash between the rename of part-compacted.parquet and the removal of its inputs leaves,
        // plus a temporary file of a killed writer.
        foreach (var part in Directory.GetFiles(saved))
        {
            File.Copy(part, Path.Combine(day, Path.GetFileName(part)));
        }

        await File.WriteAllTextAsync(Path.Combine(day, ".part-compacted.parquet.0123.tmp"), "torn");

        await ParquetLakeReader.CompactAsync(_root, "--topics", "roles");

        Assert.Equal(compacted, await SnapshotAsync());
        Assert.Equal([".part-compacted.parquet.0123.tmp", ParquetLayout.CompactedPart], Directory.GetFiles(day).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        await ParquetLakeReader.CompactAsync(_root, "--topics", "roles", "--date", "2025-07-04");
        Assert.Equal(compacted, await SnapshotAsync());
    }

    [Fact]
    public async Task Write_SchemaWithANewField_NewFilesCarryTheColumnAndReadersSeeBothByName()
    {
        var json = JsonNode.Parse(RoleSchema.ToString())!.AsObject();
        json["fields"]!.AsArray().Add(new JsonObject { ["name"] = "team", ["type"] = new JsonArray("null", "string"), ["default"] = null });
        var evolved = TableShape.From((RecordSchema)Schema.Parse(json.ToJsonString()));
        await WriteAsync([Event("r1", "c", 1, "old")]);

        await WriteAsync([Event("r2", "c", 2, "new", evolved, ("team", "night"))]);

        await using var db = await ParquetLakeReader.OpenViewsAsync(_root, []);
        var oldPart = Directory.GetFiles(Path.Combine(_root, "roles_history"), "*-000000000000-*.parquet", SearchOption.AllDirectories).Single();
        Assert.Empty(await LanderHarness.ColumnAsync(db, $"SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('{oldPart}')) WHERE column_name = 'team'"));
        Assert.Equal(["r1:<null>", "r2:night"], await LanderHarness.ColumnAsync(db, $"SELECT id || ':' || coalesce(team, '<null>') FROM {ParquetLakeReader.Raw(_root, "roles_history")} ORDER BY id"));
        await ParquetLakeReader.CompactAsync(_root, "--topics", "roles");
        await using var current = await ParquetLakeReader.OpenViewsAsync(_root, ["roles"]);
        Assert.Equal(["r1:<null>", "r2:night"], await LanderHarness.ColumnAsync(current, "SELECT id || ':' || coalesce(team, '<null>') FROM roles ORDER BY id"));
    }

    [Fact]
    public async Task Open_StaleTemporaryFiles_AreRemovedAndFreshOnesKept()
    {
        var day = Path.Combine(_root, "roles_history", "date=2025-07-04");
        Directory.CreateDirectory(day);
        var stale = Path.Combine(day, ".part-p0-000000000000-000000000009.parquet.aaaa.tmp");
        var fresh = Path.Combine(day, ".part-p0-000000000010-000000000019.parquet.bbbb.tmp");
        await File.WriteAllTextAsync(stale, "torn");
        await File.WriteAllTextAsync(fresh, "in progress");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - ParquetWarehouse.StaleTemporaryAge - TimeSpan.FromMinutes(1));

        await WriteAsync([]);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task Cli_LakeFolderCannotBeCreatedOrCompactRootMissing_ExitsWithOneLine()
    {
        Directory.CreateDirectory(_root);
        var file = Path.Combine(_root, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var land = await FreshchatStream.Consumers.Commands.LanderCli.RunAsync(
            ["parquet", "--root", Path.Combine(file, "lake"), "--bootstrap-servers", "127.0.0.1:1", "--schema-registry", "http://127.0.0.1:1", "--quiet"], output, error);
        var compact = await FreshchatStream.Consumers.Commands.LanderCli.RunAsync(["compact", "--root", Path.Combine(_root, "missing")], output, error);

        Assert.Equal(3, land);
        Assert.Equal(2, compact);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"fatal: cannot create the lake folder {Path.Combine(file, "lake")}", lines[0]);
        Assert.Equal($"error: --root {Path.Combine(_root, "missing")} does not exist.", lines[1]);
    }

    private async Task<string> SnapshotAsync()
    {
        await using var db = await ParquetLakeReader.OpenViewsAsync(_root, ["roles"]);
        var history = await LanderHarness.ColumnAsync(db, $"SELECT __event_id || '@' || _offset FROM {ParquetLakeReader.Raw(_root, "roles_history")} ORDER BY ALL");
        var tombstones = await LanderHarness.ColumnAsync(db, $"SELECT _key || '@' || _offset FROM {ParquetLakeReader.Raw(_root, "roles_tombstones")} ORDER BY ALL");
        var current = await LanderHarness.ColumnAsync(db, "SELECT _key || ':' || __event_id FROM roles ORDER BY ALL");
        return string.Join("|", history) + "#" + string.Join("|", tombstones) + "#" + string.Join("|", current);
    }

    private async Task WriteAsync(IReadOnlyList<LandedRecord> batch)
    {
        await using var warehouse = new ParquetWarehouse(_root);
        await warehouse.OpenAsync(CancellationToken.None);
        await warehouse.WriteAsync(batch, [], CancellationToken.None);
    }

    private static object?[] Values(string id, string op, int minute, string? name, TableShape? shape = null, params (string Name, object Value)[] extra)
    {
        shape ??= Role;
        var fields = new Dictionary<string, object?>
        {
            ["__event_id"] = $"{id}-{op}-{minute}", ["__op"] = op, ["__deleted"] = op == "d", ["__captured_at"] = Base.AddMinutes(minute),
            ["__account"] = "acme", ["__endpoint"] = "/v2/roles", ["id"] = id, ["name"] = name,
        };
        foreach (var (field, value) in extra)
        {
            fields[field] = value;
        }

        return [.. shape.Columns.Select(c => fields.GetValueOrDefault(c.Name))];
    }

    private LandedRecord Event(string id, string op, int minute, string? name, TableShape? shape = null, (string Name, object Value) extra = default, int partition = 0)
    {
        shape ??= Role;
        var values = extra.Name is null ? Values(id, op, minute, name, shape) : Values(id, op, minute, name, shape, extra);
        return new LandedRecord("roles", "t.roles", partition, _offset++, $$"""{"id":"{{id}}"}""", shape, values);
    }

    private LandedRecord Tombstone(string id, int partition = 0) =>
        new("roles", "t.roles", partition, _offset++, $$"""{"id":"{{id}}"}""", null, null) { Timestamp = Base.AddMinutes(5) };
}
