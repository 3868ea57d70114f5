using System.Diagnostics;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// Crashes: the producer process SIGKILLed at random moments of a backfill and of the capture that follows,
/// with mutations between restarts, loses nothing and repeats only with equal <c>__event_id</c>s.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(ReliabilityCollection.Name)]
public sealed class CrashTests(CaptureStackFixture stack, ReliabilityLedger ledger)
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
            using (var producer = drill.StartProducer())
            {
                await Task.Delay(drill.RandomDelay(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5)));
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
        ledger.Record(new ScenarioFigures("Crash: SIGKILL at random moments (0.5–5 s after start) of backfill and capture, mutations between restarts",
            drill.Runs, $"{kills} SIGKILLs ({killedWhilePublishing} while messages were being published)", audit.EventsChecked, audit.Lost, audit.Duplicates, recovery.Elapsed));
    }
}
