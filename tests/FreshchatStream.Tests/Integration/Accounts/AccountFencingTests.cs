using System.Collections.Concurrent;
using System.Diagnostics;
using FreshchatStream.Producer.State;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Accounts;

/// <summary>
/// The lease stays the fence during a rebalance: an instance frozen (SIGSTOP) while capturing an account loses its
/// assignment partition to another instance, which takes the account's lease over once the frozen one's TTL ran out.
/// When the first instance resumes it has not yet noticed either loss: its commit is refused (epoch fencing), it stops
/// asking Freshchat, and no cursor goes backwards.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#19")]
public sealed class AccountFencingTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task FrozenInstance_LosesItsPartitionAndLease_IsFencedOffWhenItResumes()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        var account = $"fence-{Guid.NewGuid():N}"[..14];
        scenario.UseAccounts((account, scenario.Freshchat));
        // One assignment partition: when the frozen A resumes and rejoins the group, the sticky assignor leaves the
        // partition with B, its current owner. With several, the rebalance could rightly hand the account back to A
        // (under a new epoch), which is not what this test is about.
        stack.Kafka.CreateTopic($"{scenario.Prefix}.capture-assignments", 1);
        scenario.Settings["Capture:AssignmentPartitions"] = "1";
        scenario.Settings["Capture:AssignmentSessionTimeout"] = "00:00:03";
        scenario.Settings["Capture:PollInterval"] = "00:00:01";
        scenario.Settings["Capture:LeaseTtl"] = "00:00:02";
        scenario.Settings["Logging:LogLevel:FreshchatStream"] = "Information";
        var ids = (A: $"mfa-{account}", B: $"mfb-{account}");

        using var a = Start(scenario, ids.A);
        await WaitUntilAsync(() => Requests(scenario.Freshchat, ids.A) is { Requests: > 0 } && a.Logged("Cycle (Changes) done"), TimeSpan.FromSeconds(60), "A never captured", a);
        scenario.Freshchat.Faults.Latency = TimeSpan.FromMilliseconds(100);
        await WaitUntilAsync(() => Requests(scenario.Freshchat, ids.A) is { } r && r.Last > DateTimeOffset.UtcNow.AddMilliseconds(-150), TimeSpan.FromSeconds(30), "A was not asking Freshchat", a);
        PosixSignals.Pause(a.Process.Id);
        try
        {
            using var b = Start(scenario, ids.B);
            await WaitUntilAsync(() => b.Logged($"Lease acquired: account {account}, epoch 2"), TimeSpan.FromSeconds(60), "B never took the account over", b);
            scenario.Freshchat.Faults.Latency = TimeSpan.Zero;
            var done = b.Count("Cycle (Changes) done");
            await WaitUntilAsync(() => b.Count("Cycle (Changes) done") > done, TimeSpan.FromSeconds(60), "B never finished a cycle", b);
            var before = ReadCursors(scenario, account);
            var requestsBefore = Requests(scenario.Freshchat, ids.A)!.Requests;

            PosixSignals.Resume(a.Process.Id);
            await WaitUntilAsync(() => a.Logged($"Lease lost: account {account}, epoch 1"), TimeSpan.FromSeconds(30), "A did not notice it was fenced off", a);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var requestsAfter = Requests(scenario.Freshchat, ids.A)!.Requests;
            var bRequests = Requests(scenario.Freshchat, ids.B)!.Requests;
            await WaitUntilAsync(() => Requests(scenario.Freshchat, ids.B)!.Requests > bRequests, TimeSpan.FromSeconds(30), "B stopped capturing", b);
            var after = ReadCursors(scenario, account);

            // Only what was in flight when it froze may still reach Freshchat; then nothing.
            Assert.InRange(requestsAfter - requestsBefore, 0, 5);
            Assert.Equal(requestsAfter, Requests(scenario.Freshchat, ids.A)!.Requests);
            Assert.True(before.Count > 3, $"only {before.Count} cursors to compare");
            var backwards = before.Where(p => p.Value.HighWaterMark is { } mark && (!after.TryGetValue(p.Key, out var now) || now.HighWaterMark is not { } moved || moved < mark))
                .Select(p => p.Key).ToList();
            Assert.True(backwards.Count == 0, "cursors moved backwards: " + string.Join(", ", backwards));
        }
        finally
        {
            PosixSignals.Resume(a.Process.Id);
        }
    }

    private static UserAgentTally? Requests(FreshchatEmulator emulator, string instance) =>
        emulator.Requests.ByUserAgent().Where(p => p.Key.EndsWith($"({instance})", StringComparison.Ordinal)).Select(p => p.Value).SingleOrDefault();

    private Dictionary<string, ResourceCursor> ReadCursors(CaptureScenario scenario, string account)
    {
        var db = stack.Redis.Connection.GetDatabase();
        var prefix = $"{scenario.KeyPrefix}:{account}";
        // Decoded with the store's own encodings: resource cursors are JSON, conversation state is binary (docs/state.md).
        return db.HashGetAll($"{prefix}:cursors").Select(e => ($"cursors/{e.Name}", ResourceCursor.Load(e.Value!)))
            .Concat(db.HashGetAll($"{prefix}:msgcursor").Select(e =>
                ($"msgcursor/{RedisIdEncoding.Decode(e.Name)}", ConversationStateEncoding.Decode((byte[])e.Value!).Messages)))
            .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
    }

    private static Instance Start(CaptureScenario scenario, string id)
    {
        var lines = new ConcurrentQueue<string>();
        var process = scenario.StartChild(new Dictionary<string, string> { ["Capture:InstanceId"] = id }, lines.Enqueue, "run");
        return new Instance(process, lines);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string failure, Instance instance)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < timeout && !instance.Process.HasExited,
                $"{failure} within {timeout.TotalSeconds} s; its last lines:\n{string.Join("\n", instance.Lines.TakeLast(30))}");
            await Task.Delay(100);
        }
    }

    private sealed record Instance(Process Process, ConcurrentQueue<string> Lines) : IDisposable
    {
        public bool Logged(string text) => Lines.Any(l => l.Contains(text, StringComparison.Ordinal));

        public int Count(string text) => Lines.Count(l => l.Contains(text, StringComparison.Ordinal));

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit(10_000);
            }

            Process.Dispose();
        }
    }
}
