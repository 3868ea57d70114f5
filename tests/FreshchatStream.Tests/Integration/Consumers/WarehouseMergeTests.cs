using System.Data.Common;
using System.Text.Json.Nodes;
using Avro;
using FreshchatStream.Consumers.DuckDb;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Consumers.Postgres;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Consumers;

/// <summary>
/// The set-based merge of both warehouses, fed decoded batches directly (no Kafka): newest wins per key, deletes
/// and tombstones, replays change nothing, schema versions in one batch, and type conflicts as data rejections.
/// Each batch is written by a fresh warehouse instance, as a restarted lander would.
/// </summary>
public abstract class WarehouseMergeTests
{
    private static readonly DateTime Base = new(2025, 7, 4, 8, 0, 0, DateTimeKind.Utc);
    private static readonly RecordSchema RoleSchema = EmbeddedSchemas.Instance.Value(CaptureCatalogue.RolesTopic);
    private static readonly TableShape Role = TableShape.From(RoleSchema);

    private long _offset;

    protected abstract Task<string> NewDatabaseAsync();

    protected abstract IWarehouse Open(string database);

    protected abstract Task<DbConnection> ConnectAsync(string database);

    [Fact]
    public async Task Write_OutOfOrderVersionsInOneBatch_KeepsTheNewest()
    {
        var db = await NewDatabaseAsync();

        await WriteAsync(db, [Event("r1", "u", 5, "newest"), Event("r1", "c", 1, "oldest"), Event("r1", "u", 3, "middle")]);

        Assert.Equal(["r1:newest"], await QueryAsync(db, "SELECT id || ':' || name FROM roles"));
        Assert.Equal(3, await CountAsync(db, "roles_history"));
    }

    [Fact]
    public async Task Write_OlderEventAfterADelete_DoesNotResurrectTheKey()
    {
        var db = await NewDatabaseAsync();
        await WriteAsync(db, [Event("r1", "c", 1, "a"), Event("r2", "c", 1, "b")]);
        await WriteAsync(db, [Event("r1", "d", 3, null), Tombstone("r1")]);

        await WriteAsync(db, [Event("r1", "u", 2, "late")]);

        Assert.Equal(["r2"], await QueryAsync(db, "SELECT id FROM roles"));
        Assert.Equal(["c", "u", "d"], await QueryAsync(db, "SELECT __op FROM roles_history WHERE id = 'r1' ORDER BY __captured_at"));
    }

    [Fact]
    public async Task Write_TombstoneWhoseDeleteWasCompactedAway_DeletesTheKey()
    {
        var db = await NewDatabaseAsync();
        await WriteAsync(db, [Event("r1", "c", 1, "a")]);

        await WriteAsync(db, [Tombstone("r1")]);

        Assert.Equal(0, await CountAsync(db, "roles"));
        Assert.Equal(1, await CountAsync(db, "roles_history"));
    }

    [Fact]
    public async Task Write_ReplayOfDeleteAndRecreate_KeepsTheRecreatedRowAndAddsNothing()
    {
        var db = await NewDatabaseAsync();
        LandedRecord[][] batches = [[Event("r1", "c", 1, "first")], [Event("r1", "d", 2, null), Tombstone("r1")], [Event("r1", "c", 3, "again")]];
        foreach (var batch in batches)
        {
            await WriteAsync(db, batch);
        }

        var before = await QueryAsync(db, "SELECT __event_id || ':' || coalesce(name, '') FROM roles_history ORDER BY __event_id");

        foreach (var batch in batches)
        {
            await WriteAsync(db, batch);
        }

        await WriteAsync(db, [.. batches.SelectMany(b => b)]);

        Assert.Equal(["r1:again"], await QueryAsync(db, "SELECT id || ':' || name FROM roles"));
        Assert.Equal(before, await QueryAsync(db, "SELECT __event_id || ':' || coalesce(name, '') FROM roles_history ORDER BY __event_id"));
        Assert.Equal(3, before.Count);
    }

    [Fact]
    public async Task Write_TwoSchemaVersionsInOneBatch_LandsBothUnderTheWiderTable()
    {
        var db = await NewDatabaseAsync();
        var evolved = TableShape.From(Evolve(field => field["name"]!.GetValue<string>() == "raw_json", new JsonObject { ["name"] = "team", ["type"] = new JsonArray("null", "string"), ["default"] = null }));

        await WriteAsync(db, [Event("r1", "c", 1, "old shape"), Event("r2", "c", 1, "new shape", evolved, ("team", "night"))]);

        Assert.Equal(["r1:<none>", "r2:night"], await QueryAsync(db, "SELECT id || ':' || coalesce(team, '<none>') FROM roles ORDER BY id"));
        Assert.Equal(2, await CountAsync(db, "roles_history"));
    }

    [Fact]
    public virtual async Task Write_RecordWhoseTypeConflictsWithTheTable_IsADataRejectionAndTheRestLandsAloneOnce()
    {
        var db = await NewDatabaseAsync();
        var conflicting = TableShape.From(Retype("__captured_at", "string"));
        var good = Event("r1", "c", 1, "good");
        var bad = Event("r2", "c", 1, "bad", conflicting, ("__captured_at", "not a time"));

        Exception rejected;
        await using (var warehouse = Open(db))
        {
            await warehouse.OpenAsync(CancellationToken.None);
            rejected = await Assert.ThrowsAnyAsync<DbException>(() => warehouse.WriteAsync([good, bad], [], CancellationToken.None));
            Assert.True(warehouse.IsDataRejection(rejected), rejected.Message);

            // The same instance: tables its rolled-back transaction created must be created again.
            var letter = new DeadLetter("t.roles", 0, bad.Offset, bad.Key, "rejected");
            await warehouse.WriteAsync([good], [letter], CancellationToken.None);
            await warehouse.WriteAsync([good], [letter], CancellationToken.None); // a replay adds no second dead letter
        }

        Assert.Equal(["r1"], await QueryAsync(db, "SELECT id FROM roles"));
        Assert.Equal(1, await CountAsync(db, "_dead_letters"));
    }

