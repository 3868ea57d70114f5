using System.Text.Json.Nodes;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// Conversations and messages end to end: discovery through users and the Conversation-Created report, the poll
/// schedule, newest-first message cursors, deletions, raw report failures and 429 storms.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConversationCaptureTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    private static readonly FreshchatEmulatorOptions Conversational = CaptureScenario.SmallAccount with
    {
        Users = 30, ConversationsPerUser = 1.0, MessagesPerConversation = 8,
    };

    private static async Task<CaptureScenario> StartAsync(CaptureStackFixture stack, FreshchatEmulatorOptions? options = null)
    {
        var scenario = await CaptureScenario.StartAsync(stack, (options ?? Conversational) with { Behaviour = new(), Faults = new() });
        scenario.Settings["Capture:PollInterval"] = "00:00:01";
        // The generated history is quiet (hours old), so a first-seen conversation would wait up to OpenMaxInterval
        // (ConversationSchedule.FirstSeen); the rounds below observe the very next cycle, so that is one poll interval.
        scenario.Settings["Capture:Conversations:OpenMaxInterval"] = "00:00:01";
        scenario.Settings["Capture:Reports:SettleDelay"] = "00:00:00";
        scenario.Settings["Capture:Reports:MinWindow"] = "00:00:00";
        scenario.Settings["Freshchat:RequestsPerMinute"] = "100000";
        return scenario;
    }

    [Fact]
    public async Task RunOnce_FirstRun_CapturesEveryConversationAndEveryMessageOnceInOrder()
    {
        await using var scenario = await StartAsync(stack);
        var data = scenario.Freshchat.Data;

        var result = await scenario.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 0, result.ToString());
        var truth = data.EnumerateConversationIds().ToList();
        Assert.NotEmpty(truth);
        var conversations = scenario.Read(CaptureCatalogue.ConversationsTopic);
        Assert.Equal(truth.Order(), conversations.Select(r => r.Id).Order());
        Assert.All(conversations, r => Assert.Equal("c", r.Op));
        Assert.All(conversations, r => Assert.True(JsonNode.DeepEquals(data.GetConversation(r.Id), r.Raw)));

        var messages = scenario.Read(CaptureCatalogue.MessagesTopic);
        var expected = truth.SelectMany(id => data.GetMessages(id)!).Select(m => (string)m["id"]!).ToList();
        Assert.Equal(expected.Order(), messages.Select(r => r.Id).Order());
        foreach (var conversation in messages.GroupBy(r => (string)r.Key["conversation_id"]))
        {
            Assert.Single(conversation.Select(r => r.Partition).Distinct());
            var times = conversation.OrderBy(r => r.Offset).Select(r => (DateTime)r.Value!["created_time"]).ToList();
            Assert.Equal(times.Order(), times);
        }
    }

    [Fact]
    public async Task RunOnce_MutationRound_CapturesExactlyTheChangesWithinTheRequestBound()
    {
        await using var scenario = await StartAsync(stack);
        var data = scenario.Freshchat.Data;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var before = (Conversations: scenario.Read(CaptureCatalogue.ConversationsTopic), Messages: scenario.Read(CaptureCatalogue.MessagesTopic));
        var conversationIds = data.EnumerateConversationIds().ToList();
        // Resolved conversations are re-polled on the slow cadence (Capture:Conversations:ResolvedInterval), so the
        // mutations that must show up in the very next cycle are made to open ones.
        var open = conversationIds.Where(id => (string?)data.GetConversation(id)!["status"] != "resolved").ToList();
        Assert.True(open.Count >= 9, $"the generated account has only {open.Count} open conversations");
        var users = data.EnumerateUsers().Select(u => (string)u["id"]!).ToList();

        var withNewMessages = open.Take(5).ToList();
        var newMessages = withNewMessages.Select(id => data.AddMessage(id, $"follow-up ✅ {id}")).ToList();
        var resolved = open.Skip(5).Take(3).ToList();
        resolved.ForEach(id => Assert.True(data.ResolveConversation(id)));
        var fresh = users.Take(2).Select(u => data.CreateConversation(u)).ToList();
        var freshMessage = data.AddMessage(fresh[0], "hello from a new conversation");
        var shared = open[8];
        Assert.True(data.AddUserToConversation(shared, users[^1]));
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // every conversation polled last cycle is due again
        var requestsBefore = scenario.Freshchat.Requests.Snapshot();

        var result = await scenario.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 0, result.ToString());
        var changedConversations = scenario.ReadNew(CaptureCatalogue.ConversationsTopic, before.Conversations);
        var expectedChanged = withNewMessages.Concat(resolved).Concat(fresh).Append(shared).Order().ToList();
        Assert.Equal(expectedChanged, changedConversations.Select(r => r.Id).Order());
        Assert.All(changedConversations.Where(r => fresh.Contains(r.Id)), r => Assert.Equal("c", r.Op));
        Assert.All(changedConversations.Where(r => !fresh.Contains(r.Id)), r => Assert.Equal("u", r.Op));
        var newMessageRecords = scenario.ReadNew(CaptureCatalogue.MessagesTopic, before.Messages).Select(r => r.Id).Order().ToList();
        Assert.Equal(newMessages.Append(freshMessage).Order(), newMessageRecords);

        // The bound: one GET per due conversation (every open one; resolved ones wait for their slow cadence) + one
        // messages page per conversation whose updated_time moved + the new conversations' first messages page +
        // 6 catalogue calls (account, roles, groups, channels, agents, outbound) + 3 users calls (probe,
        // created_from, updated_from) + the discovery report (POST, ≤ 2 polls, 1 download) + one messages probe per
        // polled conversation without updated_time (the documented minimal shape gives no sign of new messages; #17).
        var spent = Spent(requestsBefore, scenario.Freshchat.Requests.Snapshot());
        var minimal = open.Count(id => data.GetConversation(id)?["updated_time"] is null);
        var bound = (open.Count + fresh.Count) + (withNewMessages.Count + resolved.Count + fresh.Count + 1) + 6 + 3 + 4 + minimal;
        Assert.True(spent.Values.Sum() <= bound, $"{spent.Values.Sum()} requests > bound {bound}: {string.Join(", ", spent)}");
    }

    [Fact]
    public async Task RunOnce_MessagesAtTheSameMillisecond_EachCapturedOnce()
    {
        await using var scenario = await StartAsync(stack);
        var data = scenario.Freshchat.Data;
        var conversation = data.EnumerateConversationIds().First();
        var instant = DateTimeOffset.UtcNow.AddSeconds(-5);
        var first = data.AddMessage(conversation, "one", createdTime: instant);
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var before = scenario.Read(CaptureCatalogue.MessagesTopic);

        var second = data.AddMessage(conversation, "two", createdTime: instant);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        var all = scenario.Read(CaptureCatalogue.MessagesTopic);
        Assert.Equal(second, Assert.Single(scenario.ReadNew(CaptureCatalogue.MessagesTopic, before)).Id);
        Assert.Single(all, r => r.Id == first);
    }

    [Fact]
    public async Task RunOnce_ConversationOfADeletedUser_IsDeletedOnceAndNoLongerPolled()
    {
        await using var scenario = await StartAsync(stack);
        var data = scenario.Freshchat.Data;
        scenario.Freshchat.Behaviour.DeleteUserRemovesConversations = true;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var conversation = data.EnumerateConversationIds().First();
        var owner = (string)data.GetConversation(conversation)!["user_id"]!;
        var before = scenario.Read(CaptureCatalogue.ConversationsTopic);

        Assert.True(data.DeleteUser(owner));
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var pollsBefore = scenario.Freshchat.Requests.Get("GET /v2/conversations/{id}");
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        var deleted = scenario.ReadNew(CaptureCatalogue.ConversationsTopic, before).Where(r => r.Id == conversation).ToList();
        Assert.Equal(new string?[] { "d", null }, deleted.Select(r => r.Op));
        Assert.Single(scenario.Read(CaptureCatalogue.UsersTopic), r => r.Id == owner && r.Op == "d");
        Assert.True(scenario.Freshchat.Requests.Get("GET /v2/conversations/{id}") - pollsBefore < data.EnumerateConversationIds().Count() + 1);
    }

    [Fact]
    public async Task RunOnce_ReportJobFailsOnceThenSucceeds_RowsPublishedOnceAndNewConversationDiscovered()
    {
        await using var scenario = await StartAsync(stack);
        scenario.Settings["Capture:Reports:Events"] = "Conversation-Created";
        scenario.Settings["Capture:Reports:RetryBackoff"] = "00:00:01";
        var data = scenario.Freshchat.Data;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var rowsBefore = scenario.Read(CaptureCatalogue.ReportEventsTopic);
        var user = data.EnumerateUsers().Last();
        var created = data.CreateConversation((string)user["id"]!);

        scenario.Freshchat.Faults.FailNextReportJobs = 1;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var status = await scenario.RunAsync("status");
        Assert.Contains("FAILED 1x", status.Output);
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        var rows = scenario.ReadNew(CaptureCatalogue.ReportEventsTopic, rowsBefore);
        // Matched by value: the conversation id column's name is an emulator reading (EmulatorBehaviour.ReportConversationIdHeader).
        var row = Assert.Single(rows, r => r.Raw?["row"]?.AsObject().Any(c => c.Value?.GetValueKind() == System.Text.Json.JsonValueKind.String
            && c.Value.GetValue<string>() == created) == true);
        Assert.Equal("Conversation-Created", row.Column<string>("event"));
        Assert.Single(scenario.Read(CaptureCatalogue.ConversationsTopic), r => r.Id == created);
    }

    [Fact]
    public async Task RunOnce_TooManyRequestsWhileReadingMessages_CapturesEverythingWithoutDuplicates()
    {
        await using var scenario = await StartAsync(stack);
        scenario.Freshchat.Faults.RetryAfterSeconds = 1;
        scenario.Freshchat.Faults.Enqueue(FaultKind.TooManyRequests, "/messages", count: 4);

        var result = await scenario.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 0, result.ToString());
        var data = scenario.Freshchat.Data;
        var expected = data.EnumerateConversationIds().SelectMany(id => data.GetMessages(id)!).Select(m => (string)m["id"]!).Order().ToList();
        Assert.Equal(expected, scenario.Read(CaptureCatalogue.MessagesTopic).Select(r => r.Id).Order());
        Assert.True(scenario.Freshchat.Requests.Throttled >= 4);
    }

    [Fact]
    public async Task Snapshot_ConversationsAndMessages_ReemitsEverythingAsReadWithTheSameIds()
    {
        await using var scenario = await StartAsync(stack);
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var conversations = scenario.Read(CaptureCatalogue.ConversationsTopic);
        var messages = scenario.Read(CaptureCatalogue.MessagesTopic);

        var result = await scenario.RunAsync("snapshot", "--resources", "conversations,messages");

        Assert.True(result.ExitCode == 0, result.ToString());
        var snapshotConversations = scenario.ReadNew(CaptureCatalogue.ConversationsTopic, conversations);
        var snapshotMessages = scenario.ReadNew(CaptureCatalogue.MessagesTopic, messages);
        Assert.All(snapshotConversations.Concat(snapshotMessages), r => Assert.Equal("r", r.Op));
        Assert.Equal(conversations.Select(r => r.EventId).Order(), snapshotConversations.Select(r => r.EventId).Order());
        Assert.Equal(messages.Select(r => r.EventId).Order(), snapshotMessages.Select(r => r.EventId).Order());
    }

    private static Dictionary<string, long> Spent(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Select(p => (p.Key, Count: p.Value - before.GetValueOrDefault(p.Key))).Where(p => p.Count > 0).ToDictionary(p => p.Key, p => p.Count);
}
