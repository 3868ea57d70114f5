using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// Polling without webhooks, with the raw reports as change hints: a resolved conversation waits an hour for its
/// next poll (<c>Capture:Conversations:ResolvedInterval</c>), yet a customer writing into it (which reopens it) and a
/// message added to a resolved conversation reach Kafka within seconds, because the <c>Chat-Transcript</c> rows name
/// those conversations. Runs under both emulator profiles (the "other" one spells the report's id column
/// <c>Conversation ID</c> and keeps a link pending a poll longer).
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#21")]
public sealed class ConversationHintsTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task Run_WebhooksOff_ReopenAndMessageInResolvedConversationsReachKafkaWithinSeconds()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with
        {
            Users = 12, ConversationsPerUser = 1.0, MessagesPerConversation = 2, Behaviour = new(), Faults = new(),
        });
        scenario.Settings["Capture:PollInterval"] = "00:00:01";
        scenario.Settings["Capture:Conversations:HintInterval"] = "00:00:01";
        scenario.Settings["Capture:Conversations:HintSettleDelay"] = "00:00:01";
        // Both are resolved just before the run: off, the watch of recent resolutions (ResolvedWatchTests) cannot be what sees them.
        scenario.Settings["Capture:Conversations:ResolvedWatch"] = "00:00:00";
        var data = scenario.Freshchat.Data;
        var ids = data.EnumerateConversationIds().ToList();
        Assert.True(ids.Count >= 2, $"the account has {ids.Count} conversation(s)");
        var (reopened, written) = (ids[0], ids[1]);
        Assert.True(data.ResolveConversation(reopened) && data.ResolveConversation(written));

        using var stop = new CancellationTokenSource();
        var run = scenario.RunAsync(stop.Token, "run");
        try
        {
            // The first cycle captures both resolved; their next poll is an hour away.
            await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.ConversationsTopic).Count(r => r.Id == reopened || r.Id == written) == 2, run,
                "the first cycle did not capture both resolved conversations");
            Assert.All(scenario.Read(CaptureCatalogue.ConversationsTopic), r => Assert.NotEqual("reopened", (string?)r.Raw?["status"]));

            // The customer writes again: the conversation is reopened with the message, as in Freshchat.
            Assert.True(data.ReopenConversation(reopened));
            var reopening = data.AddMessage(reopened, "It is broken again");
            var late = data.AddMessage(written, "One more thing, thanks");

            await WaitUntilAsync(() =>
            {
                var messages = scenario.Read(CaptureCatalogue.MessagesTopic).Select(r => r.Id).ToHashSet();
                return messages.Contains(reopening) && messages.Contains(late)
                       && scenario.Read(CaptureCatalogue.ConversationsTopic).Any(r => r.Id == reopened && (string?)r.Raw?["status"] == "reopened");
            }, run, "the reopen and the late message were not in Kafka within 30 s");
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }

        Assert.Contains(scenario.Freshchat.Requests.Snapshot(), r => r.Key.Contains("reports/raw", StringComparison.Ordinal) && r.Value > 0);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Task<CommandResult> run, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
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
