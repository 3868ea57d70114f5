using System.Text.Json.Nodes;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Freshchat;

/// <summary>Every read endpoint against the emulator over HTTP, with its paging and both readings of each unconfirmed behaviour.</summary>
[Trait("Category", "Integration")]
public sealed class FreshchatClientEndpointTests
{
    private static readonly DateTimeOffset Beginning = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static bool Same(JsonObject truth, FreshchatRecord record) => JsonNode.DeepEquals(truth, JsonNode.Parse(record.Json.GetRawText()));

    [Fact]
    public async Task ListUsers_AllPages_EqualTheAccountAndStopAfterTheLastPage()
    {
        await using var harness = await ClientHarness.StartAsync();
        var before = harness.Emulator.Requests.Snapshot();

        var users = await harness.Client.ListUsersAsync(new UserQuery { CreatedFrom = Beginning }).ToListAsync();

        var truth = harness.Emulator.Data.EnumerateUsers().ToList();
        Assert.Equal(truth.Count, users.Count);
        Assert.Equal(truth.Select(u => (string)u["id"]!).Order(), users.Select(u => u.Id).Order());
        Assert.All(users, u => Assert.True(Same(harness.Emulator.Data.GetUser(u.Id)!, u)));
        // 120 users at the emulator's cap of 50 per page (100 asked, clamped): exactly 3 requests, none past the end
        Assert.Equal(3, harness.Since(before)["GET /v2/users"]);
    }

    [Fact]
    public async Task ListUsers_PageSizeRejected_FallsBackToFiftyOnceAndReadsEverything()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Behaviour.PageSizeOverflow = PageSizeOverflow.Reject;
        var before = harness.Emulator.Requests.Snapshot();

        var users = await harness.Client.ListUsersAsync(new UserQuery { CreatedFrom = Beginning }).ToListAsync();
        var again = await harness.Client.ListUsersAsync(new UserQuery { CreatedFrom = Beginning }).ToListAsync();

