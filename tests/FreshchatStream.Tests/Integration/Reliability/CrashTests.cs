using System.Diagnostics;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// Crashes: the producer process SIGKILLed at random moments of a backfill and of the capture that follows,
/// with mutations between restarts, loses nothing and repeats only with equal <c>__event_id</c>s.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(CrashDrillCollection.Name)]
public sealed class CrashTests(CaptureStackFixture stack, ReliabilityLedger ledger) : IClassFixture<CaptureStackFixture>, IClassFixture<ReliabilityLedger>
{
    [Fact]
    public async Task Run_KilledAtTwentyRandomMoments_WithMutationsBetweenRestarts_LosesNothing()
    {
        var kills = ReliabilityLedger.Soak ? 200 : 20;
        await using var drill = await ReliabilityDrill.StartAsync(stack, seed: 20, ReliabilityDrill.DefaultAccount with { Users = 200, MessagesPerConversation = 20 });
        var killedWhilePublishing = 0;
        for (var kill = 1; kill <= kills; kill++)
        {
            var before = drill.CountPublished(CaptureCatalogue.MessagesTopic);
            var requestsBefore = drill.Freshchat.Requests.Total;
            using (var producer = drill.StartProducer())
            {
                // The moment is drawn from when the child's capture began (its first Freshchat request), not from its
                // process start: on a loaded machine start-up alone outlasted the old 0.5–5 s window, and no kill
                // landed while publishing. 0–3.5 s after the first request is that window on an idle machine.
                await WaitForFirstRequestAsync(drill, producer, requestsBefore);
                await Task.Delay(drill.RandomDelay(TimeSpan.Zero, TimeSpan.FromSeconds(3.5)));
                Assert.False(producer.HasExited, $"the producer exited on its own before kill {kill}: {string.Join("\n", drill.Output.TakeLast(20))}");
                await ReliabilityDrill.KillAsync(producer);
            }

            if (drill.CountPublished(CaptureCatalogue.MessagesTopic) > before)
            {
                killedWhilePublishing++;
            }

            drill.Mutate();
            if (kill % 5 == 0)
            {
                await drill.RunCleanCycleAsync(); // a checkpoint: what existed now must end up in the topics
            }
        }

        drill.Mutate();
        var recovery = Stopwatch.StartNew();
        await drill.RunCleanCycleAsync();
        recovery.Stop();
        var audit = TopicAudit.Run(drill.Scenario, drill.Oracle);

        Assert.True(audit.Lost == 0 && audit.Clean, audit.ToString());
        Assert.True(killedWhilePublishing >= kills / 4, $"only {killedWhilePublishing} of {kills} kills landed while messages were being published");
        ledger.Record(new ScenarioFigures("Crash: SIGKILL at random moments (0–3.5 s after the first Freshchat request) of backfill and capture, mutations between restarts",
            drill.Runs, $"{kills} SIGKILLs ({killedWhilePublishing} while messages were being published)", audit.EventsChecked, audit.Lost, audit.Duplicates, recovery.Elapsed));
    }

    private static async Task WaitForFirstRequestAsync(ReliabilityDrill drill, Process producer, long requestsBefore)
    {
        var waited = Stopwatch.StartNew();
        while (drill.Freshchat.Requests.Total == requestsBefore)
        {
            Assert.False(producer.HasExited, $"the producer exited before its first request: {string.Join("\n", drill.Output.TakeLast(20))}");
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the producer made no Freshchat request within 60 s of its start");
            await Task.Delay(20);
        }
    }
}
