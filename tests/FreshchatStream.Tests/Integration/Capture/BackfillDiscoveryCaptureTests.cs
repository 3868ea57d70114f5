using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// Issue #21 item 2 end to end: a backfill discovers the conversations of users created after the discovery
/// report's horizon through the <c>Conversation-Created</c> report alone, reading conversation lists only for older
/// users — and loses nothing, also when the report answers 403 or its rows carry no conversation id. Runs under both
/// emulator readings (CI repeats the capture suites with <c>FRESHCHAT_EMULATOR_PROFILE=other</c>).
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#21")]
public sealed class BackfillDiscoveryCaptureTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    private const string ListEndpoint = "GET /v2/users/{id}/conversations";
    // The report back to the horizon costs 3 + 30 requests; about 57 of the 1,500 users are created after it.
    private static readonly TimeSpan Lookback = TimeSpan.FromDays(30);

    [Theory]
    [InlineData("usable")]
    [InlineData("forbidden")]
    [InlineData("no-ids")]
    public async Task RunOnce_Backfill_ReadsListsOnlyOfUsersBeforeTheHorizonAndCapturesEveryConversation(string report)
    {
        // An account active until now (users over the last two years), so the horizon falls inside its history.
        var options = CaptureScenario.SmallAccount with
        {
            Users = 1500, ConversationsPerUser = 0.1, MessagesPerConversation = 2, Epoch = DateTimeOffset.UtcNow.AddHours(-2),
            Behaviour = new(), Faults = new(),
        };
        await using var scenario = await CaptureScenario.StartAsync(stack, options);
        scenario.Settings["Capture:Reports:SettleDelay"] = "00:00:00";
        scenario.Settings["Capture:Reports:MinWindow"] = "00:00:00";
        scenario.Settings["Capture:Conversations:DiscoveryLookback"] = Lookback.ToString("c");
        scenario.Settings["Capture:Conversations:DiscoveryWindow"] = "30.00:00:00";
        scenario.Settings["Capture:Conversations:DiscoveryPerCycle"] = "100000";
        if (report == "forbidden")
        {
            scenario.Freshchat.Behaviour.ForbiddenScopes = "reports:extract";
        }
        else if (report == "no-ids")
        {
            scenario.Freshchat.Behaviour.ReportConversationIdHeader = "Chat Reference";
        }

        var data = scenario.Freshchat.Data;
        var users = data.EnumerateUsers().Select(u => DateTimeOffset.Parse((string)u["created_time"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var earliestHorizon = DateTimeOffset.UtcNow - Lookback;

        var result = await scenario.RunAsync("run", "--once");

        var latestHorizon = DateTimeOffset.UtcNow - Lookback;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(data.EnumerateConversationIds().Order(), scenario.Read(CaptureCatalogue.ConversationsTopic).Select(r => r.Id).Order());
        var expectedMessages = data.EnumerateConversationIds().Sum(id => data.GetMessages(id)!.Count);
        Assert.Equal(expectedMessages, scenario.Read(CaptureCatalogue.MessagesTopic).Count);

        var listReads = scenario.Freshchat.Requests.Get(ListEndpoint);
        if (report == "usable")
        {
            // Saved: no list read for a user created after the horizon, one for each user before it.
            Assert.InRange(listReads, users.Count(c => c <= earliestHorizon), users.Count(c => c <= latestHorizon));
            Assert.True(users.Count - listReads > 33, $"{listReads} list reads for {users.Count} users");
            Assert.DoesNotContain("discovery report unusable", (await scenario.RunAsync("status")).Output);
        }
        else
        {
            // Unusable: every user's list was read after all, in the same run.
            Assert.InRange(listReads, users.Count, users.Count * 2);
            Assert.Contains("discovery report unusable", (await scenario.RunAsync("status")).Output);
        }
    }
}
