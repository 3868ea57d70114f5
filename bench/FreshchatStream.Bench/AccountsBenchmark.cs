using System.Diagnostics;
using Confluent.Kafka;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Sandbox;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Bench;

/// <summary>
/// <c>accounts</c>: one producer process (<c>run</c> with <c>Accounts:*</c>, the only member of its assignment group,
/// so it captures every account) over 1, 10 and 50 sandbox accounts of the same size, sharing the topics. For each
/// count: the first cycle's wall time, then a steady phase of a few poll intervals measuring peak and current RSS, CPU
/// seconds per account per cycle and Freshchat requests per account per cycle — and how each grows with the count.
/// Every account reads the same emulator (its own Redis namespace, token bucket and client), so the producer's work
/// per account is that of a real account of that size.
/// </summary>
public static class AccountsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var counts = (BenchArguments.Value(args, "--accounts") ?? "1,10,50").Split(',').Select(int.Parse).ToArray();
        var users = BenchArguments.Int(args, "--users", 1_000);
        var cycles = BenchArguments.Int(args, "--cycles", 3);
        var poll = TimeSpan.FromSeconds(BenchArguments.Int(args, "--poll-seconds", 10));
        using var redis = await BenchRedis.StartAsync(BenchArguments.Value(args, "--redis"));
        Console.WriteLine($"accounts benchmark: {string.Join(", ", counts)} account(s) of {users:N0} users, {cycles} steady cycles at {poll.TotalSeconds:N0} s");
        Console.WriteLine("| accounts | first cycle | peak RSS | RSS after | CPU s per account per cycle | requests per account per cycle | exit |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var results = new List<AccountsFigures>();
        foreach (var count in counts)
        {
            var figures = await MeasureAsync(count, users, cycles, poll, redis);
            results.Add(figures);
            Console.WriteLine(figures);
        }

        var first = results[0];
        foreach (var later in results.Skip(1))
        {
            Console.WriteLine($"{later.Accounts} vs {first.Accounts} account(s) ({(double)later.Accounts / first.Accounts:0.#}x): peak RSS {later.PeakRssMiB / first.PeakRssMiB:0.00}x, " +
                              $"CPU per account per cycle {later.CpuPerAccountCycle / first.CpuPerAccountCycle:0.00}x, requests per account per cycle {later.RequestsPerAccountCycle / first.RequestsPerAccountCycle:0.00}x");
        }

        return results.All(r => r.ExitCode == 0) ? 0 : 1;
    }

    private static async Task<AccountsFigures> MeasureAsync(int accounts, int users, int cycles, TimeSpan poll, BenchRedis redis)
    {
        var prefix = $"bench{Guid.NewGuid():N}";
        var topics = new TopicNames(prefix);
        await using var stack = await SandboxStack.StartAsync(new SandboxStackOptions
        {
            Freshchat = new FreshchatEmulatorOptions { Users = users, ConversationsPerUser = 0.2, MessagesPerConversation = 5, Seed = 2026 },
            Topics = [.. topics.All().Select(t => t.Name)],
        });
        stack.Kafka.CreateTopic($"{prefix}.capture-assignments", 12);
        var settings = new Dictionary<string, string>
        {
            ["Kafka:BootstrapServers"] = stack.Kafka.BootstrapServers,
            ["SchemaRegistry:Url"] = stack.SchemaRegistry.Url.AbsoluteUri.TrimEnd('/'),
            ["Kafka:TopicPrefix"] = prefix,
            ["Kafka:CreateTopics"] = "false",
            ["Redis:Configuration"] = redis.Configuration,
            ["Redis:KeyPrefix"] = prefix,
            ["Freshchat:RequestsPerMinute"] = $"{SandboxStack.UnlimitedRequestsPerMinute}",
            ["Capture:PollInterval"] = $"{poll:c}",
            ["Capture:AssignmentSessionTimeout"] = "00:00:06",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        for (var i = 0; i < accounts; i++)
        {
            settings[$"Accounts:acct-{i}:Freshchat:BaseUrl"] = stack.Freshchat.BaseUrl.AbsoluteUri.TrimEnd('/');
            settings[$"Accounts:acct-{i}:Freshchat:ApiKey"] = stack.Freshchat.ApiKey;
        }

        var watch = Stopwatch.StartNew();
        using var producer = ProducerProcess.Start(settings, "run");
        // First cycle done for every account: each account's users are in the shared topic.
        var expected = (long)accounts * users;
        while (CountRecords(stack.Kafka.BootstrapServers, topics.For(CaptureCatalogue.UsersTopic)) < expected && !producer.HasExited && watch.Elapsed < TimeSpan.FromHours(1))
        {
            await Task.Delay(500);
        }

        var firstCycle = watch.Elapsed;
        // Steady phase, from a heartbeat boundary: heartbeats count the cycles each account completed.
        var heartbeats = topics.For(CaptureCatalogue.HeartbeatTopic);
        var startBeats = CountRecords(stack.Kafka.BootstrapServers, heartbeats);
        var startCpu = producer.CpuSeconds();
        var startRequests = stack.Freshchat.Requests.Total;
        var target = startBeats + (long)accounts * cycles;
        while (CountRecords(stack.Kafka.BootstrapServers, heartbeats) < target && !producer.HasExited && watch.Elapsed < firstCycle + (poll * (cycles + 2)) + TimeSpan.FromMinutes(2))
        {
            await Task.Delay(250);
        }

        var accountCycles = Math.Max(1, CountRecords(stack.Kafka.BootstrapServers, heartbeats) - startBeats);
        var cpu = producer.CpuSeconds() - startCpu;
        var requests = stack.Freshchat.Requests.Total - startRequests;
        var rss = producer.RssMiB();
        var exitCode = await producer.StopAsync(TimeSpan.FromMinutes(2));
        if (exitCode != 0)
        {
            Console.Error.WriteLine(string.Join("\n", producer.Output.TakeLast(20)));
        }

        return new AccountsFigures(accounts, firstCycle, producer.PeakRssMiB, rss, cpu / accountCycles, (double)requests / accountCycles, exitCode);
    }

    private static long CountRecords(string bootstrap, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = $"bench-{Guid.NewGuid():N}" }).Build();
        return Enumerable.Range(0, 3).Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    private sealed record AccountsFigures(int Accounts, TimeSpan FirstCycle, double PeakRssMiB, double RssMiB, double CpuPerAccountCycle, double RequestsPerAccountCycle, int ExitCode)
    {
        public override string ToString() =>
            $"| {Accounts} | {FirstCycle.TotalSeconds:N1} s | {PeakRssMiB:N0} MiB | {RssMiB:N0} MiB | {CpuPerAccountCycle:N3} | {RequestsPerAccountCycle:N1} | {ExitCode} |";
    }
}
