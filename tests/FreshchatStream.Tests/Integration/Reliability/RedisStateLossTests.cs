using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;
using StackExchange.Redis;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// Redis losing the producer's state: restarted empty under a running producer, or its keys flushed between runs.
/// The producer must notice the lost state, say so (log, <c>status</c>) and re-capture everything as a snapshot.
/// </summary>
[Trait("Category", "Reliability")]
[LongRunning]
public sealed class RedisStateLossTests(CaptureStackFixture stack, ReliabilityLedger ledger) : IClassFixture<CaptureStackFixture>, IClassFixture<ReliabilityLedger>
{
    [Fact]
    public async Task Run_RedisRestartedEmpty_SaysTheStateWasLostAndRecapturesEverythingAsASnapshot()
    {
        await using var drill = await ReliabilityDrill.StartAsync(stack, seed: 41);
        using var producer = drill.StartProducer();
        await drill.ConvergeAsync(TimeSpan.FromSeconds(90));
        var before = drill.Scenario.ReadAll();

        stack.Redis.StopServer(keepData: false);
        await stack.Redis.StartServerAsync();
        drill.Mutate();
        var (recovery, audit) = await drill.ConvergeAsync(TimeSpan.FromSeconds(90));
        // Converged means every current version is in the topics, which was true of the unchanged ones before the
        // loss; wait for the re-snapshot itself: every user and message published again.
        var data = drill.Freshchat.Data;
        var messageCount = data.EnumerateConversationIds().Sum(id => data.GetMessages(id)!.Count);
        await KafkaFaultTests.WaitUntilAsync(() => drill.CountPublished(CaptureCatalogue.MessagesTopic) >= before[CaptureCatalogue.MessagesTopic].Count + messageCount, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2)); // a cycle that would wrongly publish c events after the re-snapshot
        Assert.Equal(0, await ReliabilityDrill.TerminateAsync(producer));

        Assert.Contains(drill.Output, line => line.Contains("the state was lost", StringComparison.Ordinal));
        var users = drill.Scenario.ReadNew(CaptureCatalogue.UsersTopic, before[CaptureCatalogue.UsersTopic]);
        Assert.Equal(data.EnumerateUsers().Select(u => (string)u["id"]!).Order(), users.Where(r => r.Op == "r").Select(r => r.Id).Distinct().Order());
        Assert.DoesNotContain(users, r => r.Op == "c");
        var messages = drill.Scenario.ReadNew(CaptureCatalogue.MessagesTopic, before[CaptureCatalogue.MessagesTopic]);
        Assert.All(messages, r => Assert.Equal("r", r.Op));
        var earlierIds = before[CaptureCatalogue.UsersTopic].GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.Last().EventId);
        var unchanged = users.Where(r => earlierIds.TryGetValue(r.Id, out var id) && id == r.EventId).Count();
        Assert.True(unchanged > 0, "no re-captured user repeated its earlier __event_id");
        audit = TopicAudit.Run(drill.Scenario, drill.Oracle);
        Assert.True(audit.Clean, audit.ToString());
        ledger.Record(new ScenarioFigures("Redis: restarted empty (state lost) — detected, logged, re-captured as op r", drill.Runs,
            "1 loss of all state", audit.EventsChecked, audit.Lost, audit.Duplicates, recovery));
    }

    [Fact]
    public async Task RunOnce_StateFlushedBetweenRuns_StatusSaysSoUntilTheResnapshotSucceeds()
    {
        await using var drill = await ReliabilityDrill.StartAsync(stack, seed: 43, ReliabilityDrill.DefaultAccount with { Users = 30 });
        await drill.RunCleanCycleAsync();
        var before = drill.Scenario.ReadAll();
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis.Configuration))
        {
            foreach (var key in redis.GetServers()[0].Keys(pattern: $"{drill.Scenario.KeyPrefix}:*"))
            {
                await redis.GetDatabase().KeyDeleteAsync(key);
            }
        }

        drill.Freshchat.Faults.Fraction5xx = 1; // the first cycle after the loss fails: the re-snapshot stays pending
        var failed = await drill.Scenario.RunAsync("run", "--once", "--Freshchat:MaxRetries=0");
        drill.Freshchat.Faults.Clear();
        var pending = await drill.Scenario.RunAsync("status");
        var resnapshot = await drill.Scenario.RunAsync("run", "--once");
        var done = await drill.Scenario.RunAsync("status");

        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("state lost: found empty at", pending.Output, StringComparison.Ordinal);
        Assert.True(resnapshot.ExitCode == 0, resnapshot.ToString());
        Assert.DoesNotContain("state lost", done.Output, StringComparison.Ordinal);
        var users = drill.Scenario.ReadNew(CaptureCatalogue.UsersTopic, before[CaptureCatalogue.UsersTopic]);
        Assert.Equal(30, users.Count);
        Assert.All(users, r => Assert.Equal("r", r.Op));
        Assert.Equal(before[CaptureCatalogue.UsersTopic].Select(r => r.EventId).Order(), users.Select(r => r.EventId).Order());
        var quiet = await drill.Scenario.RunAsync("run", "--once");
        Assert.Equal(0, quiet.ExitCode);
        Assert.Empty(drill.Scenario.ReadNew(CaptureCatalogue.UsersTopic, [.. before[CaptureCatalogue.UsersTopic], .. users]));
    }
}
