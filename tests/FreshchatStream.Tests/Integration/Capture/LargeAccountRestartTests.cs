using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// <see cref="LargeAccountCaptureTests"/>'s account (about 2,000 conversations and 50,000 messages): a backfill killed
/// mid-way loses nothing and repeats only equal event ids, and an interrupted snapshot resumes after the last
/// finished conversation.
/// </summary>
[Trait("Category", "Integration")]
[LongRunning]
public sealed class LargeAccountRestartTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task Run_KilledMidBackfill_RestartLosesNothingAndRepeatsShareTheirEventIds()
    {
        await using var scenario = await LargeAccountCaptureTests.StartAsync(stack);
        scenario.Settings["Capture:BatchSize"] = "500";
        // Concurrent reads (issue #21) finish an instant emulator's backfill before a kill can land mid-way; a small
        // latency per request keeps it long enough to kill at about a tenth.
        scenario.Freshchat.Faults.Latency = TimeSpan.FromMilliseconds(25);
        var data = scenario.Freshchat.Data;
        var truth = data.EnumerateConversationIds().SelectMany(id => data.GetMessages(id)!).Select(m => (string)m["id"]!).ToHashSet();

        using (var child = scenario.StartChild(null, "run", "--once"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (scenario.CountPublished(CaptureCatalogue.MessagesTopic) < 5_000 && DateTime.UtcNow < deadline && !child.HasExited)
            {
                await Task.Delay(250);
            }

            Assert.False(child.HasExited, "the backfill finished before it could be killed");
            child.Kill();
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        var killedAt = scenario.Read(CaptureCatalogue.MessagesTopic).Count;
        Assert.InRange(killedAt, 5_000, truth.Count - 1);

        var restart = await scenario.RunAsync("run", "--once");

        Assert.True(restart.ExitCode == 0, restart.ToString());
        var messages = scenario.Read(CaptureCatalogue.MessagesTopic);
        Assert.Equal(truth.Order(), messages.Select(r => r.Id).Distinct().Order());
        Assert.All(messages.GroupBy(r => r.Id), copies => Assert.Single(copies.Select(r => r.EventId).Distinct()));
    }

    [Fact]
    public async Task Snapshot_InterruptedThenRunAgain_ResumesAfterTheLastFinishedConversation()
    {
        await using var scenario = await LargeAccountCaptureTests.StartAsync(stack);
        scenario.Settings["Capture:BatchSize"] = "200";
        Assert.Equal(0, (await scenario.RunAsync("run", "--once", "--Capture:Resources=users,conversations,messages")).ExitCode);
        var conversationIds = scenario.Freshchat.Data.EnumerateConversationIds().ToHashSet();
        var before = scenario.Read(CaptureCatalogue.ConversationsTopic);

        using (var child = scenario.StartChild(null, "snapshot", "--resources", "conversations,messages"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (scenario.CountPublished(CaptureCatalogue.ConversationsTopic) < before.Count + 300 && DateTime.UtcNow < deadline && !child.HasExited)
            {
                await Task.Delay(200);
            }

            Assert.False(child.HasExited, "the snapshot finished before it could be interrupted");
            child.Kill();
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        var interrupted = scenario.ReadNew(CaptureCatalogue.ConversationsTopic, before);
        var resumed = await scenario.RunAsync("snapshot", "--resources", "conversations,messages");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var second = scenario.ReadNew(CaptureCatalogue.ConversationsTopic, [.. before, .. interrupted]);
        Assert.All(interrupted.Concat(second), r => Assert.Equal("r", r.Op));
        Assert.Equal(conversationIds.Order(), interrupted.Concat(second).Select(r => r.Id).Distinct().Order());
        Assert.True(second.Count < conversationIds.Count, $"the second snapshot started over ({second.Count} of {conversationIds.Count})");
        // Only the conversations of the batch in flight at the kill are repeated.
        Assert.True(interrupted.Count + second.Count - conversationIds.Count <= 200);

        var again = await scenario.RunAsync("snapshot", "--resources", "conversations");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(conversationIds.Count, scenario.ReadNew(CaptureCatalogue.ConversationsTopic, [.. before, .. interrupted, .. second]).Count);
    }
}
