using System.Collections.Concurrent;
using System.Diagnostics;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Sandbox;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Bench;

/// <summary>
/// End-to-end benchmarks of the real producer process against the sandbox (Freshchat emulator without a rate limit,
/// Schema Registry emulator, mock Kafka) and a real Redis:
/// <list type="bullet">
/// <item><c>backfill</c>: a first <c>run</c> over a whole account until every message is in Kafka — wall time, events per second, peak RSS —
/// at a baseline size and at the full size, so memory growth with the account shows.</item>
/// <item><c>steady</c>: a continuous <c>run</c> at <c>Capture:PollInterval</c> after the backfill, with a standard
/// mutation workload per poll interval: Freshchat requests per captured change against the minimum the API allows,
/// and the latency from each mutation to its event being readable in Kafka; with <c>--webhooks compare</c> once with the
/// emulator's webhooks off and once on, in the same run.</item>
/// </list>
/// </summary>
public static class CaptureBenchmark
{
    private static readonly TimeSpan BackfillTimeout = TimeSpan.FromHours(2);

    public static async Task<int> BackfillAsync(string[] args)
    {
        var users = BenchArguments.Int(args, "--users", 100_000);
        var baseline = BenchArguments.Int(args, "--baseline-users", users / 10);
        var perConversation = BenchArguments.Int(args, "--messages-per-conversation", 50);
        // --before also runs each size as before issue #21 (every backfilled user's conversation list read).
        var before = args.Contains("--before");
        using var redis = await BenchRedis.StartAsync(BenchArguments.Value(args, "--redis"));
        Console.WriteLine($"backfill benchmark: {baseline:N0} then {users:N0} users, 0.2 conversations per user, {perConversation} messages per conversation");

        var results = new List<BackfillFigures>();
        foreach (var size in baseline == users ? new[] { users } : new[] { baseline, users })
        {
            if (before)
            {
                var old = await BackfillOnceAsync(size, perConversation, redis, reportDiscovery: false);
                Console.WriteLine(old);
                Console.WriteLine(old.Efficiency("before: every user's conversation list"));
            }

            var figures = await BackfillOnceAsync(size, perConversation, redis, reportDiscovery: true);
            results.Add(figures);
            Console.WriteLine(figures);
            Console.WriteLine(figures.Efficiency("report discovery over Capture:Conversations:DiscoveryLookback"));
        }

        if (results.Count < 2)
        {
            return results.All(r => r.ExitCode == 0) ? 0 : 1;
        }

        var growth = results[1].PeakRssMiB / results[0].PeakRssMiB;
        Console.WriteLine($"peak RSS at {results[1].Messages:N0} messages is {growth:0.00}x the peak at {results[0].Messages:N0} (flat within 20% means ≤ 1.20)");
        return results.All(r => r.ExitCode == 0) ? 0 : 1;
    }

    public static async Task<int> SteadyAsync(string[] args)
    {
        var users = BenchArguments.Int(args, "--users", 10_000);
        var rounds = BenchArguments.Int(args, "--rounds", 6);
        var poll = TimeSpan.FromSeconds(BenchArguments.Int(args, "--poll-seconds", 5));
        var settle = TimeSpan.FromSeconds(BenchArguments.Int(args, "--settle-seconds", 120));
        var warmup = TimeSpan.FromSeconds(BenchArguments.Int(args, "--warmup-seconds", 0));
        var webhooks = BenchArguments.Value(args, "--webhooks") ?? "off";
        // --hints off: no raw report change hints (Capture:Conversations:HintReports empty), the schedule alone, as before #21.
        var hints = (BenchArguments.Value(args, "--hints") ?? "on") switch
        {
            "on" => true,
            "off" => false,
            _ => throw new ArgumentException("--hints must be on or off."),
        };
        // --reopens recent: a status flip that would reopen a conversation resolved before the run (months ago in the
        // generated history, retired) reopens instead one this workload resolved in an earlier round, at least
        // --reopen-after-seconds ago (default 0), still resolved; with none such, that flip is skipped. The default (any)
        // keeps the workload as before.
        var recentReopens = (BenchArguments.Value(args, "--reopens") ?? "any") switch
        {
            "any" => false,
            "recent" => true,
            _ => throw new ArgumentException("--reopens must be any or recent."),
        };
        var reopenAfter = TimeSpan.FromSeconds(BenchArguments.Int(args, "--reopen-after-seconds", 0));
        bool[] modes = webhooks switch
        {
            "off" => [false],
            "on" => [true],
            "compare" => [false, true],
            _ => throw new ArgumentException("--webhooks must be off, on or compare."),
        };
        using var redis = await BenchRedis.StartAsync(BenchArguments.Value(args, "--redis"));
        var results = new List<SteadyFigures>();
        foreach (var withWebhooks in modes)
        {
            var figures = await SteadyOnceAsync(users, rounds, poll, settle, warmup, withWebhooks, hints, recentReopens ? reopenAfter : null, redis);
            results.Add(figures);
            figures.Print();
        }

        if (results.Count == 2)
        {
            var (off, on) = (results[0], results[1]);
            Console.WriteLine($"| webhooks on vs off (same run) | requests per change {on.PerChange:0.00} vs {off.PerChange:0.00} (**{on.PerChange / off.PerChange:0.00}x**) | " +
                              $"p50 {on.P50:0.0} s vs {off.P50:0.0} s | p95 {on.P95:0.0} s vs {off.P95:0.0} s |");
        }

        return results.All(r => r.Captured == r.Expected) || !args.Contains("--require-all") ? 0 : 1;
    }