        Assert.Equal(120, users.Count);
        Assert.Equal(120, again.Count);
        Assert.Equal(1 + 3 + 3, harness.Since(before)["GET /v2/users"]); // one rejected first page, then 50 per page
        Assert.Contains(harness.Logs.GetSnapshot(), l => l.Message.Contains("rejected items_per_page=100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListUsers_OnlyTheNextPageLink_StillStopsAtTheEnd()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Behaviour.OnlyNextPageLink = true;

        var users = await harness.Client.ListUsersAsync(new UserQuery { CreatedFrom = Beginning }).ToListAsync();

        Assert.Equal(120, users.Count);
    }

    [Fact]
    public async Task ListUsers_WithoutAFilter_IsRefusedBeforeAnyRequest()
    {
        await using var harness = await ClientHarness.StartAsync();

        Assert.Throws<ArgumentException>(() => harness.Client.ListUsersAsync(new UserQuery()));
        Assert.Equal(0, harness.Emulator.Requests.Total);
    }

    [Fact]
    public async Task ListUsers_EmailAndReferenceIdFilters_FindTheUser()
    {
        await using var harness = await ClientHarness.StartAsync();
        var id = harness.Emulator.Data.CreateUser("Filter", "Me", "filter.me@example.com", referenceId: "ext-42");

        var byEmail = await harness.Client.ListUsersAsync(new UserQuery { Email = "filter.me@example.com" }).ToListAsync();
        var byReference = await harness.Client.ListUsersAsync(new UserQuery { ReferenceId = "ext-42" }).ToListAsync();

        Assert.Equal(id, Assert.Single(byEmail).Id);
        Assert.Equal(id, Assert.Single(byReference).Id);
    }

    [Theory]
    [InlineData(true, UpdatedFilterSupport.Honoured)]
    [InlineData(false, UpdatedFilterSupport.Ignored)]
    public async Task ProbeUpdatedFilter_BothReadings_AreDetected(bool honoured, UpdatedFilterSupport expected)
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Behaviour.HonourUpdatedFilters = honoured;

        Assert.Equal(expected, await harness.Client.ProbeUpdatedFilterAsync());
        Assert.Equal(1, harness.Emulator.Requests.Total);
        Assert.Contains(harness.Logs.GetSnapshot(), l => l.Message.Contains("updated_from", StringComparison.Ordinal) && l.Message.Contains(expected.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListUsers_FilterMatchingNothing_EndsOnTheEmptyFirstPage()
    {
        await using var harness = await ClientHarness.StartAsync();

        var users = await harness.Client.ListUsersAsync(new UserQuery { CreatedFrom = DateTimeOffset.UtcNow.AddYears(5) }).ToListAsync();

        Assert.Empty(users);
        Assert.Equal(1, harness.Emulator.Requests.Get("GET /v2/users"));
    }

    [Fact]
    public async Task UserConversationsAndConversation_ByIdAndMissing()
    {
        await using var harness = await ClientHarness.StartAsync();
        var data = harness.Emulator.Data;
        var conversationId = data.EnumerateConversationIds().First();
        var owner = (string)data.GetConversation(conversationId)!["user_id"]!;

        var user = await harness.Client.GetUserAsync(owner);
        var ids = await harness.Client.GetUserConversationIdsAsync(owner);
        var conversation = await harness.Client.GetConversationAsync(conversationId);

        Assert.True(Same(data.GetUser(owner)!, user!));
        Assert.Contains(conversationId, ids!);
        Assert.Equal(data.GetUserConversationIds(owner)!.Order(), ids!.Order());
        Assert.True(Same(data.GetConversation(conversationId)!, conversation!));
        Assert.Null(await harness.Client.GetUserAsync("no-such-user"));
        Assert.Null(await harness.Client.GetUserConversationIdsAsync("no-such-user"));
        Assert.Null(await harness.Client.GetConversationAsync("no-such-conversation"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ListMessages_AllPagesNewestFirst_BothLinkStyles(bool pageByNumber)
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Behaviour.MessagesPageByNumber = pageByNumber;
        var data = harness.Emulator.Data;
        var conversationId = data.EnumerateConversationIds().OrderByDescending(id => data.GetMessages(id)!.Count).First();
        var truth = data.GetMessages(conversationId)!;
        Assert.True(truth.Count > 50, "the test needs a conversation longer than one page");

        var messages = await harness.Client.ListMessagesAsync(conversationId).ToListAsync();

        Assert.Equal(truth.Count, messages.Count);
        Assert.Equal(truth.Select(m => (string)m["id"]!).Order(), messages.Select(m => m.Id).Order());
        var times = messages.Select(m => m.CreatedTime!.Value).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task ListMessages_QuietConversationWithABoundary_CostsOneRequestAndYieldsNothing()
    {
        await using var harness = await ClientHarness.StartAsync();
        var data = harness.Emulator.Data;
        var conversationId = data.EnumerateConversationIds().OrderByDescending(id => data.GetMessages(id)!.Count).First();
        var newest = (await harness.Client.ListMessagesAsync(conversationId).ToListAsync()).MaxBy(m => m.CreatedTime)!;
        var before = harness.Emulator.Requests.Snapshot();

        var none = await harness.Client.ListMessagesAsync(conversationId, new MessageBoundary(newest.CreatedTime!.Value, new HashSet<string> { newest.Id })).ToListAsync();
        var added = data.AddMessage(conversationId, "new one");
        var one = await harness.Client.ListMessagesAsync(conversationId, new MessageBoundary(newest.CreatedTime!.Value, new HashSet<string> { newest.Id })).ToListAsync();

        Assert.Empty(none);
        Assert.Equal(added, Assert.Single(one).Id);
        Assert.Equal(2, harness.Since(before)["GET /v2/conversations/{id}/messages"]);
    }

    [Fact]
    public async Task Agents_ListFiltersByIdAndStatuses()
    {
        await using var harness = await ClientHarness.StartAsync();
        var data = harness.Emulator.Data;

        var all = await harness.Client.ListAgentsAsync().ToListAsync();
        var available = await harness.Client.ListAgentsAsync(new AgentQuery { AvailabilityStatus = "AVAILABLE" }).ToListAsync();
        var one = await harness.Client.GetAgentAsync(all[0].Id);
        var statuses = await harness.Client.GetAgentStatusesAsync();

        Assert.Equal(data.GetAgents().Select(a => (string)a["id"]!).Order(), all.Select(a => a.Id).Order());
        Assert.All(available, a => Assert.Equal("AVAILABLE", a.AvailabilityStatus));
        Assert.Equal(data.GetAgents().Count(a => (string?)a["availability_status"] == "AVAILABLE"), available.Count);
        Assert.True(Same(data.GetAgent(all[0].Id)!, one!));
        Assert.Null(await harness.Client.GetAgentAsync("no-such-agent"));
        Assert.Equal(data.GetAgentStatuses().Count, statuses!.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Agents_FilterMatchingNothing_IsEmptyWhetherTheServerSaysEmptyOr404(bool emptyAs404)
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Behaviour.EmptyAgentListAs404 = emptyAs404;

        var none = await harness.Client.ListAgentsAsync(new AgentQuery { GroupId = "no-such-group" }).ToListAsync();

        Assert.Empty(none);
    }

    [Fact]
    [Trait("Issue", "#17")]
    public async Task Catalogues_UnfilteredListAnswers404_IsAnErrorNeverAnEmptyList()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Behaviour.CatalogueListsAs404 = true;
        var client = harness.Client;

        foreach (var list in new Func<Task>[]
                 {
                     () => client.ListGroupsAsync().ToListAsync().AsTask(), () => client.ListChannelsAsync().ToListAsync().AsTask(),
                     () => client.ListRolesAsync().ToListAsync().AsTask(), () => client.ListAgentsAsync().ToListAsync().AsTask(),
                 })
        {
            var error = await Assert.ThrowsAsync<FreshchatRequestException>(list);
            Assert.Equal(404, error.StatusCode);
            Assert.Contains("never as an empty list", error.Message);
        }
    }

    [Fact]
    public async Task Catalogues_GroupsChannelsRolesAndConversationFields_EqualTheAccount()
    {
        await using var harness = await ClientHarness.StartAsync();
        var data = harness.Emulator.Data;

        var groups = await harness.Client.ListGroupsAsync().ToListAsync();
        var channels = await harness.Client.ListChannelsAsync().ToListAsync();
        var roles = await harness.Client.ListRolesAsync().ToListAsync();
        var fields = await harness.Client.GetConversationFieldsAsync();

        Assert.Equal(data.GetGroups().Count, groups.Count);
        Assert.All(groups, g => Assert.True(Same(data.GetGroup(g.Id)!, g)));
        Assert.Equal(data.GetChannels().Count, channels.Count);
        Assert.All(channels, c => Assert.True(Same(data.GetChannel(c.Id)!, c)));
        Assert.Equal(data.GetRoles().Count, roles.Count);
        Assert.Equal(data.GetConversationFields().Count, fields.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AccountConfiguration_BareOrWrapped_IsTheSameObject(bool wrapped)
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Behaviour.WrapAccountConfiguration = wrapped;

        var configuration = await harness.Client.GetAccountConfigurationAsync();

        Assert.True(Same(harness.Emulator.Data.GetAccountConfiguration(), configuration));
    }

    [Fact]
    public async Task OutboundMessages_RequestIdRequired_IsOneClearTypedError()
    {
        await using var harness = await ClientHarness.StartAsync();

        var error = await Assert.ThrowsAsync<FreshchatRequestIdRequiredException>(async () => await harness.Client.ListOutboundMessagesAsync().ToListAsync());

        Assert.Contains("request_id", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task OutboundMessages_ListableWithoutRequestId_AreRead()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Behaviour.OutboundMessagesRequireRequestId = false;

        var messages = await harness.Client.ListOutboundMessagesAsync().ToListAsync();

        Assert.All(messages, m => Assert.NotNull(m.MessageId));
    }

    [Theory]
    [InlineData(200, 0)]
    [InlineData(202, 2)]
    public async Task RawReports_CreatePollAndStreamRows(int createdStatus, int pendingPolls)
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Behaviour.ReportCreatedStatusCode = createdStatus;
        harness.Emulator.Behaviour.ReportPendingPolls = pendingPolls;
        var data = harness.Emulator.Data;
        var fresh = Enumerable.Range(0, 3).Select(_ => data.CreateConversation((string)data.EnumerateUsers().First()["id"]!)).ToList();
        var now = DateTimeOffset.UtcNow;

        var job = await harness.Client.CreateRawReportAsync(new RawReportRequest("Conversation-Created", now.AddHours(-1), now.AddMinutes(1)));
        var polls = 0;
        while (!job.IsCompleted && polls++ < 10)
        {
            job = await harness.Client.GetRawReportAsync(job.Id);
        }

        var rows = await harness.Client.ReadRawReportRowsAsync(job).ToListAsync();

        Assert.True(job.IsCompleted);
        Assert.Equal(pendingPolls + 1, polls);
        Assert.NotNull(job.Interval);
        Assert.True(job.Interval.End > job.Interval.Start);
        var conversationIds = rows.Select(r => r.Columns.First(c => c.Key == "conversation_id").Value).ToList();
        Assert.Equal(fresh.Order(), conversationIds.Order());
        Assert.All(rows, r => Assert.Equal("conversation_id", r.Columns[0].Key));
    }

    [Fact]
    public async Task RawReports_FailedJob_IsReportedAsFailed()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Faults.FailNextReportJobs = 1;
        var now = DateTimeOffset.UtcNow;

        var job = await harness.Client.CreateRawReportAsync(new RawReportRequest("Conversation-Created", now.AddHours(-1), now));
        for (var i = 0; i < 5 && !job.IsFailed && !job.IsCompleted; i++)
        {
            job = await harness.Client.GetRawReportAsync(job.Id);
        }

        Assert.True(job.IsFailed);
    }

    [Fact]
    public async Task ListUsers_MalformedPage_SurfacesAsAClearErrorNamingTheEndpoint()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Faults.Enqueue(FaultKind.MalformedJson, "/v2/users", count: 1);

        var error = await Assert.ThrowsAsync<FreshchatResponseException>(async () =>
            await harness.Client.ListUsersAsync(new UserQuery { CreatedFrom = Beginning }).ToListAsync());

        Assert.Contains("GET /v2/users", error.Message);
        Assert.Contains("malformed JSON", error.Message);
    }

    [Fact]
    public async Task AnyCall_WrongHostAnsweringHtml_IsAConfigurationErrorNamingTheBaseUrl()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Behaviour.WrongHostHtml = true;

        var error = await Assert.ThrowsAsync<FreshchatConfigurationException>(() => harness.Client.GetAccountConfigurationAsync());

        Assert.Contains("Freshchat:BaseUrl", error.Message);
    }
}
