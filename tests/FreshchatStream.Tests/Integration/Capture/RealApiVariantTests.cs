using System.Text;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// Issue #17 part B end to end (design §9 "Real-API variants"): a 403 disables only what needs its endpoint,
/// poison listing items go to the dead-letter topic without stalling anything, an unfiltered 404 is an error and
/// never deletions, a mass disappearance waits for a second agreeing listing, raw report links are honoured one by
/// one and the conversation id column is found whatever its spelling.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#17")]
[LongRunning]
public sealed class RealApiVariantTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    private static readonly FreshchatEmulatorOptions Conversational = CaptureScenario.SmallAccount with
    {
        Users = 20, ConversationsPerUser = 1.0, MessagesPerConversation = 4,
    };

    private static async Task<CaptureScenario> StartAsync(CaptureStackFixture stack, FreshchatEmulatorOptions? options = null)
    {
        var scenario = await CaptureScenario.StartAsync(stack, (options ?? Conversational) with { Behaviour = new(), Faults = new() });
        scenario.Settings["Capture:PollInterval"] = "00:00:01";
        scenario.Settings["Capture:Reports:SettleDelay"] = "00:00:00";
        scenario.Settings["Capture:Reports:MinWindow"] = "00:00:00";
        return scenario;
    }

    [Fact]
    public async Task RunOnce_ReportsForbiddenAndIdLessUser_ExitsZeroWithEverythingElseCaptured()
    {
        await using var scenario = await StartAsync(stack);
        scenario.Settings["Capture:Reports:Events"] = "Conversation-Created";
        scenario.Freshchat.Behaviour.ForbiddenScopes = "reports:extract";
        scenario.Freshchat.Behaviour.PoisonItems = "missing_id";
        var data = scenario.Freshchat.Data;

        var result = await scenario.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(data.EnumerateUsers().Select(u => (string)u["id"]!).Order(), scenario.Read(CaptureCatalogue.UsersTopic).Select(r => r.Id).Order());
        // Report discovery is forbidden: every conversation is still found through users' conversation lists.
        Assert.Equal(data.EnumerateConversationIds().Order(), scenario.Read(CaptureCatalogue.ConversationsTopic).Select(r => r.Id).Order());
        Assert.Equal(data.GetGroups().Count, scenario.Read(CaptureCatalogue.GroupsTopic).Count);
        Assert.Equal(data.GetAgents().Count, scenario.Read(CaptureCatalogue.AgentsTopic).Count);
        Assert.Empty(scenario.Read(CaptureCatalogue.ReportEventsTopic));
        var deadLetter = Assert.Single(scenario.ReadRaw(scenario.Topics.DeadLetter));
        Assert.Equal("missing_id", Header(deadLetter, DeadLetterPublisher.KindHeader));
        Assert.Contains("Poison", Encoding.UTF8.GetString(deadLetter.Value!));

        var status = await scenario.RunAsync("status");
        Assert.Matches(@"report_events\s.*forbidden: 403 on POST /v2/reports/raw \(likely scope reports:extract\)", status.Output);
        Assert.Contains("endpoint forbidden (403): POST /v2/reports/raw, likely scope reports:extract", status.Output);
        Assert.Contains("dead letters: 1", status.Output);

        // The scope granted: the next cycle (Capture:ReconcileInterval is 0 here) reads the report again.
        scenario.Freshchat.Behaviour.ForbiddenScopes = "";
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        Assert.DoesNotContain("endpoint forbidden", (await scenario.RunAsync("status")).Output);
    }

    [Fact]
    public async Task RunOnce_EveryEndpointForbidden_ExitsThreeWithOneLine()
    {
        await using var scenario = await StartAsync(stack);
        scenario.Freshchat.Behaviour.ForbiddenScopes = "*";

        var result = await scenario.RunAsync("run", "--once");

        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains("403 on every endpoint", line);
        Assert.Contains("Freshchat:BaseUrl", line);
    }

    [Fact]
    public async Task RunOnce_RolesAndOutboundForbidden_SkipsOnlyThoseAndRetriesAtReconcileInterval()
    {
        await using var scenario = await StartAsync(stack);
        scenario.Settings["Capture:ReconcileInterval"] = "01:00:00";
        scenario.Freshchat.Behaviour.ForbiddenScopes = "role:read,outboundmessage:get";

        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var rolesCalls = scenario.Freshchat.Requests.Get("GET /v2/roles");
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        Assert.Empty(scenario.Read(CaptureCatalogue.RolesTopic));
        Assert.Equal(scenario.Freshchat.Data.GetGroups().Count, scenario.Read(CaptureCatalogue.GroupsTopic).Count);
        Assert.Equal(rolesCalls, scenario.Freshchat.Requests.Get("GET /v2/roles")); // not asked again before the interval
        var status = (await scenario.RunAsync("status")).Output;
        Assert.Contains("endpoint forbidden (403): GET /v2/roles, likely scope role:read", status);
        Assert.Contains("endpoint forbidden (403): GET /v2/outbound-messages, likely scope outboundmessage:get", status);
    }

    [Theory]
    [InlineData("users", "not_object,missing_id,unconvertible,oversized", 4)]
    [InlineData("groups", "not_object,missing_id", 2)]
    public async Task RunOnce_SamePoisonItemsInTwoConsecutiveCycles_BothSucceedAndEachIsDeadLetteredOnce(string listing, string kinds, int expected)
    {
        await using var scenario = await StartAsync(stack, CaptureScenario.SmallAccount);
        scenario.Freshchat.Behaviour.PoisonListing = listing;
        scenario.Freshchat.Behaviour.PoisonItems = kinds;
        var data = scenario.Freshchat.Data;

        var first = await scenario.RunAsync("run", "--once");
        var second = await scenario.RunAsync("run", "--once");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        var deadLetters = scenario.ReadRaw(scenario.Topics.DeadLetter);
        Assert.Equal(expected, deadLetters.Count);
        Assert.Equal(kinds.Split(',').Select(k => k == "oversized" ? "too_large" : k).Order(), deadLetters.Select(d => Header(d, DeadLetterPublisher.KindHeader)).Order());
        Assert.All(deadLetters, d => Assert.Equal($"{scenario.Prefix}.{listing}", Header(d, DeadLetterPublisher.TopicHeader)));
        if (deadLetters.SingleOrDefault(d => Header(d, DeadLetterPublisher.KindHeader) == "too_large") is { } tooLarge)
        {
            // Key and reason, not the 1.1 MB payload.
            Assert.True(tooLarge.Value!.Length < 1000);
            Assert.Contains("message.max.bytes", Header(tooLarge, DeadLetterPublisher.ReasonHeader));
            Assert.Contains("poison-oversized-users", Encoding.UTF8.GetString(tooLarge.Key!));
        }

        var published = listing == "users" ? scenario.Read(CaptureCatalogue.UsersTopic) : scenario.Read(CaptureCatalogue.GroupsTopic);
        var truth = listing == "users" ? data.EnumerateUsers().ToList() : data.GetGroups();
        Assert.Equal(truth.Select(u => (string)u["id"]!).Order(), published.Select(r => r.Id).Distinct().Order());
        Assert.Equal(truth.Count, published.Count); // each real entity once: nothing repeated after the poison items
        Assert.Contains($"dead letters: {expected}", (await scenario.RunAsync("status")).Output);
    }

    [Fact]
    public async Task RunOnce_ConversationAnsweredAsANonObject_DeadLetteredOnceWhileEveryOtherConversationIsCaptured()
    {
        await using var scenario = await StartAsync(stack);
        scenario.Settings["Capture:ReconcileInterval"] = "01:00:00";
        var data = scenario.Freshchat.Data;
        var poisoned = data.EnumerateConversationIds().Order(StringComparer.Ordinal).First();
        scenario.Freshchat.Behaviour.NonObjectConversations = poisoned;

        var first = await scenario.RunAsync("run", "--once");
        var second = await scenario.RunAsync("run", "--once");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(data.EnumerateConversationIds().Where(id => id != poisoned).Order(),
            scenario.Read(CaptureCatalogue.ConversationsTopic).Select(r => r.Id).Distinct().Order());
        // Once: the second cycle does not ask for it again before Capture:ReconcileInterval.
        var deadLetter = Assert.Single(scenario.ReadRaw(scenario.Topics.DeadLetter));
        Assert.Equal($"{scenario.Prefix}.conversations", Header(deadLetter, DeadLetterPublisher.TopicHeader));
        Assert.Equal("not_object", Header(deadLetter, DeadLetterPublisher.KindHeader));
        Assert.Contains("conversation", Encoding.UTF8.GetString(deadLetter.Value!));
    }

    [Fact]
    public async Task RunOnce_UnfilteredListsAnswer404_NoDeleteEventsAndTheResourcesFailUntilTheyAnswer()
    {
        await using var scenario = await StartAsync(stack, CaptureScenario.SmallAccount);
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var before = scenario.ReadAll();

        scenario.Freshchat.Behaviour.CatalogueListsAs404 = true;
        var result = await scenario.RunAsync("run", "--once");

        // An error for those resources (run --once reports a failed pass), never an empty listing.
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("404", result.Error);
        foreach (var resource in new[] { CaptureCatalogue.GroupsTopic, CaptureCatalogue.ChannelsTopic, CaptureCatalogue.RolesTopic, CaptureCatalogue.AgentsTopic })
        {
            Assert.Empty(scenario.ReadNew(resource, before[resource]));
        }

        Assert.Matches(@"groups\s.*failing \(1x\): .*404", (await scenario.RunAsync("status")).Output);
        scenario.Freshchat.Behaviour.CatalogueListsAs404 = false;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        Assert.Empty(scenario.ReadNew(CaptureCatalogue.GroupsTopic, before[CaptureCatalogue.GroupsTopic]));
        Assert.DoesNotContain("failing", (await scenario.RunAsync("status")).Output);
    }

    [Fact]
    public async Task RunOnce_MostGroupsDisappear_DeletionWaitsForASecondAgreeingListingAPollIntervalLater()
    {
        await using var scenario = await StartAsync(stack, CaptureScenario.SmallAccount with { Groups = 4 });
        scenario.Settings["Capture:PollInterval"] = "00:00:02";
        var data = scenario.Freshchat.Data;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var before = scenario.Read(CaptureCatalogue.GroupsTopic);
        var gone = data.GetGroups().Take(3).Select(g => (string)g["id"]!).ToList();
        gone.ForEach(id => Assert.True(data.DeleteGroup(id)));

        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode); // agrees, but not yet a poll interval later
        Assert.Empty(scenario.ReadNew(CaptureCatalogue.GroupsTopic, before));
        Assert.Contains("groups: 3 deletion(s) held since", (await scenario.RunAsync("status")).Output);

        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        var deleted = scenario.ReadNew(CaptureCatalogue.GroupsTopic, before);
        Assert.Equal(gone.Order(), deleted.Where(r => r.Op == "d").Select(r => r.Id).Order());
        Assert.Equal(3, deleted.Count(r => r.IsTombstone));
        Assert.DoesNotContain("deletion(s) held", (await scenario.RunAsync("status")).Output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunOnce_CompletedJobWithAPendingLink_WindowNotCommittedUntilTheLinkCompletes(bool linkFailsFirst)
    {
        await using var scenario = await StartAsync(stack);
        scenario.Settings["Capture:Reports:Events"] = "Conversation-Created";
        scenario.Settings["Capture:Reports:PollTimeout"] = "00:00:01";
        scenario.Settings["Capture:Reports:RetryBackoff"] = "00:00:01";
        var data = scenario.Freshchat.Data;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var rowsBefore = scenario.Read(CaptureCatalogue.ReportEventsTopic);
        var created = data.CreateConversation((string)data.EnumerateUsers().First()["id"]!);

        if (linkFailsFirst)
        {
            scenario.Freshchat.Behaviour.ReportLinkFails = true;
        }
        else
        {
            scenario.Freshchat.Behaviour.ReportLinkPendingPolls = 1000;
        }

        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        Assert.Empty(scenario.ReadNew(CaptureCatalogue.ReportEventsTopic, rowsBefore));
        Assert.DoesNotContain(scenario.Read(CaptureCatalogue.ConversationsTopic), r => r.Id == created);
        if (linkFailsFirst)
        {
            Assert.Contains("FAILED 1x", (await scenario.RunAsync("status")).Output);
        }

        scenario.Freshchat.Behaviour.ReportLinkFails = false;
        scenario.Freshchat.Behaviour.ReportLinkPendingPolls = 0;
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        var rows = scenario.ReadNew(CaptureCatalogue.ReportEventsTopic, rowsBefore);
        Assert.Single(rows, r => r.Raw?["row"]?.AsObject().Any(c => c.Value?.GetValueKind() == System.Text.Json.JsonValueKind.String
            && c.Value.GetValue<string>() == created) == true);
        Assert.Single(scenario.Read(CaptureCatalogue.ConversationsTopic), r => r.Id == created);
    }

    [Theory]
    [InlineData("conversation_id")]
    [InlineData("Conversation ID")]
    [InlineData("conversationId")]
    [InlineData("CONVERSATION-ID")]
    public async Task RunOnce_ReportHeaderVariant_DiscoversTheNewConversation(string header)
    {
        await using var scenario = await StartAsync(stack);
        scenario.Freshchat.Behaviour.ReportConversationIdHeader = header;
        var data = scenario.Freshchat.Data;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        // The user does not change, so only the Conversation-Created report can reveal the conversation.
        var created = data.CreateConversation((string)data.EnumerateUsers().Last()["id"]!);

        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        Assert.Single(scenario.Read(CaptureCatalogue.ConversationsTopic), r => r.Id == created);
        Assert.DoesNotContain("discovery report unusable", (await scenario.RunAsync("status")).Output);
    }

    [Fact]
    public async Task RunOnce_ReportRowsWithoutConversationIds_WarnsAndFallsBackToUsersConversationLists()
    {
        await using var scenario = await StartAsync(stack);
        scenario.Freshchat.Behaviour.ReportConversationIdHeader = "Chat Reference";
        var data = scenario.Freshchat.Data;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var user = (string)data.EnumerateUsers().Last()["id"]!;
        var created = data.CreateConversation(user);
        Assert.True(data.UpdateUser(user, firstName: "Changed"));

        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        Assert.Single(scenario.Read(CaptureCatalogue.ConversationsTopic), r => r.Id == created);
        Assert.Contains("conversation discovery report unusable (Conversation-Created rows carry no conversation id", (await scenario.RunAsync("status")).Output);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task Check_RealAccountReadings_PrintsWhatItDetectedAndKeepsExitZero(bool honourUpdatedFrom, bool otherPagingAndHeaders)
    {
        await using var scenario = await StartAsync(stack);
        var behaviour = scenario.Freshchat.Behaviour;
        behaviour.HonourUpdatedFilters = honourUpdatedFrom;
        behaviour.PageSizeOverflow = otherPagingAndHeaders ? PageSizeOverflow.Reject : PageSizeOverflow.Clamp;
        behaviour.SendRateLimitHeaders = !otherPagingAndHeaders;
        behaviour.ForbiddenScopes = "reports:extract,role:read";
        scenario.Freshchat.Faults.RateLimitPerMinute = 100_000;

        var result = await scenario.RunAsync("check");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("readings detected on this Freshchat account:", result.Output);
        Assert.Matches(honourUpdatedFrom ? @"updated_from on /users\s+honoured" : @"updated_from on /users\s+ignored", result.Output);
        Assert.Matches(otherPagingAndHeaders ? @"page cap\s+items_per_page=100 rejected \(400\)" : @"page cap\s+items_per_page=100 clamped to 50", result.Output);
        Assert.Matches(@"from_time on messages\s+(inclusive|exclusive) \(", result.Output);
        Assert.Matches(@"endpoints answering 403\s+GET /v2/roles \(likely scope role:read\), GET /v2/reports/raw/\{id\} \(likely scope reports:extract\)", result.Output);
        Assert.Matches(otherPagingAndHeaders ? @"rate-limit headers\s+none seen" : @"rate-limit headers\s+.*X-RateLimit-Limit=100000", result.Output);
    }

    [Fact]
    public async Task Check_AccountConfigurationForbiddenOnly_IsReachable_EverythingForbidden_ExitsThree()
    {
        await using var scenario = await StartAsync(stack);
        scenario.Freshchat.Behaviour.ForbiddenScopes = "account:read";
        var partly = await scenario.RunAsync("check");
        scenario.Freshchat.Behaviour.ForbiddenScopes = "*";
        var wholly = await scenario.RunAsync("check");

        Assert.True(partly.ExitCode == 0, partly.ToString());
        Assert.Contains("ok   Freshchat: reachable; 403 on GET /v2/accounts/configuration (likely scope account:read)", partly.Output);
        Assert.Equal(3, wholly.ExitCode);
        Assert.Contains("FAIL Freshchat", wholly.Output);
    }

    private static string Header(Confluent.Kafka.Message<byte[]?, byte[]?> message, string name) =>
        message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";
}
