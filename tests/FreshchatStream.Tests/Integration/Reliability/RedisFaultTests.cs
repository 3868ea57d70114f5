using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;
using StackExchange.Redis;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// Redis faults under a running producer: Redis stopped mid-run and restarted with its data, and Redis slow.
/// Redis restarted empty is in <see cref="RedisStateLossTests"/>, apart so that it runs in parallel, on its own
/// Redis (each class stops and restarts the one of its stack).
/// </summary>
[Trait("Category", "Reliability")]
[LongRunning]
public sealed class RedisFaultTests(CaptureStackFixture stack, ReliabilityLedger ledger) : IClassFixture<CaptureStackFixture>, IClassFixture<ReliabilityLedger>
{
    [Fact]
    public async Task Run_RedisStoppedMidRunAndRestartedWithItsData_LosesNothing()
    {
        var rounds = ReliabilityLedger.Soak ? 15 : 3;
        await using var drill = await ReliabilityDrill.StartAsync(stack, seed: 40);
        using var producer = drill.StartProducer();
        await KafkaFaultTests.WaitUntilAsync(() => drill.CountPublished(CaptureCatalogue.MessagesTopic) > 0, TimeSpan.FromSeconds(60));
        for (var round = 1; round <= rounds; round++)
        {
            drill.Mutate();
            await Task.Delay(drill.RandomDelay(TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(1.5)));
            stack.Redis.StopServer(keepData: true);
            try
            {
                drill.Mutate();
                await Task.Delay(TimeSpan.FromSeconds(4));
            }
            finally
            {
                await stack.Redis.StartServerAsync();
            }

            Assert.False(producer.HasExited, string.Join("\n", drill.Output.TakeLast(20)));
        }

        var (recovery, audit) = await drill.ConvergeAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(0, await ReliabilityDrill.TerminateAsync(producer));

        Assert.True(audit.Clean, audit.ToString());
        ledger.Record(new ScenarioFigures("Redis: stopped mid-run for 4 s and restarted with its data", drill.Runs, $"{rounds} Redis outages",
            audit.EventsChecked, audit.Lost, audit.Duplicates, recovery));
    }

    [Fact]
    public async Task Run_RedisSlow_CommitsLateButLosesNothing()
    {
        var rounds = ReliabilityLedger.Soak ? 20 : 4;
        await using var drill = await ReliabilityDrill.StartAsync(stack, seed: 42);
        using var producer = drill.StartProducer();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(stack.Redis.Configuration + ",allowAdmin=true,syncTimeout=10000");
        for (var round = 1; round <= rounds; round++)
        {
            drill.Mutate();
            await Task.Delay(drill.RandomDelay(TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(1)));
            // The server answers no other client for 1 s (slow, within the producer's 2 s syncTimeout) or 2.5 s (beyond it).
            await admin.GetServers()[0].ExecuteAsync("CLIENT", "PAUSE", round % 2 == 0 ? "2500" : "1000", "ALL");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        var (recovery, audit) = await drill.ConvergeAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(0, await ReliabilityDrill.TerminateAsync(producer));

        Assert.True(audit.Clean, audit.ToString());
        ledger.Record(new ScenarioFigures("Redis: slow (server answers nothing for 1 s, then 2.5 s: beyond the 2 s sync timeout)", drill.Runs, $"{rounds} stalls",
            audit.EventsChecked, audit.Lost, audit.Duplicates, recovery));
    }
}
