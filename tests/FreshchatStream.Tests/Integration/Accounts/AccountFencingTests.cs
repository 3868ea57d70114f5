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
        await a.WaitUntilAsync(() => Requests(scenario.Freshchat, ids.A) is { Requests: > 0 } && a.Logged("Cycle (Changes) done"), TimeSpan.FromSeconds(60), "A never captured");
        scenario.Freshchat.Faults.Latency = TimeSpan.FromMilliseconds(100);
        await a.WaitUntilAsync(() => Requests(scenario.Freshchat, ids.A) is { } r && r.Last > DateTimeOffset.UtcNow.AddMilliseconds(-150), TimeSpan.FromSeconds(30), "A was not asking Freshchat");
        PosixSignals.Pause(a.Process.Id);
        try
        {
            using var b = Start(scenario, ids.B);
            await b.WaitUntilAsync(() => b.Logged($"Lease acquired: account {account}, epoch 2"), TimeSpan.FromSeconds(60), "B never took the account over");
            scenario.Freshchat.Faults.Latency = TimeSpan.Zero;
            var done = b.Count("Cycle (Changes) done");
            await b.WaitUntilAsync(() => b.Count("Cycle (Changes) done") > done, TimeSpan.FromSeconds(60), "B never finished a cycle");
            var before = scenario.ReadCursors(account);
            var requestsBefore = Requests(scenario.Freshchat, ids.A)!.Requests;

            PosixSignals.Resume(a.Process.Id);
            await a.WaitUntilAsync(() => a.Logged($"Lease lost: account {account}, epoch 1"), TimeSpan.FromSeconds(30), "A did not notice it was fenced off");
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var requestsAfter = Requests(scenario.Freshchat, ids.A)!.Requests;
            var bRequests = Requests(scenario.Freshchat, ids.B)!.Requests;
            await b.WaitUntilAsync(() => Requests(scenario.Freshchat, ids.B)!.Requests > bRequests, TimeSpan.FromSeconds(30), "B stopped capturing");
            var after = scenario.ReadCursors(account);

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

    private static ChildProducer Start(CaptureScenario scenario, string id) =>
        ChildProducer.Start(output => scenario.StartChild(new Dictionary<string, string> { ["Capture:InstanceId"] = id }, output, "run"));
}
