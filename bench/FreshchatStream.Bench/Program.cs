using FreshchatStream.Bench;
using FreshchatStream.Bench.Micro;

return args.FirstOrDefault() switch
{
    "landers" => await LanderBenchmark.RunAsync(args[1..]),
    "parquet" => await ParquetBenchmark.RunAsync(args[1..]),
    "publish" => await PublishBenchmark.RunAsync(args[1..]),
    "backfill" => await CaptureBenchmark.BackfillAsync(args[1..]),
    "steady" => await CaptureBenchmark.SteadyAsync(args[1..]),
    "budget" => await BudgetBenchmark.BudgetAsync(args[1..]),
    "throttled" => await BudgetBenchmark.ThrottledAsync(args[1..]),
    "accounts" => await AccountsBenchmark.RunAsync(args[1..]),
    "micro" => MicroBenchmarks.Run(args[1..]),
    "state-bytes" => await StateBytesBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: FreshchatStream.Bench <benchmark> [options]
          landers  [--rows N] [--batch N] [--postgres CONNECTION]
          parquet  [--rows N] [--batch N]
          publish  [--events N] [--batch N] [--rounds N] [--min-ratio R]
          backfill [--users N] [--baseline-users N] [--messages-per-conversation N] [--redis CONFIGURATION]
          budget   [--latencies 0,100,300] [--budgets 200,600,1200] [--concurrency N] [--steady-seconds N]
                   [--backfill-cap-seconds N] [--conversations-per-user F] [--sweep 1,2,4,8,16] [--redis CONFIGURATION]
          throttled [--users N] [--latency-ms N] [--fraction-429 F] [--burst-503 N] [--concurrency N] [--redis CONFIGURATION]
          accounts [--accounts 1,10,50] [--users N] [--cycles N] [--poll-seconds N] [--redis CONFIGURATION]
          micro    [BenchmarkDotNet options, e.g. --filter *Value*]
          state-bytes [--users N] [--messages-per-conversation N] [--redis CONFIGURATION]
          steady   [--users N] [--rounds N] [--poll-seconds N] [--settle-seconds N] [--warmup-seconds N]
                   [--webhooks off|on|compare] [--hints on|off] [--reopens any|recent] [--reopen-after-seconds N]
                   [--require-all] [--redis CONFIGURATION]
        """);
    return 2;
}
