using System.Diagnostics;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;
using Xunit.Abstractions;

namespace FreshchatStream.Tests.Integration.Accounts;

/// <summary>
/// Six accounts over three <c>run</c> processes sharing the consumer group <c>{prefix}.capture</c>: the group
/// coordinator gives every account to exactly one instance; when one instance is killed its accounts move to the
/// others within the group's session timeout plus a poll interval; the topics end up holding every account's data
/// and every account's requests stay within its own budget.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#19")]
public sealed class AccountAssignmentTests(CaptureStackFixture stack, ITestOutputHelper output) : IClassFixture<CaptureStackFixture>
{
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(3);
    private const int RequestsPerMinute = 1200;

    [Fact]
    public async Task SixAccountsOverThreeInstances_EachCapturedOnce_AndMovedWhenAnInstanceDies()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        var emulators = new List<FreshchatEmulator> { scenario.Freshchat };
        for (var i = 1; i < 6; i++)
        {
            emulators.Add(await FreshchatEmulator.StartAsync(CaptureScenario.SmallAccount with { Users = 15, Seed = 20 + i, Behaviour = new(), Faults = new() }));
        }

        try
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var accounts = emulators.Select((e, i) => (Name: $"acct{i}-{suffix}", Emulator: e)).ToArray();
            scenario.UseAccounts(accounts);
            stack.Kafka.CreateTopic($"{scenario.Prefix}.capture-assignments", 12);
            scenario.Settings["Capture:AssignmentSessionTimeout"] = $"{SessionTimeout:c}";
            scenario.Settings["Capture:PollInterval"] = $"{PollInterval:c}";
            scenario.Settings["Capture:LeaseTtl"] = $"{LeaseTtl:c}";
            scenario.Settings["Freshchat:RequestsPerMinute"] = $"{RequestsPerMinute}";
            scenario.Settings["Logging:LogLevel:FreshchatStream.Producer.Accounts"] = "Information";

            var instances = Enumerable.Range(0, 3).Select(i => new Instance(scenario, i)).ToList();
            var started = Stopwatch.StartNew();
            try
            {
                // Every account captured by exactly one instance.
                // Held for a while: while the three members join, a rebalance may still move accounts.
                await WaitUntilStable(() => accounts.All(a => instances.Count(i => i.Captures(a.Name)) == 1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60),
                    () => "accounts not each held by one instance:\n" + string.Join("\n", instances.Select(i => i.Describe())));
                await WaitUntil(() => accounts.All(a => a.Emulator.Requests.Total > 0), TimeSpan.FromSeconds(30), () => "an account made no Freshchat request");
                await AssertOneAskerPerAccountAsync(accounts, instances);

                // Kill (SIGKILL) an instance that holds accounts; they move to the survivors.
                var victim = instances.FirstOrDefault(i => i.Held.Count > 0);
                Assert.True(victim is not null, "no instance holds an account:\n" + string.Join("\n", instances.Select(i => i.Describe())));
                var moved = victim.Held.ToList();
                victim.Process.Kill();
                var killed = Stopwatch.StartNew();
                var survivors = instances.Where(i => i != victim).ToList();
                await WaitUntil(() => moved.All(a => survivors.Count(i => i.Captures(a)) == 1), TimeSpan.FromSeconds(60),
                    () => $"accounts {string.Join(",", moved)} of the killed instance did not move:\n" + string.Join("\n", survivors.Select(i => i.Describe())));
                var reassigned = killed.Elapsed;
                // The survivor then waits for the dead instance's lease to expire and asks Freshchat for the account.
                bool AskedBySurvivor(string account) => accounts.Single(x => x.Name == account).Emulator.Requests.ByUserAgent()
                    .Any(p => survivors.Any(i => p.Key.EndsWith($"({i.Id})", StringComparison.Ordinal)) && p.Value.Last > DateTimeOffset.UtcNow - killed.Elapsed);
                await WaitUntil(() => moved.All(AskedBySurvivor), TimeSpan.FromSeconds(30), () => "a moved account made no request under its new instance");
                var takeover = killed.Elapsed;
                // The coordinator notices the dead member after the session timeout, the lease expires after its TTL,
                // and the survivor's first cycle starts within a poll interval.
                var bound = (SessionTimeout > LeaseTtl ? SessionTimeout : LeaseTtl) + PollInterval;
                Assert.True(takeover <= bound + TimeSpan.FromSeconds(10), $"takeover took {takeover.TotalSeconds:F1} s (bound {bound.TotalSeconds} s + slack)");
                Assert.All(accounts, a => Assert.Equal(1, survivors.Count(i => i.Captures(a.Name))));
                await WaitUntilStable(() => accounts.All(a => survivors.Count(i => i.Captures(a.Name)) == 1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30),
                    () => "accounts not each held by one survivor");
                await AssertOneAskerPerAccountAsync(accounts, survivors);
                output.WriteLine($"accounts {string.Join(",", moved)} reassigned {reassigned.TotalSeconds:F1} s and asked Freshchat again {takeover.TotalSeconds:F1} s after SIGKILL (session timeout {SessionTimeout.TotalSeconds} s, LeaseTtl {LeaseTtl.TotalSeconds} s, poll interval {PollInterval.TotalSeconds} s)");

                // The union of the topics converges to every account's data, whoever captured it.
                await WaitUntilAsync(async () => { await Task.Delay(500); return MissingUsers(scenario, accounts) == 0; }, TimeSpan.FromSeconds(60),
                    () => $"{MissingUsers(scenario, accounts)} user(s) missing from {scenario.Prefix}.users");

                foreach (var survivor in survivors)
                {
                    PosixSignals.Terminate(survivor.Process.Id);
                }

                foreach (var survivor in survivors)
                {
                    Assert.True(survivor.Process.WaitForExit(TimeSpan.FromSeconds(60)), "an instance did not stop on SIGTERM");
                    Assert.True(survivor.Process.ExitCode == 0, survivor.Describe());
                }
            }
            finally
            {
                foreach (var instance in instances)
                {
                    instance.Dispose();
                }
            }

