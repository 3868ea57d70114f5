using System.Diagnostics;
using System.Text.RegularExpressions;
using FreshchatStream.Producer.State;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// Several producer processes on one account (design §9, single writer): exactly one — the lease holder — asks
/// Freshchat (the emulator's per-User-Agent log), the others stand by; a SIGKILLed holder is replaced within
/// <c>Capture:LeaseTtl</c> plus one retry, a SIGTERMed one at once; a holder paused past its TTL is fenced off when it
/// resumes; <c>snapshot</c>, <c>reset</c> and <c>run --once</c> wait for the lease and exit 3 naming the holder. The
/// topics end complete (oracle), with duplicates only of equal <c>__event_id</c> and each conversation in order.
/// </summary>
[Trait("Category", "Reliability")]
[Trait("Issue", "#19")]
[LongRunning]
public sealed partial class LeaseTakeoverTests(CaptureStackFixture stack, ReliabilityLedger ledger) : IClassFixture<CaptureStackFixture>, IClassFixture<ReliabilityLedger>
{
    private static readonly FreshchatEmulatorOptions Account = ReliabilityDrill.DefaultAccount with { Users = 40, MessagesPerConversation = 5, Seed = 19 };

    /// <summary>Scheduling slack on a loaded 2-core machine, on top of what the design promises.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task TwoRuns_OnlyTheHolderAsksFreshchat_AndAfterTheHolderIsKilledTheStandbyTakesOverWithinTtlPlusOnePoll()
    {
        await using var drill = await StartDrillAsync(seed: 191, ttl: TimeSpan.FromSeconds(2));
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        using var a = Start(drill, "ha-a", portA);
        await a.WaitUntilAsync(() => Requests(drill, "ha-a") is { Requests: > 0 }, TimeSpan.FromSeconds(60), "instance ha-a never asked Freshchat");
        using var b = Start(drill, "ha-b", portB);
        await b.WaitUntilAsync(() => b.Logged("standby: account acme is captured by ha-a (epoch 1)"), TimeSpan.FromSeconds(60), "instance ha-b never logged standby");
        for (var round = 0; round < 3; round++)
        {
            drill.Mutate();
            await Task.Delay(TimeSpan.FromSeconds(0.7));
        }

        // While ha-a holds the lease, every Freshchat request is ha-a's, in the documented User-Agent format.
        var agents = drill.Freshchat.Requests.ByUserAgent();
        Assert.True(agents.Keys.All(ua => ua.EndsWith("(ha-a)", StringComparison.Ordinal)), "User-Agents seen: " + string.Join(", ", agents.Keys));
        Assert.Matches(UserAgentFormat(), Assert.Single(agents.Keys));
        Assert.Single(b.Lines, l => l.Contains("standby: account acme", StringComparison.Ordinal)); // logged once, not per poll

        // The standby is live and ready, and says so; the gauge tells holder from standby.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await b.WaitUntilAsync(() => Answers(http, $"http://127.0.0.1:{portB}/metrics") && Answers(http, $"http://127.0.0.1:{portA}/metrics"), TimeSpan.FromSeconds(30),
            "the metrics endpoints never answered");
        var ready = await http.GetAsync($"http://127.0.0.1:{portB}/health/ready");
        var readyBody = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == System.Net.HttpStatusCode.OK, readyBody);
        Assert.Contains("lease: standby: account acme is captured by ha-a (epoch 1)", readyBody);
        Assert.StartsWith("Healthy", readyBody);
        Assert.Matches(LeaseHeld("0"), await http.GetStringAsync($"http://127.0.0.1:{portB}/metrics"));
        Assert.Matches(LeaseHeld("1"), await http.GetStringAsync($"http://127.0.0.1:{portA}/metrics"));
        Assert.Contains("lease: holder: this instance (ha-a) captures account acme (epoch 1)", await http.GetStringAsync($"http://127.0.0.1:{portA}/health/ready"));

        drill.Mutate();
        var killedAt = DateTimeOffset.UtcNow;
        await ReliabilityDrill.KillAsync(a.Process);
        drill.Mutate();
        await b.WaitUntilAsync(() => Requests(drill, "ha-b") is not null, TimeSpan.FromSeconds(30), "instance ha-b never took over");
        var takeover = Requests(drill, "ha-b")!.First - killedAt;
        drill.Mutate();
        var (recovered, audit) = await drill.ConvergeAsync(TimeSpan.FromSeconds(90));
        await ReliabilityDrill.TerminateAsync(b.Process);

        var limit = TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(1); // LeaseTtl + one poll interval
        Assert.True(takeover <= limit + Slack, $"took over {takeover.TotalSeconds:0.00} s after the kill (LeaseTtl + poll interval = {limit.TotalSeconds} s)");
        Assert.True(Requests(drill, "ha-a")!.Last <= killedAt, "the killed instance asked Freshchat after its death");
        Assert.True(b.Logged("Lease acquired: account acme, epoch 2"), string.Join("\n", b.Lines.TakeLast(20)));
        Assert.True(audit.Lost == 0 && audit.Clean, audit.ToString());
        ledger.Record(new ScenarioFigures(
            $"Multi-instance: two `run` on one account, the holder SIGKILLed while data changes (LeaseTtl 2 s, poll 1 s); standby took over {takeover.TotalSeconds:0.0} s after the kill",
            drill.Runs, "1 SIGKILL of the lease holder; the standby made 0 Freshchat requests before it", audit.EventsChecked, audit.Lost, audit.Duplicates, takeover + recovered));
    }

    [Fact]
    public async Task HolderPausedPastItsTtl_ResumesAfterTheTakeover_IsFencedOff_NoCursorGoesBackwards_AndItStandsBy()
    {
        await using var drill = await StartDrillAsync(seed: 192, ttl: TimeSpan.FromSeconds(2));
        using var a = Start(drill, "fence-a");
        await a.WaitUntilAsync(() => a.Logged("Cycle (Changes) done"), TimeSpan.FromSeconds(60), "instance fence-a never finished a cycle");

        // Slow Freshchat down so fence-a is mid-pass (requests and records in flight) when it is frozen.
        drill.Freshchat.Faults.Latency = TimeSpan.FromMilliseconds(100);
        drill.Mutate();
        await a.WaitUntilAsync(() => Requests(drill, "fence-a") is { } r && r.Last > DateTimeOffset.UtcNow.AddMilliseconds(-150), TimeSpan.FromSeconds(30),
            "instance fence-a was not asking Freshchat");
        PosixSignals.Pause(a.Process.Id);
        try
        {
            using var b = Start(drill, "fence-b");
            await b.WaitUntilAsync(() => b.Logged("Lease acquired: account acme, epoch 2"), TimeSpan.FromSeconds(30), "instance fence-b never took over");
            drill.Freshchat.Faults.Latency = TimeSpan.Zero;
            drill.Mutate();
            var cycles = b.Count("Cycle (Changes) done");
            await b.WaitUntilAsync(() => b.Count("Cycle (Changes) done") >= cycles + 1, TimeSpan.FromSeconds(60),
                "instance fence-b never finished a cycle");
            var before = drill.Scenario.ReadCursors();
            var requestsBefore = Requests(drill, "fence-a")!.Requests;

            PosixSignals.Resume(a.Process.Id);
            await a.WaitUntilAsync(() => a.Logged("standby: account acme is captured by fence-b (epoch 2)"), TimeSpan.FromSeconds(30),
                "instance fence-a did not return to standby");
            var after = drill.Scenario.ReadCursors();
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var requestsAfter = Requests(drill, "fence-a")!.Requests;
            drill.Mutate();
            var (_, audit) = await drill.ConvergeAsync(TimeSpan.FromSeconds(90));
            var final = drill.Scenario.ReadCursors();

            Assert.True(a.Logged("Lease lost: account acme, epoch 1"), string.Join("\n", a.Lines.TakeLast(30)));
            var backwards = Backwards(before, after).Concat(Backwards(after, final)).ToList();
            Assert.True(backwards.Count == 0, "cursors moved backwards:\n" + string.Join("\n", backwards));
            Assert.True(before.Count > 10, $"only {before.Count} cursors to compare");
            // Only what was already in flight when it froze (at most a handful of requests) may still reach Freshchat.
            Assert.InRange(requestsAfter - requestsBefore, 0, 5);
            Assert.True(Requests(drill, "fence-a")!.Requests == requestsAfter, "the fenced-off instance kept asking Freshchat");
            Assert.True(audit.Lost == 0 && audit.Clean, audit.ToString());
            await ReliabilityDrill.TerminateAsync(b.Process);
            ledger.Record(new ScenarioFigures(
                "Multi-instance: the holder frozen (SIGSTOP) mid-pass past its LeaseTtl (2 s), another takes over and captures, then the first resumes (SIGCONT)",
                drill.Runs, $"1 SIGSTOP/SIGCONT; the resumed holder was fenced off (epoch 1 < 2) and stood by; {before.Count + after.Count} cursor readings, 0 moved backwards",
                audit.EventsChecked, audit.Lost, audit.Duplicates, TimeSpan.Zero));
        }
        finally
        {
            PosixSignals.Resume(a.Process.Id);
            await ReliabilityDrill.KillAsync(a.Process);
        }
    }

    [Fact]
    public async Task SnapshotResetAndRunOnce_WhileRunHoldsTheLease_WaitThenExit3WithOneLineNamingTheHolder()
    {
        await using var drill = await StartDrillAsync(seed: 193, ttl: TimeSpan.FromSeconds(2));
        drill.Scenario.Settings["Capture:LeaseWaitTimeout"] = "00:00:02";
        drill.Scenario.Settings["Capture:InstanceId"] = "operator";
        using var a = Start(drill, "hold-a");
        await a.WaitUntilAsync(() => a.Logged("Cycle (Changes) done"), TimeSpan.FromSeconds(60), "instance hold-a never finished a cycle");
        var cursors = drill.Scenario.ReadCursors();

        var status = await drill.Scenario.RunAsync("status");
        var lines = new List<string>();
        var slowest = TimeSpan.Zero;
        foreach (var command in new[] { new[] { "snapshot" }, ["reset", "--resource", "users", "--yes"], ["run", "--once"] })
        {
            var waited = Stopwatch.StartNew();
            var result = await drill.Scenario.RunAsync(command);
            waited.Stop();
            slowest = waited.Elapsed > slowest ? waited.Elapsed : slowest;
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            lines.Add(line);
            Assert.True(result.ExitCode == 3, $"{string.Join(" ", command)}: {result}");
            Assert.Matches(@"account acme is captured by hold-a \(epoch 1, lease expires \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z\)", line);
            Assert.Contains("Capture:LeaseWaitTimeout", line);
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
            Assert.True(waited.Elapsed >= TimeSpan.FromSeconds(1.9), $"{string.Join(" ", command)} gave up after {waited.Elapsed.TotalSeconds:0.00} s");
        }

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Matches(@"lease: held by hold-a \(epoch 1\), expires ", status.Output);
        Assert.True(drill.Scenario.ReadCursors().ContainsKey("cursors/users") && cursors.ContainsKey("cursors/users"), "reset deleted the users cursor under a live writer");
        Assert.Null(Requests(drill, "operator")); // the waiting commands never asked Freshchat
        Assert.True(a.Logged("Cycle (Changes) done"));
        Assert.False(a.Process.HasExited);
        await ReliabilityDrill.TerminateAsync(a.Process);
        ledger.Record(new ScenarioFigures(
            "Multi-instance: `snapshot`, `reset` and `run --once` beside a running holder (Capture:LeaseWaitTimeout 2 s)",
            drill.Runs + 4, $"each waited, then exit 3 with one line naming the holder (slowest {slowest.TotalSeconds:0.0} s); nothing reset, no Freshchat request", 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task RollingUpdate_StartBThenSigtermA_HandsOverAtOnce_AndNothingIsLost()
    {
        var ttl = TimeSpan.FromSeconds(10);
        await using var drill = await StartDrillAsync(seed: 194, ttl);
        using var a = Start(drill, "roll-a");
        await a.WaitUntilAsync(() => a.Logged("Cycle (Changes) done"), TimeSpan.FromSeconds(60), "instance roll-a never finished a cycle");
        using var b = Start(drill, "roll-b");
        await b.WaitUntilAsync(() => b.Logged("standby: account acme is captured by roll-a (epoch 1)"), TimeSpan.FromSeconds(60), "instance roll-b never logged standby");
        drill.Mutate();
        await Task.Delay(TimeSpan.FromSeconds(0.5));

        var terminatedAt = DateTimeOffset.UtcNow;
        var exit = await ReliabilityDrill.TerminateAsync(a.Process);
        var exitedAt = DateTimeOffset.UtcNow;
        await b.WaitUntilAsync(() => Requests(drill, "roll-b") is not null, TimeSpan.FromSeconds(30), "instance roll-b never took over");
        var handover = Requests(drill, "roll-b")!.First - terminatedAt;
        var afterExit = Requests(drill, "roll-b")!.First - exitedAt;
        drill.Mutate();
        var (recovered, audit) = await drill.ConvergeAsync(TimeSpan.FromSeconds(90));
        await ReliabilityDrill.TerminateAsync(b.Process);

        Assert.Equal(0, exit);
        Assert.True(a.Logged("Lease released: account acme, epoch 1"), string.Join("\n", a.Lines.TakeLast(20)));
        Assert.True(handover < ttl / 2, $"handover took {handover.TotalSeconds:0.00} s after SIGTERM ({afterExit.TotalSeconds:0.00} s after the old holder exited); LeaseTtl is {ttl.TotalSeconds} s");
        Assert.True(audit.Lost == 0 && audit.Clean, audit.ToString());
        ledger.Record(new ScenarioFigures(
            $"Multi-instance: rolling update, B started, then SIGTERM to holder A (LeaseTtl 10 s); B asked Freshchat {handover.TotalSeconds:0.0} s after the SIGTERM " +
            (afterExit < TimeSpan.Zero ? "(before A had finished exiting)" : $"({afterExit.TotalSeconds:0.0} s after A exited)"),
            drill.Runs, "1 SIGTERM of the lease holder (flush, commit, release)", audit.EventsChecked, audit.Lost, audit.Duplicates, handover + recovered));
    }

    private async Task<ReliabilityDrill> StartDrillAsync(int seed, TimeSpan ttl)
    {
        var drill = await ReliabilityDrill.StartAsync(stack, seed, Account);
        drill.Scenario.Settings["Capture:LeaseTtl"] = ttl.ToString();
        drill.Scenario.Settings["Capture:InstanceId"] = "unset";
        drill.Scenario.Settings["Observability:MetricsPort"] = "0";
        return drill;
    }

    /// <summary>Starts <c>run</c> as instance <paramref name="id"/>, at Information level, serving metrics and health on <paramref name="metricsPort"/> when given.</summary>
    private static ChildProducer Start(ReliabilityDrill drill, string id, int metricsPort = 0) =>
        ChildProducer.Start(output => drill.StartProducer(new Dictionary<string, string>
        {
            ["Capture:InstanceId"] = id, ["Logging:LogLevel:Default"] = "Information", ["Observability:MetricsPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, output));

    private static bool Answers(HttpClient http, string url)
    {
        try
        {
            return http.GetAsync(url).GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static Regex LeaseHeld(string value) => new($@"(?m)^freshchat_stream_lease_held\{{[^}}]*account=""acme""[^}}]*\}} {value}( |$)");

    private static UserAgentTally? Requests(ReliabilityDrill drill, string instance) =>
        drill.Freshchat.Requests.ByUserAgent().Where(p => p.Key.EndsWith($"({instance})", StringComparison.Ordinal)).Select(p => p.Value).SingleOrDefault();

    private static IEnumerable<string> Backwards(Dictionary<string, ResourceCursor> earlier, Dictionary<string, ResourceCursor> later)
    {
        foreach (var (key, cursor) in earlier)
        {
            if (!later.TryGetValue(key, out var now))
            {
                yield return $"{key}: gone";
            }
            else if (cursor.HighWaterMark is { } mark && (now.HighWaterMark is not { } moved || moved < mark))
            {
                yield return $"{key}: {mark:O} -> {now.HighWaterMark:O}";
            }
        }
    }

    [GeneratedRegex(@"^freshchat-stream/\d+\.\d+\.\d+[^ +()]* \(ha-a\)$")]
    private static partial Regex UserAgentFormat();
}
