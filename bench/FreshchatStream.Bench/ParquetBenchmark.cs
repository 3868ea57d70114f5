using System.Diagnostics;
using FreshchatStream.Consumers.DuckDb;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Consumers.Parquet;

namespace FreshchatStream.Bench;

/// <summary>
/// The Parquet lander's write path: N decoded message events landed batch by batch (a file per day and Kafka
/// partition per batch, each written to a temporary name, fsynced, renamed, its folder fsynced), then <c>compact</c>,
/// against a baseline measured in the same run on the same rows — DuckDB writing them as one Parquet file with one
/// appender and one <c>COPY</c>, no durability steps. Reports rows per second and the ratio.
/// </summary>
public static class ParquetBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = BenchArguments.Int(args, "--rows", 50_000);
        var batch = BenchArguments.Int(args, "--batch", 1000);
        var records = LanderBenchmark.Records(rows);
        Console.WriteLine($"parquet benchmark: {rows} message rows, batches of {batch}");
        var directory = Directory.CreateTempSubdirectory("parquet-bench");
        try
        {
            var lake = Path.Combine(directory.FullName, "lake");
            var files = 0;
            var lander = await Time(async () =>
            {
                await using var warehouse = new ParquetWarehouse(lake);
                await warehouse.OpenAsync(CancellationToken.None);
                foreach (var chunk in records.Chunk(batch))
                {
                    await warehouse.WriteAsync(chunk, [], CancellationToken.None);
                }
            });
            files = Directory.GetFiles(lake, "*.parquet", SearchOption.AllDirectories).Length;
            var compact = await Time(() => new ParquetCompactor(lake, TextWriter.Null).RunAsync(["messages"], null, CancellationToken.None));

            var single = Path.Combine(directory.FullName, "baseline.parquet");
            var baseline = await Time(async () =>
            {
                await using var engine = await ParquetEngine.OpenAsync(CancellationToken.None);
                var columns = SqlWarehouse.MetaColumns.Concat(records[0].Shape!.Columns).ToList();
                await ParquetEngine.ExecuteAsync(engine, $"CREATE TABLE baseline ({string.Join(", ", columns.Select(c => $"\"{c.Name}\" {DuckDbRows.SqlType(c.Kind)}"))})", CancellationToken.None);
                DuckDbRows.Append(engine, "memory", "baseline", records.Select(r => SqlWarehouse.Row(r, r.Shape!)));
                await ParquetEngine.ExecuteAsync(engine, $"COPY baseline TO '{single}' (FORMAT PARQUET, COMPRESSION ZSTD)", CancellationToken.None);
            });

            Console.WriteLine($"Parquet: lander {rows / lander.TotalSeconds:F0} rows/s ({lander.TotalSeconds:F2} s, {files} files), " +
                              $"one DuckDB COPY {rows / baseline.TotalSeconds:F0} rows/s ({baseline.TotalSeconds:F2} s), ratio {baseline / lander:F2}x; " +
                              $"compact {rows / compact.TotalSeconds:F0} rows/s ({compact.TotalSeconds:F2} s)");
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        return 0;
    }

    private static async Task<TimeSpan> Time(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed;
    }
}
