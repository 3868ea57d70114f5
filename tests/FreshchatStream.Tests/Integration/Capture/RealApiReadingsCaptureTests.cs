using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// Issue #17 part A end to end (<c>run --once</c>, mock Kafka, Redis): each behaviour of the real API that public
/// sources leave open is run under both of its readings, set explicitly on the emulator so the result does not
/// depend on the <c>FRESHCHAT_EMULATOR_PROFILE</c> a test run uses.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#17")]
[Trait("Reading", "Both")]
public sealed class RealApiReadingsCaptureTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    private const string MessagesEndpoint = "GET /v2/conversations/{id}/messages";

    private static readonly FreshchatEmulatorOptions Account = CaptureScenario.SmallAccount with
    {
        Users = 8, ConversationsPerUser = 1.0, MessagesPerConversation = 60,
    };

    private static async Task<CaptureScenario> StartAsync(CaptureStackFixture stack, FreshchatEmulatorOptions? options = null)
    {
        var scenario = await CaptureScenario.StartAsync(stack, (options ?? Account) with { Behaviour = new(), Faults = new() });
        scenario.Settings["Capture:PollInterval"] = "00:00:01";
        scenario.Settings["Capture:Reports:SettleDelay"] = "00:00:00";
        scenario.Settings["Capture:Reports:MinWindow"] = "00:00:00";
        // The generated history is hours old, so a first-seen open conversation would wait up to OpenMaxInterval
        // (its quiet time) before its next poll; these tests expect the next run to poll every open conversation.
        scenario.Settings["Capture:Conversations:OpenMaxInterval"] = "00:00:01";
        return scenario;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunOnce_LongConversationsWithSameMillisecondPageBoundaries_EveryMessageOnceInOrderUnderEitherFromTimeReading(bool inclusive)
    {
        await using var scenario = await StartAsync(stack);
        var behaviour = scenario.Freshchat.Behaviour;
        behaviour.MessagesFromTimeInclusive = inclusive;
        behaviour.SplitMessageTiesAcrossPages = true;
        behaviour.MessagesPerMillisecond = 3;
        behaviour.MessagesPageByNumber = false;
        var data = scenario.Freshchat.Data;
        // 130 messages in runs of 3 sharing one millisecond: pages of 50 end inside a run (positions 50, 100).
        var user = (string)data.EnumerateUsers().First()["id"]!;
        var longConversation = data.CreateConversation(user);
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        for (var i = 0; i < 130; i++)
        {
            data.AddMessage(longConversation, $"message {i}", createdTime: start.AddMilliseconds(10 * (i / 3)));
        }

        var result = await scenario.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 0, result.ToString());
        var conversations = data.EnumerateConversationIds().ToList();
        Assert.Contains(conversations, id => data.GetMessages(id)!.Count > 100);
        var messages = scenario.Read(CaptureCatalogue.MessagesTopic);
        AssertExactlyOnceInOrder(conversations.SelectMany(id => data.GetMessages(id)!).Select(m => (string)m["id"]!), messages);

        // The next cycle: 61 new messages, the first run sharing the millisecond the cursor stopped at.
        var last = (string)data.GetMessages(longConversation)![^1]["created_time"]!;
        var lastTime = DateTimeOffset.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
        var added = Enumerable.Range(0, 61)
            .Select(i => data.AddMessage(longConversation, $"late {i}", createdTime: lastTime.AddMilliseconds(10 * (i / 3))))
            .ToList();
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // the conversation is due again

        result = await scenario.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 0, result.ToString());
        var fresh = scenario.ReadNew(CaptureCatalogue.MessagesTopic, messages);
        Assert.Equal(added.Order(StringComparer.Ordinal), fresh.Select(r => r.Id).Order(StringComparer.Ordinal));
        AssertExactlyOnceInOrder(conversations.SelectMany(id => data.GetMessages(id)!).Select(m => (string)m["id"]!), scenario.Read(CaptureCatalogue.MessagesTopic));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunOnce_AgentStatusChangesWhileUnavailable_IsATransitionWithOrWithoutStatusIds(bool withoutId)
    {
        await using var scenario = await StartAsync(stack, CaptureScenario.SmallAccount);
        scenario.Freshchat.Behaviour.AgentStatusWithoutId = withoutId;
        var data = scenario.Freshchat.Data;
        var statuses = data.GetAgentStatuses();
        var meeting = statuses.Single(s => (string?)s["name"] == "In a meeting");
        var tea = statuses.Single(s => ((string?)s["name"])!.StartsWith("Tea break", StringComparison.Ordinal));
        var agent = (string)data.GetAgents()[0]["id"]!;
        Assert.True(data.SetAgentAvailability(agent, null, (string)meeting["id"]!));
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var first = scenario.Read(CaptureCatalogue.AgentAvailabilityTopic);
        Assert.Equal(data.GetAgents().Count, first.Count);
        Assert.All(first, t => Assert.Equal(withoutId, t.Column<string>("agent_status_id") is null));

        Assert.True(data.SetAgentAvailability(agent, null, (string)tea["id"]!)); // still UNAVAILABLE
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        var transition = Assert.Single(scenario.ReadNew(CaptureCatalogue.AgentAvailabilityTopic, first));
        Assert.Equal(agent, transition.Id);
        Assert.Equal("UNAVAILABLE", transition.Column<string>("from"));
        Assert.Equal("UNAVAILABLE", transition.Column<string>("to"));
        Assert.Equal((string?)tea["name"], transition.Column<string>("agent_status_name"));
        Assert.Equal("In a meeting", transition.Column<string>("previous_agent_status_name"));
        Assert.Equal(withoutId ? null : (string?)tea["id"], transition.Column<string>("agent_status_id"));
        Assert.Equal(withoutId ? null : (string?)meeting["id"], transition.Column<string>("previous_agent_status_id"));
    }

    /// <summary>
    /// Observations stored with status ids (as every earlier release stored them) meet payloads without ids, and the
    /// other way round: only a real change is a transition.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunOnce_StoredObservationsMeetTheOtherStatusShape_NoSpuriousTransitions(bool storedWithoutId)
    {
        await using var scenario = await StartAsync(stack, CaptureScenario.SmallAccount);
        scenario.Freshchat.Behaviour.AgentStatusWithoutId = storedWithoutId;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var before = scenario.Read(CaptureCatalogue.AgentAvailabilityTopic);

        scenario.Freshchat.Behaviour.AgentStatusWithoutId = !storedWithoutId;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        Assert.Empty(scenario.ReadNew(CaptureCatalogue.AgentAvailabilityTopic, before));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunOnce_MinimalConversationObjects_NewMessagesArriveAtTheNextPollWithOneRequestEach(bool minimal)
    {
        await using var scenario = await StartAsync(stack, CaptureScenario.SmallAccount with { Users = 20, ConversationsPerUser = 0.5, MessagesPerConversation = 4 });
        scenario.Freshchat.Behaviour.MinimalConversations = minimal;
        var data = scenario.Freshchat.Data;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var before = scenario.Read(CaptureCatalogue.MessagesTopic);
        var open = data.EnumerateConversationIds().Where(id => (string?)data.GetConversation(id)!["status"] != "resolved").ToList();
        Assert.True(open.Count >= 2, $"only {open.Count} open conversations");
        var added = open.Take(2).Select(id => data.AddMessage(id, $"new in {id}")).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var pollsBefore = scenario.Freshchat.Requests.Get("GET /v2/conversations/{id}");
        var pagesBefore = scenario.Freshchat.Requests.Get(MessagesEndpoint);

        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        Assert.Equal(added.Order(StringComparer.Ordinal), scenario.ReadNew(CaptureCatalogue.MessagesTopic, before).Select(r => r.Id).Order(StringComparer.Ordinal));
        var polls = scenario.Freshchat.Requests.Get("GET /v2/conversations/{id}") - pollsBefore;
        var pages = scenario.Freshchat.Requests.Get(MessagesEndpoint) - pagesBefore;
        Assert.True(polls >= open.Count, $"{polls} polls of {open.Count} open conversations");
        // minimal: one probe per polled conversation, stopping at the cursor; full objects: the two whose updated_time
        // moved (and any conversation first read this cycle), not every poll
        if (minimal)
        {
            Assert.Equal(polls, pages);
        }
        else
        {
            Assert.InRange(pages, added.Count, polls - 1);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunOnce_ServerIgnoringTheUserSortOrder_EveryUserOnceAndNewOnesNextCycle(bool ignoreSort)
    {
        await using var scenario = await StartAsync(stack, CaptureScenario.SmallAccount with { Users = 130 });
        scenario.Freshchat.Behaviour.IgnoreSortOrder = ignoreSort;
        scenario.Freshchat.Behaviour.UsersNewestFirstByDefault = ignoreSort;
        scenario.Settings["Freshchat:ItemsPerPage"] = "50";
        var data = scenario.Freshchat.Data;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var first = scenario.Read(CaptureCatalogue.UsersTopic);
        Assert.Equal(data.EnumerateUsers().Select(u => (string)u["id"]!).Order(StringComparer.Ordinal), first.Select(r => r.Id).Order(StringComparer.Ordinal));

        var created = new[] { data.CreateUser("Ada", "One"), data.CreateUser("Bo", "Two") };
        scenario.Settings["Capture:ReconcileInterval"] = "01:00:00"; // the incremental created_from scan alone
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        var fresh = scenario.ReadNew(CaptureCatalogue.UsersTopic, first);
        Assert.Equal(created.Order(StringComparer.Ordinal), fresh.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    private static void AssertExactlyOnceInOrder(IEnumerable<string> expectedIds, IReadOnlyList<TopicRecord> records)
    {
        var ids = records.Select(r => r.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expectedIds.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        foreach (var conversation in records.GroupBy(r => (string)r.Key["conversation_id"]))
        {
            Assert.Single(conversation.Select(r => r.Partition).Distinct());
            var times = conversation.OrderBy(r => r.Offset).Select(r => (DateTime)r.Value!["created_time"]).ToList();
            Assert.Equal(times.Order(), times);
        }
    }
}
