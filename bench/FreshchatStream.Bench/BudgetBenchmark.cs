using System.Diagnostics;
using System.Globalization;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Sandbox;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Bench;

/// <summary>
/// How much of the Freshchat budget the real producer uses at real latencies (issue #21), and what throttling costs:
/// <list type="bullet">
/// <item><c>budget</c>: for emulator latencies × budgets (<c>Freshchat:RequestsPerMinute</c>, enforced by the
/// emulator too), a backfill of a small account and then steady polling with every conversation due each cycle,
/// reporting achieved requests per minute as a fraction of the budget; the baseline in the same run is the
/// 300 ms × 600/min cell at <c>Freshchat:MaxConcurrency = 1</c> (one request at a time, as before).</item>
/// <item><c>throttled</c>: an initial capture (<c>run --once</c>) at 100 ms latency without a budget, once clean and once
/// with 25% of requests answered 429 <c>Retry-After: 1</c> plus a burst of 503s; the throttled wall time against
/// unthrottled time + 429 count × Retry-After ÷ concurrency (target ≤ 1.5x).</item>
/// </list>
/// </summary>
public static class BudgetBenchmark
{
    public static async Task<int> BudgetAsync(string[] args)
    {
        var latencies = List(args, "--latencies", [0, 100, 300]);
        var budgets = List(args, "--budgets", [200, 600, 1200]);
        var concurrency = BenchArguments.Int(args, "--concurrency", 0);
        var steadySeconds = BenchArguments.Int(args, "--steady-seconds", 15);
        var backfillCap = TimeSpan.FromSeconds(BenchArguments.Int(args, "--backfill-cap-seconds", 90));
        var sweep = List(args, "--sweep", []);
        var perUser = BenchArguments.Double(args, "--conversations-per-user", 0.5);
        using var redis = await BenchRedis.StartAsync(BenchArguments.Value(args, "--redis"));
        Console.WriteLine($"budget benchmark: latencies {string.Join("/", latencies)} ms × budgets {string.Join("/", budgets)} per minute; " +
                          $"account of budget/4 users ({perUser} conversations each, 20 messages per conversation); steady window {steadySeconds} s; " +
                          $"Freshchat:MaxConcurrency {(concurrency > 0 ? concurrency.ToString(CultureInfo.InvariantCulture) : "default")}");

        // Baseline in the same run: one request at a time, as before issue #21.
        var baseline = await CellAsync(300, 600, 1, perUser, steadySeconds, TimeSpan.FromSeconds(Math.Min(backfillCap.TotalSeconds, 25)), redis);
        Console.WriteLine("| latency | budget/min | concurrency | backfill req/min | backfill fraction | sustained fraction | steady req/min | steady fraction | 429s | most in any 60 s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine(baseline.Row() + " ← baseline (one at a time)");
        var cells = new List<BudgetCell>();
        foreach (var latency in latencies)
        {
            foreach (var budget in budgets)
            {
                var cell = await CellAsync(latency, budget, concurrency, perUser, steadySeconds, backfillCap, redis);
                cells.Add(cell);
                Console.WriteLine(cell.Row());
            }
        }

        foreach (var width in sweep)
        {
            var cell = await CellAsync(300, 1200, width, perUser, steadySeconds, backfillCap, redis);
            Console.WriteLine(cell.Row() + " ← concurrency sweep");
        }

        if (cells.FirstOrDefault(c => c.LatencyMs == 300 && c.Budget == 600) is { } target)
        {
            Console.WriteLine($"300 ms × 600/min: backfill {target.BackfillFraction:P0} (sustained {target.SustainedFraction:P0}), steady {target.SteadyFraction:P0} of the budget; " +
                              $"baseline (concurrency 1) backfill {baseline.BackfillFraction:P0}: **{target.BackfillFraction / Math.Max(0.001, baseline.BackfillFraction):0.00}x**");
        }

        return cells.All(c => c.ExitCode == 0) ? 0 : 1;
    }

    public static async Task<int> ThrottledAsync(string[] args)
    {
        var users = BenchArguments.Int(args, "--users", 300);
        var latency = BenchArguments.Int(args, "--latency-ms", 100);
        var fraction = BenchArguments.Double(args, "--fraction-429", 0.25);
        var burst = BenchArguments.Int(args, "--burst-503", 6);
        var concurrency = BenchArguments.Int(args, "--concurrency", 0);
        using var redis = await BenchRedis.StartAsync(BenchArguments.Value(args, "--redis"));
        Console.WriteLine($"throttled benchmark: run --once over {users:N0} users at {latency} ms latency, no budget; then {fraction:P0} of requests 429 Retry-After: 1 and a burst of {burst} 503s");
        var clean = await InitialCaptureAsync(users, latency, 0, 0, concurrency, redis);
        Console.WriteLine($"unthrottled: {clean.Wall.TotalSeconds:0.0} s, {clean.Requests:N0} requests, exit {clean.ExitCode}");
        var throttled = await InitialCaptureAsync(users, latency, fraction, burst, concurrency, redis);
        var width = concurrency > 0 ? concurrency : Producer.Freshchat.FreshchatOptions.DefaultMaxConcurrency;
        var ideal = clean.Wall.TotalSeconds + throttled.Throttled * 1.0 / width;
        var ratio = throttled.Wall.TotalSeconds / ideal;
        Console.WriteLine($"throttled: {throttled.Wall.TotalSeconds:0.0} s, {throttled.Requests:N0} requests, {throttled.Throttled:N0} 429s, exit {throttled.ExitCode}");
        Console.WriteLine($"| throttled initial capture ({fraction:P0} 429 Retry-After 1 s + {burst} 503s, {latency} ms, concurrency {width}) | {throttled.Wall.TotalSeconds:0.0} s " +
                          $"| unthrottled {clean.Wall.TotalSeconds:0.0} s + {throttled.Throttled} × 1 s ÷ {width} = {ideal:0.0} s | **{ratio:0.00}x** (target ≤ 1.5x) |");
        if (clean.Events != throttled.Events)
        {
            Console.Error.WriteLine($"the throttled run published {throttled.Events:N0} events, the clean one {clean.Events:N0}");
            return 1;
        }

        return clean.ExitCode == 0 && throttled.ExitCode == 0 ? 0 : 1;
    }

    private static async Task<Capture> InitialCaptureAsync(int users, int latencyMs, double fraction429, int burst503, int concurrency, BenchRedis redis)
    {
        var prefix = $"bench{Guid.NewGuid():N}";
        var options = CaptureBenchmark.Stack(users, 20, prefix);
        await using var stack = await SandboxStack.StartAsync(options);
        var faults = stack.Freshchat.Faults;
        faults.Latency = TimeSpan.FromMilliseconds(latencyMs);
        faults.RetryAfterSeconds = 1;
        faults.Fraction429 = fraction429;
        faults.Enqueue(FaultKind.ServiceUnavailable, null, burst503);
        var settings = CaptureBenchmark.Settings(stack, redis, prefix, ("Freshchat:RequestsPerMinute", "100000")).ToList();
        if (concurrency > 0)
        {
            settings.Add(new("Freshchat:MaxConcurrency", concurrency.ToString(CultureInfo.InvariantCulture)));
        }

        var watch = Stopwatch.StartNew();
        using var producer = ProducerProcess.Start(settings, "run", "--once");
        var exit = await producer.WaitForExitAsync(TimeSpan.FromMinutes(15));
        var wall = watch.Elapsed;
        if (exit != 0)
        {
            Console.Error.WriteLine(string.Join("\n", producer.Output.TakeLast(20)));
        }

        return new Capture(wall, stack.Freshchat.Requests.Total, stack.Freshchat.Requests.Throttled,
            CaptureBenchmark.CountRecords(stack.Kafka.BootstrapServers, new TopicNames(prefix)), exit);
    }

    private sealed record Capture(TimeSpan Wall, long Requests, long Throttled, long Events, int ExitCode);

    private static async Task<BudgetCell> CellAsync(int latencyMs, int budget, int concurrency, double perUser, int steadySeconds, TimeSpan backfillCap, BenchRedis redis)
    {
        var users = Math.Max(40, budget / 4);
        var prefix = $"bench{Guid.NewGuid():N}";
        var options = CaptureBenchmark.Stack(users, 20, prefix);
        await using var stack = await SandboxStack.StartAsync(options with { Freshchat = options.Freshchat with { ConversationsPerUser = perUser } });
        var data = stack.Freshchat.Data;
        var messages = data.EnumerateConversationIds().Sum(id => data.GetMessages(id)!.Count);
        stack.Freshchat.Faults.Latency = TimeSpan.FromMilliseconds(latencyMs);
        stack.Freshchat.Faults.RateLimitPerMinute = budget;
        var settings = CaptureBenchmark.Settings(stack, redis, prefix,
            ("Freshchat:RequestsPerMinute", budget.ToString(CultureInfo.InvariantCulture)),
            ("Capture:PollInterval", "00:00:01"),
            // Steady polling at full demand: every conversation due at every cycle, so the budget binds, not the schedule.
            ("Capture:Conversations:OpenMaxInterval", "00:00:00"),
            ("Capture:Conversations:ResolvedInterval", "00:00:00"),
            ("Capture:Conversations:ResolvedMaxInterval", "00:00:00")).ToList();
        if (concurrency > 0)
        {
            settings.Add(new("Freshchat:MaxConcurrency", concurrency.ToString(CultureInfo.InvariantCulture)));
        }

        var topics = new TopicNames(prefix);
        var timeline = new List<(TimeSpan At, long Requests)>();
        var watch = Stopwatch.StartNew();
        using var producer = ProducerProcess.Start(settings, "run");
        using var sampler = new Timer(_ =>
        {
            lock (timeline)
            {
                timeline.Add((watch.Elapsed, stack.Freshchat.Requests.Total));
            }
        }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));

        // Backfill: from the first request until every message is in Kafka (or the cap).
        while (stack.Freshchat.Requests.Total == 0 && !producer.HasExited && watch.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(50);
        }

        var backfillStart = (watch.Elapsed, stack.Freshchat.Requests.Total);
        var done = false;
        while (!producer.HasExited && watch.Elapsed - backfillStart.Elapsed < backfillCap
               && !(done = CaptureBenchmark.CountRecords(stack.Kafka.BootstrapServers, topics, CaptureCatalogue.MessagesTopic) >= messages))
        {
            await Task.Delay(250);
        }

        var backfillEnd = (watch.Elapsed, stack.Freshchat.Requests.Total);
        (TimeSpan Elapsed, long Total) steadyStart = backfillEnd, steadyEnd = backfillEnd;
        if (done && steadySeconds > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(2)); // the backfill's last cycle ends
            steadyStart = (watch.Elapsed, stack.Freshchat.Requests.Total);
            var byEndpoint = stack.Freshchat.Requests.Snapshot();
            await Task.Delay(TimeSpan.FromSeconds(steadySeconds));
            steadyEnd = (watch.Elapsed, stack.Freshchat.Requests.Total);
            if (Environment.GetEnvironmentVariable("BENCH_ENDPOINTS") == "1")
            {
                foreach (var (endpoint, count) in stack.Freshchat.Requests.Snapshot().Select(p => (p.Key, p.Value - byEndpoint.GetValueOrDefault(p.Key))).Where(p => p.Item2 > 0))
                {
                    Console.WriteLine($"  steady {latencyMs} ms × {budget}: {endpoint} {count}");
                }
            }
        }