    private static RecordSchema Evolve(Func<JsonNode, bool> before, JsonObject field)
    {
        var json = JsonNode.Parse(RoleSchema.ToString())!.AsObject();
        var fields = json["fields"]!.AsArray();
        fields.Insert(fields.ToList().FindIndex(f => before(f!)), field);
        return (RecordSchema)Schema.Parse(json.ToJsonString());
    }

    protected static RecordSchema Retype(string name, string type)
    {
        var json = JsonNode.Parse(RoleSchema.ToString())!.AsObject();
        json["name"] = "RoleFromAnotherSubject";
        json["fields"]!.AsArray().First(f => f!["name"]!.GetValue<string>() == name)!["type"] = type;
        return (RecordSchema)Schema.Parse(json.ToJsonString());
    }

    protected LandedRecord Event(string id, string op, int minute, string? name, TableShape? shape = null, params (string Name, object Value)[] extra)
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

        var values = shape.Columns.Select(c => fields.GetValueOrDefault(c.Name)).ToArray();
        return new LandedRecord("roles", "t.roles", 0, _offset++, $$"""{"id":"{{id}}"}""", shape, values);
    }

    private LandedRecord Tombstone(string id) => new("roles", "t.roles", 0, _offset++, $$"""{"id":"{{id}}"}""", null, null);

    protected async Task WriteAsync(string database, IReadOnlyList<LandedRecord> batch)
    {
        await using var warehouse = Open(database);
        await warehouse.OpenAsync(CancellationToken.None);
        await warehouse.WriteAsync(batch, [], CancellationToken.None);
    }

    protected async Task<List<string>> QueryAsync(string database, string sql)
    {
        await using var connection = await ConnectAsync(database);
        return await LanderHarness.ColumnAsync(connection, sql);
    }

    protected async Task<long> CountAsync(string database, string table)
    {
        await using var connection = await ConnectAsync(database);
        return await LanderHarness.ScalarAsync<long>(connection, $"SELECT count(*) FROM {table}");
    }
}

[Trait("Category", "Integration")]
public sealed class DuckDbWarehouseMergeTests : WarehouseMergeTests
{
    protected override Task<string> NewDatabaseAsync() => Task.FromResult(Path.Combine(Path.GetTempPath(), $"merge-{Guid.NewGuid():N}.duckdb"));

    protected override IWarehouse Open(string database) => new DuckDbWarehouse(database);

    protected override async Task<DbConnection> ConnectAsync(string database) => await LanderHarness.OpenDuckDbAsync(database);
}

[Trait("Category", "Integration")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresWarehouseMergeTests(PostgresServerFixture postgres) : WarehouseMergeTests
{
    protected override Task<string> NewDatabaseAsync() => postgres.CreateDatabaseAsync();

    protected override IWarehouse Open(string database) => new PostgresWarehouse(database);

    protected override async Task<DbConnection> ConnectAsync(string database) => await LanderHarness.OpenPostgresAsync(database);
}

/// <summary>
/// The same merge scenarios against the Parquet lake: every batch becomes files, and the tables the assertions
/// query are the lake read back after <c>compact</c> (current state) and deduplicated on read (history).
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#22")]
public sealed class ParquetWarehouseMergeTests : WarehouseMergeTests
{
    protected override Task<string> NewDatabaseAsync() => Task.FromResult(Path.Combine(Path.GetTempPath(), $"lake-{Guid.NewGuid():N}"));

    protected override IWarehouse Open(string database) => new FreshchatStream.Consumers.Parquet.ParquetWarehouse(database);

    protected override async Task<DbConnection> ConnectAsync(string database)
    {
        await ParquetLakeReader.CompactAsync(database, "--topics", "roles");
        return await ParquetLakeReader.OpenViewsAsync(database, ["roles"]);
    }

    /// <summary>
    /// Files have no table to conflict with: each schema version lands in a file of its own types (the conflicting
    /// column simply has another type in that file), nothing is rejected, and the batch's other records land once.
    /// </summary>
    [Fact]
    public override async Task Write_RecordWhoseTypeConflictsWithTheTable_IsADataRejectionAndTheRestLandsAloneOnce()
    {
        var db = await NewDatabaseAsync();
        var conflicting = TableShape.From(Retype("__captured_at", "string"));
        var good = Event("r1", "c", 1, "good");
        var bad = Event("r2", "c", 1, "bad", conflicting, ("__captured_at", "not a time"));

        await WriteAsync(db, [good, bad]);

        var files = Directory.GetFiles(Path.Combine(db, "roles_history"), "*.parquet", SearchOption.AllDirectories).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(2, files.Count);
        Assert.All(files, f => Assert.Matches("-v[12]\\.parquet$", f!));
        await using var connection = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var paths = files.Select(f => Directory.GetFiles(db, f!, SearchOption.AllDirectories).Single()).ToList();
        var types = new List<string>();
        foreach (var file in paths)
        {
            types.AddRange(await LanderHarness.ColumnAsync(connection, $"SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet('{file}')) WHERE column_name = '__captured_at'"));
        }

        Assert.Equal(["TIMESTAMP", "VARCHAR"], types.Order());
    }
}
