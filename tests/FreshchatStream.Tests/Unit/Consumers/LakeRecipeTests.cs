using System.Text.RegularExpressions;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Consumers.Parquet;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Unit.Consumers;

/// <summary>
/// <c>consumers/recipes/*.sql</c> (Athena, Trino, Redshift, Databricks, DuckDB) against the Parquet lander's layout:
/// every landed table is declared at <c>{{lake}}/{table}/</c> with the <c>date</c> partition, with exactly the
/// columns the lander writes (the value schema's fields after <c>_key</c>, <c>_topic</c>, <c>_partition</c>,
/// <c>_offset</c>) in each engine's types, and every entity gets its current state. The statements themselves are
/// executed by DuckDB against files the lander wrote in <c>ParquetLanderTests</c>.
/// </summary>
[Trait("Issue", "#22")]
public sealed partial class LakeRecipeTests
{
    private static readonly Dictionary<ColumnKind, string> Athena = new()
    {
        [ColumnKind.Text] = "string", [ColumnKind.BigInt] = "bigint", [ColumnKind.Integer] = "int", [ColumnKind.Boolean] = "boolean",
        [ColumnKind.Double] = "double", [ColumnKind.Timestamp] = "timestamp",
    };

    private static readonly Dictionary<ColumnKind, string> Trino = new()
    {
        [ColumnKind.Text] = "varchar", [ColumnKind.BigInt] = "bigint", [ColumnKind.Integer] = "integer", [ColumnKind.Boolean] = "boolean",
        [ColumnKind.Double] = "double", [ColumnKind.Timestamp] = "timestamp(3)",
    };

    private static readonly Dictionary<ColumnKind, string> Redshift = new()
    {
        [ColumnKind.Text] = "varchar(65535)", [ColumnKind.BigInt] = "bigint", [ColumnKind.Integer] = "integer", [ColumnKind.Boolean] = "boolean",
        [ColumnKind.Double] = "double precision", [ColumnKind.Timestamp] = "timestamp",
    };

    public static TheoryData<string> Files => ["athena.sql", "trino.sql", "redshift.sql", "databricks.sql", "duckdb.sql"];

    /// <summary>Every table the Parquet lander writes, with its columns: history/event tables, then tombstone tables.</summary>
    public static IEnumerable<(string Table, IReadOnlyList<LandedColumn> Columns)> LakeTables() =>
        LandedTopics.All.Select(r => (ParquetLayout.HistoryTable(r), (IReadOnlyList<LandedColumn>)[.. SqlWarehouse.MetaColumns, .. Shape(r).Columns]))
            .Concat(LandedTopics.Entities.Select(r => (ParquetLayout.TombstoneTable(r), ParquetLayout.TombstoneColumns)));

    public static string Read(string file) => File.ReadAllText(RepositoryRoot.Combine("consumers", "recipes", file));

    /// <summary>The file's statements: split on semicolons outside quotes and comments, comments dropped.</summary>
    public static IReadOnlyList<string> Statements(string sql)
    {
        var statements = new List<string>();
        var current = new System.Text.StringBuilder();
        char? quote = null;
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (quote is null && c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    i++;
                }

                current.Append('\n');
                continue;
            }

            if (quote is null && c is '\'' or '"' or '`')
            {
                quote = c;
            }
            else if (c == quote)
            {
                quote = null;
            }