    /// <summary>
    /// Backfills a fresh account, waits <paramref name="warmup"/> (with webhooks: after pointing the emulator's sender
    /// at the producer and one priming message, so they count as healthy), then applies the workload and measures.
    /// </summary>
    private static async Task<SteadyFigures> SteadyOnceAsync(int users, int rounds, TimeSpan poll, TimeSpan settle, TimeSpan warmup, bool webhooks, bool hints,
        TimeSpan? recentReopens, BenchRedis redis)
    {
        var prefix = $"bench{Guid.NewGuid():N}";
        await using var stack = await SandboxStack.StartAsync(Stack(users, 50, prefix));
        var conversations = stack.Freshchat.Data.EnumerateConversationIds().Count();
        Console.WriteLine($"steady-state benchmark, webhooks {(webhooks ? "on" : "off")}: {users:N0} users, {conversations:N0} conversations, PollInterval {poll.TotalSeconds:0} s, " +
                          $"change hints {(hints ? "on" : "off")}, reopens {(recentReopens is { } after ? $"of conversations resolved in an earlier round, at least {after.TotalSeconds:0} s before" : "of any resolved conversation")}, warm-up {warmup.TotalSeconds:0} s, {rounds} round(s) of: 1% of users edited, 5% of conversations get a message, 1% of conversations resolved or reopened");

        var settings = Settings(stack, redis, prefix, ("Capture:PollInterval", poll.ToString("c"))).ToList();
        if (!hints)
        {
            settings.Add(new("Capture:Conversations:HintReports", " "));
        }
        else
        {
            // Opt-in (default off): the figures in RESULTS.md were measured with it.
            settings.Add(new("Capture:Conversations:HintedPollInterval", "00:10:00"));
        }

        if (Environment.GetEnvironmentVariable("BENCH_LOG_DIR") is { Length: > 0 })
        {
            // The conversation pass's own account of each cycle and push (what it polled and why), for the log kept below.
            settings.Add(new("Logging:LogLevel:FreshchatStream.Producer.Capture.Sources.ConversationsCapture", "Debug"));
        }

        Uri? endpoint = null;
        if (webhooks)
        {
            var port = LoopbackPort.Next();
            endpoint = new Uri($"http://127.0.0.1:{port}/webhooks/freshchat");
            settings.AddRange(new Dictionary<string, string>
            {
                ["Webhooks:Enabled"] = "true",
                ["Webhooks:Listen"] = $"http://127.0.0.1:{port}",
            });
        }

        using var producer = ProducerProcess.Start(settings, "run");
        using var observer = new TopicObserver(stack.Kafka.BootstrapServers, stack.SchemaRegistry.Url, new TopicNames(prefix));
        await WaitUntilAsync(() => observer.Heartbeats >= 1 || producer.HasExited, TimeSpan.FromMinutes(30));
        if (producer.HasExited)
        {
            throw new InvalidOperationException("The producer stopped during the backfill:\n" + string.Join("\n", producer.Output.TakeLast(20)));
        }

        if (endpoint is not null)
        {
            stack.Freshchat.Webhooks.TargetUrl = endpoint;
            stack.Freshchat.Data.AddMessage(stack.Freshchat.Data.EnumerateConversationIds().First(), "priming webhook");
        }

        await Task.Delay(warmup);

        // Steady state: the backfill's cycle is over; count from here on.
        var heartbeatsBefore = observer.Heartbeats;
        var requestsBefore = stack.Freshchat.Requests.Total;
        var byEndpointBefore = stack.Freshchat.Requests.Snapshot();
        stack.Freshchat.Requests.KeepTrace = true;
        var workload = new SteadyWorkload(stack.Freshchat.Data, seed: 11, recentReopens);
        var expected = new List<ExpectedChange>();
        for (var round = 1; round <= rounds; round++)
        {
            expected.AddRange(workload.Apply());
            await Task.Delay(poll);
        }

        var deadline = DateTime.UtcNow + settle;
        while (DateTime.UtcNow < deadline && expected.Any(e => !observer.Seen(e)))
        {
            await Task.Delay(250);
        }

        var requests = stack.Freshchat.Requests.Total - requestsBefore;
        var cycles = observer.Heartbeats - heartbeatsBefore;
        var pushed = stack.Freshchat.Webhooks.Delivered;
        stack.Freshchat.Requests.KeepTrace = false;
        // Where the requests went, per route template: what RESULTS.md explains against the minimum.
        var byEndpoint = stack.Freshchat.Requests.Snapshot().Select(p => (Endpoint: p.Key, Count: p.Value - byEndpointBefore.GetValueOrDefault(p.Key)))
            .Where(p => p.Count > 0).OrderByDescending(p => p.Count).Select(p => $"  requests: {p.Endpoint} {p.Count:N0}").ToList();
        await producer.StopAsync(TimeSpan.FromMinutes(1));
        if (Environment.GetEnvironmentVariable("BENCH_LOG_DIR") is { Length: > 0 } logs)
        {
            // Every counted request with its time and full path (which conversation, which report), beside the
            // producer's log and when each change was made, to explain each request above the minimum.
            Directory.CreateDirectory(logs);
            var mode = webhooks ? "on" : "off";
            await File.WriteAllLinesAsync(Path.Combine(logs, $"steady-webhooks-{mode}-producer.log"), producer.Output);
            await File.WriteAllLinesAsync(Path.Combine(logs, $"steady-webhooks-{mode}-requests.tsv"),
                stack.Freshchat.Requests.Trace().Select(t => $"{t.At:HH:mm:ss.fff}\t{t.Endpoint}\t{t.Target}"));
            await File.WriteAllLinesAsync(Path.Combine(logs, $"steady-webhooks-{mode}-changes.tsv"),
                expected.Select(e => $"{e.At:HH:mm:ss.fff}\t{e.Kind}\t{e.ConversationId ?? e.Id}\t{e.Id}\t{(observer.Seen(e) ? $"{observer.FirstSeen(e):HH:mm:ss.fff}" : "-")}"));
        }

        var latencies = expected.Where(observer.Seen).Select(e => (observer.FirstSeen(e) - e.At).TotalSeconds).Order().ToList();
        var byKind = expected.GroupBy(e => e.Kind).Select(kind =>
        {
            var seen = kind.Where(observer.Seen).Select(e => (observer.FirstSeen(e) - e.At).TotalSeconds).Order().ToList();
            return $"  {kind.Key}: {kind.Count()} made, {seen.Count} seen, p50 {Percentile(seen, 0.5):0.0} s, p95 {Percentile(seen, 0.95):0.0} s";
        }).ToList();
        return new SteadyFigures(webhooks, poll, settle, expected.Count, latencies.Count, requests, workload.MinimumRequests, cycles, pushed,
            Percentile(latencies, 0.50), Percentile(latencies, 0.95), latencies.LastOrDefault(), [.. byKind, .. byEndpoint]);
    }

