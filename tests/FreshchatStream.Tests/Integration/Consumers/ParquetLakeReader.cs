using DuckDB.NET.Data;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Consumers.Parquet;

namespace FreshchatStream.Tests.Integration.Consumers;

/// <summary>
/// Reads a Parquet lake back through DuckDB the way docs/destinations.md tells users to: history deduplicated on
/// <c>__event_id</c> over every part (<c>union_by_name</c>), current state from <c>current/{table}.parquet</c>; and
/// compares it with a DuckDB lander's database, table by table, column by column.
/// </summary>
internal static class ParquetLakeReader
{
    public static string History(string root, string table) =>
        $"(SELECT * FROM read_parquet('{root}/{table}/*/*.parquet', union_by_name = true, hive_partitioning = false) " +
        "QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1)";

    public static string Raw(string root, string table) =>
        $"read_parquet('{root}/{table}/*/*.parquet', union_by_name = true, hive_partitioning = false)";

    public static string Current(string root, string resource) => $"read_parquet('{root}/current/{resource}.parquet')";

    /// <summary>Runs <c>compact</c> over the lake through the command line, as a user would.</summary>
    public static async Task CompactAsync(string root, params string[] options)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await FreshchatStream.Consumers.Commands.LanderCli.RunAsync(["compact", "--root", root, .. options], output, error);
        Assert.True(code == 0, $"compact exited {code}: {error}{output}");
    }

    /// <summary>An in-memory DuckDB with the lake's tables as views named like the SQL landers' tables.</summary>
    public static async Task<DuckDBConnection> OpenViewsAsync(string root, IEnumerable<string> resources)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        foreach (var resource in resources)
        {
            var history = ParquetLayout.HistoryTable(resource);
            if (Directory.Exists(Path.Combine(root, history)))
            {
                await ExecuteAsync(connection, $"CREATE VIEW \"{history}\" AS SELECT * FROM {History(root, history)}");
            }

            if (LandedTopics.IsEntity(resource) && File.Exists(ParquetLayout.CurrentPath(root, resource)))
            {
                await ExecuteAsync(connection, $"CREATE VIEW \"{resource}\" AS SELECT * FROM {Current(root, resource)}");
            }
        }

        if (Directory.Exists(Path.Combine(root, ParquetLayout.DeadLetterTable)))
        {
            await ExecuteAsync(connection, $"CREATE VIEW \"_dead_letters\" AS SELECT * FROM {Raw(root, ParquetLayout.DeadLetterTable)}");
        }

        return connection;
    }

    /// <summary>
    /// Rows in one side and not the other (multiset difference both ways) between a lander database's table and a
    /// lake query, over the table's columns; fails when the lake's columns are not the table's.
    /// </summary>
    public static async Task<long> DifferenceAsync(string databasePath, string table, string lakeSource)
    {
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"ATTACH '{databasePath}' AS lander (READ_ONLY)");
        var columns = await LanderHarness.ColumnAsync(connection,
            $"SELECT column_name FROM information_schema.columns WHERE table_catalog = 'lander' AND table_name = '{table}' ORDER BY ordinal_position");
        var lakeColumns = await LanderHarness.ColumnAsync(connection, $"SELECT column_name FROM (DESCRIBE SELECT * FROM {lakeSource})");
        Assert.Equal(columns.Order(StringComparer.Ordinal), lakeColumns.Order(StringComparer.Ordinal));
        var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
        return await LanderHarness.ScalarAsync<long>(connection,
            $"SELECT count(*) FROM ((SELECT {list} FROM lander.\"{table}\" EXCEPT ALL SELECT {list} FROM {lakeSource}) " +
            $"UNION ALL (SELECT {list} FROM {lakeSource} EXCEPT ALL SELECT {list} FROM lander.\"{table}\"))");
    }

    /// <summary>
    /// Runs the checked-in recipes against the lake in DuckDB: <c>consumers/recipes/duckdb.sql</c> as written, and
    /// the current-state views of <c>athena.sql</c> over the raw parts (DuckDB speaks their SQL; only the external
    /// table DDL is Athena's own). Returns, per lander table, the rows that differ from the DuckDB lander's.
    /// </summary>
    public static async Task<Dictionary<string, long>> RecipeDifferencesAsync(string databasePath, string root)
    {
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"ATTACH '{databasePath}' AS lander (READ_ONLY)");
        await ExecuteAsync(connection, "CREATE SCHEMA freshchat");
        bool Landed(string table) => Directory.Exists(Path.Combine(root, table)) || File.Exists(Path.Combine(root, table));
        foreach (var statement in Unit.Consumers.LakeRecipeTests.Statements(Unit.Consumers.LakeRecipeTests.Read("duckdb.sql")))
        {
            var sql = statement.Replace("{{lake}}", root, StringComparison.Ordinal);
            var path = System.Text.RegularExpressions.Regex.Match(sql, "'" + System.Text.RegularExpressions.Regex.Escape(root) + "/([^/']+)").Groups[1].Value;
            if (path == "current" ? File.Exists(sql.Split('\'')[1]) : Landed(path))
            {
                await ExecuteAsync(connection, sql);
            }
        }

        var entities = LandedTopics.Entities.Where(e => Landed(ParquetLayout.HistoryTable(e))).ToList();
        foreach (var entity in entities)
        {
            await ExecuteAsync(connection, $"CREATE VIEW freshchat.{entity}_history AS SELECT * FROM {Raw(root, ParquetLayout.HistoryTable(entity))}");
            await ExecuteAsync(connection, Landed(ParquetLayout.TombstoneTable(entity))
                ? $"CREATE VIEW freshchat.{entity}_tombstones AS SELECT * FROM {Raw(root, ParquetLayout.TombstoneTable(entity))}"
                : $"CREATE VIEW freshchat.{entity}_tombstones AS SELECT NULL::VARCHAR AS _key, NULL::BIGINT AS _offset WHERE false");
        }

        foreach (var statement in Unit.Consumers.LakeRecipeTests.Statements(Unit.Consumers.LakeRecipeTests.Read("athena.sql"))
                     .Where(s => s.StartsWith("CREATE OR REPLACE VIEW", StringComparison.Ordinal) && entities.Any(e => s.StartsWith($"CREATE OR REPLACE VIEW freshchat.{e} AS", StringComparison.Ordinal))))
        {
            await ExecuteAsync(connection, statement);
        }

        var differences = new Dictionary<string, long>(StringComparer.Ordinal);
        var tables = await LanderHarness.ColumnAsync(connection,
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'lander' AND table_name <> '_dead_letters' ORDER BY table_name");
        foreach (var table in tables)
        {
            var source = LandedTopics.IsEntity(table) ? $"freshchat.\"{table}\"" : $"(SELECT * EXCLUDE (date) FROM \"{table}\")";
            var columns = await LanderHarness.ColumnAsync(connection,
                $"SELECT column_name FROM information_schema.columns WHERE table_catalog = 'lander' AND table_name = '{table}' ORDER BY ordinal_position");
            var recipeColumns = await LanderHarness.ColumnAsync(connection, $"SELECT column_name FROM (DESCRIBE SELECT * FROM {source})");
            Assert.Equal(columns.Order(StringComparer.Ordinal), recipeColumns.Order(StringComparer.Ordinal));
            var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
            differences[table] = await LanderHarness.ScalarAsync<long>(connection,
                $"SELECT count(*) FROM ((SELECT {list} FROM lander.\"{table}\" EXCEPT ALL SELECT {list} FROM {source}) " +
                $"UNION ALL (SELECT {list} FROM {source} EXCEPT ALL SELECT {list} FROM lander.\"{table}\"))");
        }

        return differences;
    }

    /// <summary>Every published part of the lake opens as Parquet (a torn file would not).</summary>
    public static async Task<int> AssertEveryPartReadableAsync(string root)
    {
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var parts = Directory.EnumerateFiles(root, "*.parquet", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList();
        foreach (var part in parts)
        {
            Assert.True(await LanderHarness.ScalarAsync<long>(connection, $"SELECT count(*) FROM read_parquet('{part}')") >= 0);
        }

        return parts.Count;
    }

    public static async Task ExecuteAsync(DuckDBConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