        var exit = await producer.StopAsync(TimeSpan.FromMinutes(1));
        if (Environment.GetEnvironmentVariable("BENCH_LOG_DIR") is { Length: > 0 } logs)
        {
            // The producer's whole log per cell, to see where a cell's time went (cycles, passes, waits).
            Directory.CreateDirectory(logs);
            await File.WriteAllLinesAsync(Path.Combine(logs, $"budget-{latencyMs}ms-{budget}-c{concurrency}.log"), producer.Output);
        }

        List<(TimeSpan At, long Requests)> samples;
        long busiestMinute;
        lock (timeline)
        {
            samples = [.. timeline.Where(t => t.At >= backfillStart.Elapsed && t.At <= backfillEnd.Elapsed)];
            busiestMinute = BusiestMinute(timeline);
        }

        var backfillRate = PerMinute(backfillEnd.Total - backfillStart.Total, backfillEnd.Elapsed - backfillStart.Elapsed);
        var steadyRate = steadyEnd.Elapsed > steadyStart.Elapsed ? PerMinute(steadyEnd.Total - steadyStart.Total, steadyEnd.Elapsed - steadyStart.Elapsed) : double.NaN;
        return new BudgetCell(latencyMs, budget, concurrency, backfillRate, Sustained(samples), steadyRate, done, stack.Freshchat.Requests.Throttled, exit)
        {
            BusiestMinute = busiestMinute,
        };
    }

    /// <summary>
    /// The most requests the emulator counted in any 60 s of the cell, between two of the 100 ms samples (the cell's
    /// first requests count from zero): the budget bounds it, the token bucket's bank included.
    /// </summary>
    private static long BusiestMinute(List<(TimeSpan At, long Requests)> timeline)
    {
        long busiest = 0;
        var start = 0;
        for (var end = 0; end < timeline.Count; end++)
        {
            while (timeline[end].At - timeline[start].At > TimeSpan.FromSeconds(60))
            {
                start++;
            }

            busiest = Math.Max(busiest, timeline[end].Requests - (start == 0 && timeline[end].At <= TimeSpan.FromSeconds(60) ? 0 : timeline[start].Requests));
        }

        return busiest;
    }

    /// <summary>The rate between 10% and 90% of a phase's requests: the rate it sustains, without its start-up and tail.</summary>
    private static double Sustained(List<(TimeSpan At, long Requests)> samples)
    {
        if (samples.Count < 3)
        {
            return double.NaN;
        }

        var (first, last) = (samples[0].Requests, samples[^1].Requests);
        var from = samples.First(s => s.Requests >= first + (last - first) / 10);
        var to = samples.First(s => s.Requests >= first + (last - first) * 9 / 10);
        return to.At > from.At ? PerMinute(to.Requests - from.Requests, to.At - from.At) : double.NaN;
    }

    private static double PerMinute(long requests, TimeSpan over) => over > TimeSpan.Zero ? requests / over.TotalMinutes : double.NaN;

    private static int[] List(string[] args, string name, int[] fallback) =>
        BenchArguments.Value(args, name) is { } text
            ? [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture))]
            : fallback;

    private sealed record BudgetCell(int LatencyMs, int Budget, int Concurrency, double BackfillRate, double SustainedRate, double SteadyRate, bool BackfillDone, long Throttled, int ExitCode)
    {
        public long BusiestMinute { get; init; }

        public double BackfillFraction => BackfillRate / Budget;

        public double SustainedFraction => SustainedRate / Budget;

        public double SteadyFraction => SteadyRate / Budget;

        public string Row() =>
            $"| {LatencyMs} ms | {Budget} | {(Concurrency > 0 ? Concurrency.ToString(CultureInfo.InvariantCulture) : "default")} | {BackfillRate:0}{(BackfillDone ? "" : " (capped)")} | {BackfillFraction:P0} | {SustainedFraction:P0} " +
            $"| {(double.IsNaN(SteadyRate) ? "–" : SteadyRate.ToString("0", CultureInfo.InvariantCulture))} | {(double.IsNaN(SteadyRate) ? "–" : SteadyFraction.ToString("P0", CultureInfo.InvariantCulture))} | {Throttled} | {BusiestMinute} |";
    }
}