    private sealed record SteadyFigures(bool Webhooks, TimeSpan Poll, TimeSpan Settle, int Expected, int Captured, long Requests, long Minimum, int Cycles, long Pushed,
        double P50, double P95, double Max, IReadOnlyList<string> ByKind)
    {
        public double PerChange => (double)Requests / Math.Max(1, Captured);

        public void Print()
        {
            var label = Webhooks ? "webhooks on" : "webhooks off";
            Console.WriteLine($"changes: {Expected:N0} made, {Captured:N0} readable in Kafka within {Settle.TotalSeconds:0} s after the last round; {Cycles} cycle(s); {Pushed:N0} webhook(s) delivered");
            Console.WriteLine($"| API efficiency, {label} | {Requests:N0} requests for {Captured:N0} changes ({PerChange:0.00} per change) | minimum the API allows: {Minimum:N0} ({(double)Minimum / Math.Max(1, Expected):0.00} per change) | **{(double)Requests / Math.Max(1, Minimum):0.0}x** |");
            Console.WriteLine($"| change latency, {label} (PollInterval {Poll.TotalSeconds:0} s) | p50 {P50:0.0} s | p95 {P95:0.0} s | max {Max:0.0} s |");
            foreach (var line in ByKind)
            {
                Console.WriteLine(line);
            }
        }
    }

