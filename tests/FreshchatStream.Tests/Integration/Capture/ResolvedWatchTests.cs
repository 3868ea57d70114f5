using FreshchatStream.Producer.Capture;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// Polling without webhooks: a conversation reopened by its status alone, with no message, is in no raw report (the
/// change hints cannot name it) and would wait for its resolved backoff (<c>ResolvedInterval</c>, an hour). Resolved
/// moments before, it is watched (<c>Capture:Conversations:ResolvedWatch</c>), so the reopen reaches Kafka within
/// <c>ResolvedWatchInterval</c> and a cycle or two. Runs under both emulator profiles (CI repeats the capture suites
/// with <c>FRESHCHAT_EMULATOR_PROFILE=other</c>).
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#21")]
public sealed class ResolvedWatchTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    /// <summary>The watch's cadence here, and the bound: that, plus cycles of 1 s and publishing on a loaded CI machine.</summary>
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Run_WebhooksOff_ReopenWithoutAMessageSoonAfterTheResolution_ReachesKafkaWithinTheBound()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with
        {
            Users = 12, ConversationsPerUser = 1.0, MessagesPerConversation = 2, Behaviour = new(), Faults = new(),
        });
        scenario.Settings["Capture:PollInterval"] = "00:00:01";
        // The open conversation is quiet (OpenMaxInterval away): its resolution is seen through the Conversation-Resolved hint.
        scenario.Settings["Capture:Conversations:HintInterval"] = "00:00:01";
        scenario.Settings["Capture:Conversations:HintSettleDelay"] = "00:00:01";
        scenario.Settings["Capture:Conversations:ResolvedWatch"] = "00:01:00";
        scenario.Settings["Capture:Conversations:ResolvedWatchInterval"] = WatchInterval.ToString("c");
        var data = scenario.Freshchat.Data;
        var conversation = data.EnumerateConversationIds().First(id => (string?)data.GetConversation(id)?["status"] != "resolved");
        var messagesBefore = data.GetMessages(conversation)!.Count;

        using var stop = new CancellationTokenSource();
        var run = scenario.RunAsync(stop.Token, "run");
        try
        {
            await WaitUntilAsync(() => Statuses(scenario, conversation).Count > 0, Bound, run, "the first cycle did not capture the conversation");

            Assert.True(data.ResolveConversation(conversation));
            await WaitUntilAsync(() => Statuses(scenario, conversation).Contains("resolved"), Bound, run, "the resolution was not in Kafka within the bound");

            // Reopened by status alone: no message, no webhook, nothing in Chat-Transcript or the other hint reports.
            Assert.True(data.ReopenConversation(conversation));
            var reopenedAt = DateTime.UtcNow;
            await WaitUntilAsync(() => Statuses(scenario, conversation).Contains("reopened"), Bound, run,
                $"the reopen without a message was not in Kafka within {Bound.TotalSeconds:0} s (ResolvedWatchInterval {WatchInterval.TotalSeconds:0} s)");
            Assert.True(DateTime.UtcNow - reopenedAt < Bound);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }

        Assert.Equal(messagesBefore, data.GetMessages(conversation)!.Count); // the reopen really came without a message
    }

    private static List<string?> Statuses(CaptureScenario scenario, string conversation) =>
        [.. scenario.Read(CaptureCatalogue.ConversationsTopic).Where(r => r.Id == conversation).Select(r => (string?)r.Raw?["status"])];

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Task<CommandResult> run, string failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (run.IsCompleted)
            {
                Assert.Fail($"the producer stopped: {await run}");
            }

            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(200);
        }
    }
}
