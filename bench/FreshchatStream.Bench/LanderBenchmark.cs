using System.Data.Common;
using System.Diagnostics;
using DuckDB.NET.Data;
using FreshchatStream.Consumers.DuckDb;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Consumers.Postgres;
using FreshchatStream.Producer.Capture;
using Npgsql;

namespace FreshchatStream.Bench;

/// <summary>
/// The database side of the landers: N decoded message events landed by the warehouse (bulk staging + set-based
/// merge, one transaction per batch) against a baseline measured in the same run on the same data — one
/// parameterized INSERT … ON CONFLICT DO NOTHING per row, one transaction per batch. Reports rows per second and
/// the ratio.
/// </summary>
public static class LanderBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = BenchArguments.Int(args, "--rows", 50_000);
        var batch = BenchArguments.Int(args, "--batch", 1000);
        var postgres = BenchArguments.Value(args, "--postgres");
        var records = Records(rows);
        Console.WriteLine($"lander benchmark: {rows} message rows, batches of {batch}");

        var directory = Directory.CreateTempSubdirectory("lander-bench");
        await Compare("DuckDB", () => new DuckDbWarehouse(Path.Combine(directory.FullName, $"w{Guid.NewGuid():N}.duckdb")),
            async () =>
            {
                var connection = new DuckDBConnection($"Data Source={Path.Combine(directory.FullName, $"b{Guid.NewGuid():N}.duckdb")}");
                await connection.OpenAsync();
                return connection;
            }, records, batch, "VARCHAR", "TIMESTAMP");

        if (postgres is not null)
        {
            await Compare("PostgreSQL", () => new PostgresWarehouse(postgres), async () =>
            {
                var connection = new NpgsqlConnection(postgres);
                await connection.OpenAsync();
                await using var drop = connection.CreateCommand();
                drop.CommandText = "DROP TABLE IF EXISTS messages; DROP TABLE IF EXISTS baseline_messages";
                await drop.ExecuteNonQueryAsync();
                return connection;
            }, records, batch, "TEXT", "TIMESTAMPTZ");
        }
        else
        {
            Console.WriteLine("PostgreSQL: skipped (pass --postgres \"Host=…;Database=…\")");
        }

        directory.Delete(recursive: true);
        return 0;
    }

    private static async Task Compare(string name, Func<SqlWarehouse> warehouse, Func<Task<DbConnection>> baselineConnection,
        IReadOnlyList<LandedRecord> records, int batch, string text, string timestamp)
    {
        var lander = await Time(async () =>
        {
            await using var target = warehouse();
            await target.OpenAsync(CancellationToken.None);
            foreach (var chunk in records.Chunk(batch))
            {
                await target.WriteAsync(chunk, [], CancellationToken.None);
            }
        });

        var baseline = await Time(async () =>
        {
            await using var connection = await baselineConnection();
            var shape = records[0].Shape!;
            await using (var create = connection.CreateCommand())
            {
                create.CommandText = $"CREATE TABLE baseline_messages ({string.Join(", ", shape.Columns.Select(c => $"\"{c.Name}\" {(c.Kind == ColumnKind.Timestamp ? timestamp : c.Kind == ColumnKind.BigInt ? "BIGINT" : c.Kind == ColumnKind.Boolean ? "BOOLEAN" : text)}{(c.Name == "__event_id" ? " PRIMARY KEY" : "")}"))})";
                await create.ExecuteNonQueryAsync();
            }

            var insert = $"INSERT INTO baseline_messages VALUES ({string.Join(", ", shape.Columns.Select((_, i) => $"${i + 1}"))}) ON CONFLICT DO NOTHING";
            foreach (var chunk in records.Chunk(batch))
            {
                await using var transaction = await connection.BeginTransactionAsync();
                foreach (var record in chunk)
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = insert;
                    foreach (var value in record.Values!)
                    {
                        var parameter = command.CreateParameter();
                        parameter.Value = value ?? DBNull.Value;
                        command.Parameters.Add(parameter);
                    }

                    await command.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
            }
        });

        var count = records.Count;
        Console.WriteLine($"{name}: lander {count / lander.TotalSeconds:F0} rows/s ({lander.TotalSeconds:F2} s), " +
                          $"row-by-row INSERT {count / baseline.TotalSeconds:F0} rows/s ({baseline.TotalSeconds:F2} s), ratio {baseline / lander:F1}x");
    }

    private static async Task<TimeSpan> Time(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed;
    }

    /// <summary>Message events shaped like the producer's: metadata, ids, timestamps, text and JSON parts.</summary>
    internal static List<LandedRecord> Records(int rows)
    {
        var schema = FreshchatStream.Producer.Publishing.Avro.EmbeddedSchemas.Instance.Value(CaptureCatalogue.MessagesTopic);
        var shape = TableShape.From(schema);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var list = new List<LandedRecord>(rows);
        for (var i = 0; i < rows; i++)
        {
            var values = new object?[shape.Columns.Count];
            for (var c = 0; c < values.Length; c++)
            {
                var column = shape.Columns[c];
                values[c] = column.Name switch
                {
                    "__event_id" => $"{i:x32}",
                    "__op" => "c",
                    "__deleted" => false,
                    "__account" => "acme",
                    "id" => $"m{i}",
                    "conversation_id" => $"c{i / 25}",
                    "text" => $"Hello, this is message {i} of a realistic conversation ✅",
                    "message_parts" => $"[{{\"text\":{{\"content\":\"message {i}\"}}}}]",
                    _ => column.Kind switch
                    {
                        ColumnKind.Timestamp => start.AddSeconds(i),
                        ColumnKind.Boolean => null,
                        ColumnKind.BigInt or ColumnKind.Integer or ColumnKind.Double => null,
                        _ => column.Name.StartsWith("__", StringComparison.Ordinal) ? "x" : null,
                    },
                };
            }

            list.Add(new LandedRecord("messages", "freshchat.messages", i % 3, i, $"{{\"conversation_id\":\"c{i / 25}\",\"id\":\"m{i}\"}}", shape, values));
        }

        return list;
    }
}