    private static async Task<BackfillFigures> BackfillOnceAsync(int users, int perConversation, BenchRedis redis, bool reportDiscovery)
    {
        var prefix = $"bench{Guid.NewGuid():N}";
        var stackOptions = Stack(users, perConversation, prefix);
        // An account active until now (two years of users up to an hour ago), so the report's horizon (450 days back by
        // default) falls inside its history as it would on a live account; the generated data is otherwise the same.
        var epoch = DateTimeOffset.UtcNow.AddHours(-1);
        await using var stack = await SandboxStack.StartAsync(stackOptions with { Freshchat = stackOptions.Freshchat with { Epoch = epoch } });
        var data = stack.Freshchat.Data;
        var conversations = data.EnumerateConversationIds().ToList();
        var messages = conversations.Sum(id => data.GetMessages(id)!.Count);
        // A backfill spans several cycles (Capture:Conversations:DiscoveryPerCycle and MaxPerCycle bound each one):
        // run continuously, without a pause between cycles, until every message is in Kafka.
        var topics = new TopicNames(prefix);
        var watch = Stopwatch.StartNew();
        var lookback = new Producer.Capture.ConversationCaptureOptions().DiscoveryLookback;
        var window = new Producer.Capture.ConversationCaptureOptions().DiscoveryWindow;
        var minimum = BackfillMinimum.Of(data, stack.Freshchat.Behaviour, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow - lookback, window);
        using var producer = ProducerProcess.Start(Settings(stack, redis, prefix, ("Capture:PollInterval", "00:00:01"),
            ("Capture:Conversations:DiscoveryLookback", reportDiscovery ? lookback.ToString("c") : "00:00:00")), "run");
        while (CountRecords(stack.Kafka.BootstrapServers, topics, CaptureCatalogue.MessagesTopic) < messages && !producer.HasExited && watch.Elapsed < BackfillTimeout)
        {
            await Task.Delay(500);
        }

        var wall = watch.Elapsed;
        var exitCode = await producer.StopAsync(TimeSpan.FromMinutes(2));
        var events = CountRecords(stack.Kafka.BootstrapServers, topics);
        if (exitCode != 0)
        {
            Console.Error.WriteLine(string.Join("\n", producer.Output.TakeLast(20)));
        }

        var breakdown = stack.Freshchat.Requests.Snapshot().OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value:N0}");
        return new BackfillFigures(users, conversations.Count, messages, wall, events, producer.PeakRssMiB, stack.Freshchat.Requests.Total, exitCode)
        {
            Minimum = minimum,
            Breakdown = string.Join(", ", breakdown),
        };
    }

    internal static SandboxStackOptions Stack(int users, int perConversation, string prefix) => new()
    {
        Freshchat = new FreshchatEmulatorOptions { Users = users, ConversationsPerUser = 0.2, MessagesPerConversation = perConversation, Seed = 2026 },
        Topics = [.. new TopicNames(prefix).All().Select(t => t.Name)],
    };

    internal static IEnumerable<KeyValuePair<string, string>> Settings(SandboxStack stack, BenchRedis redis, string prefix, params (string Key, string Value)[] extra) =>
        stack.ProducerSettings().Concat(new Dictionary<string, string>
        {
            ["Kafka:TopicPrefix"] = prefix,
            ["Kafka:CreateTopics"] = "false",
            ["Redis:Configuration"] = redis.Configuration,
            ["Redis:KeyPrefix"] = prefix,
            ["Capture:Account"] = "bench",
            ["Logging:LogLevel:Default"] = "Warning",
        }).Concat(extra.Select(e => new KeyValuePair<string, string>(e.Key, e.Value)));

    /// <summary>Records in every topic of the prefix, or in one resource's topic (the sum of the partitions' high watermarks).</summary>
    internal static long CountRecords(string bootstrap, TopicNames topics, TopicDescriptor? only = null)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = $"bench-{Guid.NewGuid():N}" }).Build();
        var names = only is null ? topics.All().Select(t => t.Name) : [topics.For(only)];
        return names.Sum(t => Enumerable.Range(0, 3).Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(t, p), TimeSpan.FromSeconds(10)).High.Value));
    }

    internal static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout}.");
            }

            await Task.Delay(200);
        }
    }

    private sealed record BackfillFigures(int Users, int Conversations, int Messages, TimeSpan Wall, long Events, double PeakRssMiB, long Requests, int ExitCode)
    {
        public BackfillMinimum? Minimum { get; init; }

        public string Breakdown { get; init; } = "";

        /// <summary>Requests per event against the derived minimum, and the backfill's duration at three request budgets.</summary>
        public string Efficiency(string label)
        {
            var minimum = Minimum?.Total ?? 0;
            var perEvent = (double)Requests / Math.Max(1, Events);
            var at = string.Join(", ", new[] { 200, 500, 1000 }.Select(rate => $"{rate}/min {FormatDuration(TimeSpan.FromMinutes((double)Requests / rate))}"));
            var minimumAt = string.Join(", ", new[] { 200, 500, 1000 }.Select(rate => $"{rate}/min {FormatDuration(TimeSpan.FromMinutes((double)minimum / rate))}"));
            return $"| {label} | {Requests:N0} requests, {perEvent:0.000} per event | minimum {minimum:N0}, {(double)minimum / Math.Max(1, Events):0.000} per event | **{(double)Requests / Math.Max(1, minimum):0.00}x** | time at {at} (minimum: {minimumAt}) |\n" +
                   $"  minimum: {Minimum}\n  requests: {Breakdown}";
        }

        private static string FormatDuration(TimeSpan duration) => duration.TotalHours >= 1 ? $"{duration.TotalHours:0.0} h" : $"{duration.TotalMinutes:0} min";

        public override string ToString() =>
            $"| backfill {Users:N0} users / {Conversations:N0} conversations / {Messages:N0} messages | {Wall.TotalSeconds:N1} s | {Events:N0} events | {Events / Wall.TotalSeconds:N0} events/s | peak RSS {PeakRssMiB:N0} MiB | {Requests:N0} requests | exit {ExitCode} |";
    }

    /// <summary>One change made in the emulator, and the topic record that shows it.</summary>
    internal sealed record ExpectedChange(string Kind, string Topic, string Id, DateTime At, string? ConversationId = null);

    /// <summary>
    /// The standard mutation workload, once per poll interval: 1% of users edited, 5% of conversations get one
    /// message, 1% of conversations resolved (or reopened when already resolved). Also derives the minimum number of
    /// requests the API needs to see exactly those changes if it were told which entities changed: one users page
    /// (filtered by <c>updated_from</c>, up to 100 per page) per 100 edited users, one messages page per conversation
    /// with new messages, one conversation GET per status change.
    /// </summary>
    private sealed class SteadyWorkload(FreshchatDataStore data, int seed, TimeSpan? recentReopens = null)
    {
        private readonly Random _random = new(seed);

        // Conversations this workload resolved in earlier rounds (for --reopens recent).
        private readonly List<(string Id, DateTime At)> _resolvedEarlier = [];

        public long MinimumRequests { get; private set; }

        public List<ExpectedChange> Apply()
        {
            var users = data.EnumerateUsers().Select(u => (string)u["id"]!).ToList();
            var conversations = data.EnumerateConversationIds().ToList();
            var changes = new List<ExpectedChange>();
            var edited = Pick(users, Math.Max(1, users.Count / 100));
            foreach (var id in edited)
            {
                data.UpdateUser(id, lastName: $"Edited{_random.Next()}");
                changes.Add(new("user edited", "users", id, DateTime.UtcNow));
            }

            var messaged = Pick(conversations, Math.Max(1, conversations.Count / 20));
            foreach (var id in messaged)
            {
                var message = data.AddMessage(id, "Any update on this?");
                changes.Add(new("message added", "messages", message, DateTime.UtcNow, id));
            }

            var flipped = Pick(conversations.Except(messaged).ToList(), Math.Max(1, conversations.Count / 100));
            var resolvedThisRound = new List<(string Id, DateTime At)>();
            var flips = 0;
            foreach (var picked in flipped)
            {
                var id = picked;
                var resolved = (string?)data.GetConversation(id)?["status"] == "resolved";
                if (resolved && recentReopens is { } after)
                {
                    _resolvedEarlier.RemoveAll(r => messaged.Contains(r.Id) || (string?)data.GetConversation(r.Id)?["status"] != "resolved");
                    var candidates = _resolvedEarlier.Where(r => DateTime.UtcNow - r.At >= after).ToList();
                    if (candidates.Count == 0)
                    {
                        continue;
                    }

                    var chosen = candidates[_random.Next(candidates.Count)];
                    _resolvedEarlier.Remove(chosen);
                    id = chosen.Id;
                }

                _ = resolved ? data.ReopenConversation(id) : data.ResolveConversation(id);
                changes.Add(new(resolved ? "conversation reopened" : "conversation resolved", "conversations", id, DateTime.UtcNow));
                if (!resolved)
                {
                    resolvedThisRound.Add((id, DateTime.UtcNow));
                }

                flips++;
            }

            _resolvedEarlier.AddRange(resolvedThisRound);
            MinimumRequests += (edited.Count + 99) / 100 + messaged.Count + flips;
            return changes;
        }

        private List<string> Pick(List<string> from, int count) => [.. from.OrderBy(_ => _random.Next()).Take(count)];
    }

    /// <summary>Reads the users, messages, conversations and heartbeat topics from their current end and notes when each id first appears.</summary>
    private sealed class TopicObserver : IDisposable
    {
        private readonly ConcurrentDictionary<(string Topic, string Id), ConcurrentQueue<DateTime>> _arrivals = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private readonly TopicNames _topics;
        private int _heartbeats;

        public TopicObserver(string bootstrap, Uri registry, TopicNames topics)
        {
            _topics = topics;
            _thread = new Thread(() => Run(bootstrap, registry)) { IsBackground = true };
            _thread.Start();
        }

        public int Heartbeats => Volatile.Read(ref _heartbeats);

        /// <summary>Whether a record for the changed entity arrived after the change was made.</summary>
        public bool Seen(ExpectedChange change) => _arrivals.TryGetValue((change.Topic, change.Id), out var times) && times.Any(t => t >= change.At);

        public DateTime FirstSeen(ExpectedChange change) => _arrivals[(change.Topic, change.Id)].Where(t => t >= change.At).Min();

        public void Dispose()
        {
            _stop.Cancel();
            _thread.Join();
            _stop.Dispose();
        }

        private void Run(string bootstrap, Uri registryUrl)
        {
            using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registryUrl.ToString() });
            using var consumer = new ConsumerBuilder<GenericRecord, GenericRecord?>(new ConsumerConfig
                {
                    BootstrapServers = bootstrap, GroupId = $"bench-{Guid.NewGuid():N}", EnableAutoCommit = false,
                })
                .SetKeyDeserializer(new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync())
                .SetValueDeserializer(new AvroDeserializer<GenericRecord?>(registry).AsSyncOverAsync())
                .Build();
            var watched = new Dictionary<string, string>
            {
                [_topics.For(CaptureCatalogue.UsersTopic)] = "users",
                [_topics.For(CaptureCatalogue.MessagesTopic)] = "messages",
                [_topics.For(CaptureCatalogue.ConversationsTopic)] = "conversations",
                [_topics.For(CaptureCatalogue.HeartbeatTopic)] = "heartbeat",
            };
            consumer.Assign(watched.Keys.SelectMany(t => Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset(t, p, Offset.Beginning))));
            while (!_stop.IsCancellationRequested)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result?.Message is not { } message)
                {
                    continue;
                }

                var topic = watched[result.Topic];
                if (topic == "heartbeat")
                {
                    Interlocked.Increment(ref _heartbeats);
                    continue;
                }

                _arrivals.GetOrAdd((topic, (string)message.Key["id"]), _ => new ConcurrentQueue<DateTime>()).Enqueue(DateTime.UtcNow);
            }
        }
    }
}