            var elapsedMinutes = started.Elapsed.TotalMinutes;
            var users = scenario.Read(CaptureCatalogue.UsersTopic);
            foreach (var (name, emulator) in accounts)
            {
                var own = users.Where(u => (string)u.Value!["__account"] == name).Select(u => u.Id).ToHashSet();
                Assert.Equal(emulator.Data.EnumerateUsers().Select(u => (string)u["id"]!).ToHashSet(), own);
                Assert.True(emulator.Requests.Total <= RequestsPerMinute * elapsedMinutes + 1,
                    $"{name}: {emulator.Requests.Total} requests in {elapsedMinutes * 60:F0} s exceed {RequestsPerMinute}/min");
            }
        }
        finally
        {
            foreach (var emulator in emulators.Skip(1))
            {
                await emulator.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Over two poll intervals of a settled assignment, the emulators' request logs by User-Agent
    /// (<c>freshchat-stream/{version} ({instance id})</c>) show exactly one instance asking each account: the one
    /// whose log says it captures the account.
    /// </summary>
    private static async Task AssertOneAskerPerAccountAsync((string Name, FreshchatEmulator Emulator)[] accounts, IReadOnlyList<Instance> instances)
    {
        var before = accounts.ToDictionary(a => a.Name, a => a.Emulator.Requests.ByUserAgent());
        await Task.Delay(PollInterval * 2.5);
        foreach (var (name, emulator) in accounts)
        {
            var asked = emulator.Requests.ByUserAgent()
                .Where(p => p.Value.Requests > (before[name].TryGetValue(p.Key, out var earlier) ? earlier.Requests : 0)).Select(p => p.Key).ToList();
            var holder = Assert.Single(instances, i => i.Captures(name));
            Assert.True(asked.Count == 1 && asked[0].EndsWith($"({holder.Id})", StringComparison.Ordinal),
                $"{name} is captured by {holder.Id}, but these User-Agents asked Freshchat for it: {string.Join(", ", asked)}");
        }
    }

    private static int MissingUsers(CaptureScenario scenario, (string Name, FreshchatEmulator Emulator)[] accounts)
    {
        var published = scenario.Read(CaptureCatalogue.UsersTopic).Select(u => ((string)u.Value!["__account"], u.Id)).ToHashSet();
        return accounts.Sum(a => a.Emulator.Data.EnumerateUsers().Count(u => !published.Contains((a.Name, (string)u["id"]!))));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < timeout, failure());
        }
    }

    private static async Task WaitUntilStable(Func<bool> condition, TimeSpan stable, TimeSpan timeout, Func<string> failure)
    {
        var deadline = Stopwatch.StartNew();
        var held = Stopwatch.StartNew();
        while (held.Elapsed < stable)
        {
            if (!condition())
            {
                held.Restart();
            }

            Assert.True(deadline.Elapsed < timeout, failure());
            await Task.Delay(100);
        }
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < timeout, failure());
            await Task.Delay(100);
        }
    }

    /// <summary>One <c>run</c> child process and the accounts its log says it captures now.</summary>
    private sealed class Instance : IDisposable
    {
        private readonly object _gate = new();
        private readonly HashSet<string> _held = new(StringComparer.Ordinal);
        private readonly System.Text.StringBuilder _log = new();

        public Instance(CaptureScenario scenario, int index)
        {
            Index = index;
            Id = $"instance{index}-{scenario.Prefix}";
            // Each instance its own id (the scenario gives all its runs one): the lease and the User-Agent tell them apart.
            Process = scenario.StartChild(new Dictionary<string, string> { ["Capture:InstanceId"] = Id }, Observe, "run");
        }

        public int Index { get; }

        public string Id { get; }

        public Process Process { get; }

        public IReadOnlyCollection<string> Held
        {
            get
            {
                lock (_gate)
                {
                    return [.. _held];
                }
            }
        }

        public bool Captures(string account) => !Process.HasExited && Held.Contains(account);

        public string Describe()
        {
            lock (_gate)
            {
                return $"instance {Index} (pid {Process.Id}, {(Process.HasExited ? "exited" : "running")}) holds [{string.Join(",", _held)}]\n{_log}";
            }
        }

        private void Observe(string line)
        {
            lock (_gate)
            {
                _log.AppendLine(line);
                if (Account(line, "): capture started") is { } started)
                {
                    _held.Add(started);
                }
                else if (Account(line, ": capture stopped") is { } stopped)
                {
                    _held.Remove(stopped);
                }
            }
        }

        private static string? Account(string line, string marker)
        {
            var at = line.IndexOf(" Account ", StringComparison.Ordinal);
            if (at < 0 || !line.Contains(marker, StringComparison.Ordinal))
            {
                return null;
            }

            var name = line[(at + " Account ".Length)..];
            var end = name.IndexOfAny([' ', ':']);
            return end < 0 ? name : name[..end];
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit(TimeSpan.FromSeconds(10));
            }

            Process.Dispose();
        }
    }
}