            if (quote is null && c == ';')
            {
                statements.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        Assert.Null(quote); // an unterminated quote
        Assert.True(string.IsNullOrWhiteSpace(current.ToString()), $"text after the last statement: {current}");
        return statements;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Recipe_Parses_BalancedAndEveryStatementAKnownKind(string file)
    {
        var statements = Statements(Read(file));

        Assert.NotEmpty(statements);
        Assert.All(statements, s =>
        {
            Assert.Matches(StatementKind(), s);
            Assert.Equal(s.Count(c => c == '('), s.Count(c => c == ')'));
        });
    }

    [Theory]
    [InlineData("athena.sql", "EXTERNAL TABLE IF NOT EXISTS freshchat.", "`", "\\nPARTITIONED BY \\(`date` string\\)")]
    [InlineData("trino.sql", "TABLE IF NOT EXISTS hive.freshchat.", "\"", "")]
    [InlineData("redshift.sql", "EXTERNAL TABLE freshchat_lake.", "\"", "\\nPARTITIONED BY \\(\"date\" varchar\\(10\\)\\)")]
    public void Recipe_DeclaresEveryLakeTableWithItsColumnsAndLocation(string file, string create, string quote, string partitioned)
    {
        var statements = Statements(Read(file));
        var types = file switch { "athena.sql" => Athena, "trino.sql" => Trino, _ => Redshift };

        foreach (var (table, columns) in LakeTables())
        {
            var statement = Assert.Single(statements, s => s.StartsWith($"CREATE {create}{table} (", StringComparison.Ordinal));
            var body = statement[(statement.IndexOf('(') + 1)..statement.IndexOf("\n)", StringComparison.Ordinal)];
            var declared = body.Split(",\n").Select(l => l.Trim()).ToList();
            IEnumerable<string> expected = columns.Select(c => $"{quote}{c.Name}{quote} {types[c.Kind]}");
            if (file == "trino.sql")
            {
                expected = expected.Append("\"date\" varchar"); // Trino: partition columns last in the column list
                Assert.Contains($"external_location = '{{{{lake}}}}/{table}'", statement);
                Assert.Contains("partitioned_by = ARRAY['date']", statement);
                Assert.Contains(statements, s => s == $"CALL hive.system.sync_partition_metadata('freshchat', '{table}', 'ADD')");
            }
            else
            {
                Assert.Matches(partitioned, statement);
                Assert.Contains($"LOCATION '{{{{lake}}}}/{table}/'", statement);
                Assert.Contains("STORED AS PARQUET", statement);
            }

            Assert.Equal(expected, declared);
            if (file == "athena.sql")
            {
                Assert.Contains($"'storage.location.template' = '{{{{lake}}}}/{table}/date=${{date}}/'", statement);
            }
        }
    }

    [Theory]
    [InlineData("athena.sql", "CREATE OR REPLACE VIEW freshchat.{0} AS")]
    [InlineData("trino.sql", "CREATE OR REPLACE VIEW hive.freshchat.{0} AS")]
    [InlineData("redshift.sql", "CREATE TEMP TABLE {0}_latest AS")]
    [InlineData("databricks.sql", "MERGE WITH SCHEMA EVOLUTION INTO freshchat.{0} AS c")]
    [InlineData("duckdb.sql", "CREATE OR REPLACE VIEW {0} AS")]
    public void Recipe_DerivesTheCurrentStateOfEveryEntityFromItsHistoryAndTombstones(string file, string pattern)
    {
        var statements = Statements(Read(file));

        foreach (var entity in LandedTopics.Entities)
        {
            var statement = Assert.Single(statements, s => s.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, entity), StringComparison.Ordinal));
            if (file == "duckdb.sql")
            {
                Assert.Contains($"'{{{{lake}}}}/current/{entity}.parquet'", statement);
                continue;
            }

            Assert.Contains($"{entity}_history", statement);
            if (file == "redshift.sql")
            {
                Assert.Contains(statements, s => s.StartsWith($"UPDATE {entity}_latest SET \"_last_op\" = 'd'\nFROM freshchat_lake.{entity}_tombstones t", StringComparison.Ordinal));
                Assert.Contains(statements, s => s.StartsWith($"MERGE INTO freshchat.{entity} USING (SELECT ", StringComparison.Ordinal) && s.EndsWith("REMOVE DUPLICATES", StringComparison.Ordinal));
            }
            else
            {
                Assert.Contains($"{entity}_tombstones", statement);
            }

            Assert.Contains("ORDER BY \"__captured_at\" DESC, \"_offset\" DESC".Replace("\"", file == "databricks.sql" ? string.Empty : "\"", StringComparison.Ordinal), statement);
        }
    }

    [Theory]
    [InlineData("databricks.sql", "read_files('{{{{lake}}}}/{0}/', format => 'parquet'")]
    [InlineData("duckdb.sql", "read_parquet('{{{{lake}}}}/{0}/*/*.parquet', union_by_name = true, hive_partitioning = true)")]
    public void Recipe_ReadsEveryHistoryTableFromTheLayoutPath(string file, string pattern)
    {
        var sql = Read(file);

        foreach (var resource in LandedTopics.All)
        {
            Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, ParquetLayout.HistoryTable(resource)), sql);
        }
    }

    private static TableShape Shape(string resource) => TableShape.From(EmbeddedSchemas.Instance.Value(CaptureCatalogue.Topic(resource)));

    [GeneratedRegex(@"^(CREATE |CALL |MERGE |BEGIN$|END$|UPDATE |DELETE |DROP |ALTER )")]
    private static partial Regex StatementKind();
}
