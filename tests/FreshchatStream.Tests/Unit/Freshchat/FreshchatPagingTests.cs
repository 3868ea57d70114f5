using System.Net;
using FreshchatStream.Producer.Freshchat.Models;

namespace FreshchatStream.Tests.Unit.Freshchat;

/// <summary>Each documented stop rule on its own (the emulator always emits all three together), counted in requests.</summary>
public sealed class FreshchatPagingTests
{
    private static HttpResponseMessage Page(string json) => ScriptedFreshchat.Json(HttpStatusCode.OK, json);

    /// <summary>A page numbered <paramref name="call"/>: <c>@N</c> becomes its number, <c>@NEXT</c> the next one.</summary>
    private static HttpResponseMessage Page(string json, int call) =>
        Page(json.Replace("@NEXT", (call + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@N", call.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

    [Fact]
    public async Task ListRoles_NextLinkOnTheLastPageNumber_StopsWithoutAnotherRequest()
    {
        using var freshchat = new ScriptedFreshchat((_, call) => Page(
            """{"roles":[{"id":"r@N"}],"pagination":{"current_page":@N,"total_pages":2},"links":{"next_page":{"href":"/v2/roles?page=@NEXT"}}}""", call));

        var roles = await freshchat.Client.ListRolesAsync().Select(r => r.Id).ToListAsync();

        Assert.Equal(["r1", "r2"], roles);
        Assert.Equal(2, freshchat.Handler.Calls);
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task FirstPages_QueuedBehindThePageSizeProbe_GoTogetherOnceItSettled()
    {
        // items_per_page 100 is unconfirmed, so the first listing probes it alone; the two queued behind it must then
        // be in flight together (each answer waits up to 5 s for the other), not one after the other.
        var (inFlight, maxInFlight) = (0, 0);
        using var freshchat = new ScriptedFreshchat((request, call) =>
        {
            if (call == 1)
            {
                Thread.Sleep(300); // the probe: long enough for the other listings to queue behind it
                return Page("""{"roles":[{"id":"r1"}],"pagination":{"current_page":1,"total_pages":1,"items_per_page":100}}""");
            }

            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            SpinWait.SpinUntil(() => Volatile.Read(ref maxInFlight) >= 2, TimeSpan.FromSeconds(5));
            Interlocked.Decrement(ref inFlight);
            return Page(request.RequestUri!.AbsolutePath.EndsWith("/groups", StringComparison.Ordinal)
                ? """{"groups":[{"id":"g1"}],"pagination":{"current_page":1,"total_pages":1}}"""
                : """{"channels":[{"id":"c1"}],"pagination":{"current_page":1,"total_pages":1}}""");
        }, ("Freshchat:ItemsPerPage", "100"));

        // Each on its own thread: the scripted handler answers synchronously, so a caller's thread is held by its answer.
        var roles = Task.Run(async () => await freshchat.Client.ListRolesAsync().ToListAsync());
        var groups = Task.Run(async () => await freshchat.Client.ListGroupsAsync().ToListAsync());
        var channels = Task.Run(async () => await freshchat.Client.ListChannelsAsync().ToListAsync());
        await Task.WhenAll(roles, groups, channels).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, freshchat.Handler.Calls);
        Assert.Equal(2, maxInFlight);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [Fact]
    public async Task ListGroups_EndlessNextLinksWithoutPageNumbers_StopAtTheFirstEmptyPage()
    {
        using var freshchat = new ScriptedFreshchat((_, call) => Page(call <= 2
            ? """{"groups":[{"id":"g@N"}],"links":{"next_page":{"href":"/v2/groups?page=@NEXT"}}}"""
            : """{"groups":[],"links":{"next_page":{"href":"/v2/groups?page=@NEXT"}}}""", call));

        var groups = await freshchat.Client.ListGroupsAsync().Select(g => g.Id).ToListAsync();

        Assert.Equal(["g1", "g2"], groups);
        Assert.Equal(3, freshchat.Handler.Calls);
    }

    [Fact]
    public async Task ListChannels_NoNextLinkAndNoPagination_IsOneRequest()
    {
        using var freshchat = new ScriptedFreshchat((_, _) => Page("""{"channels":[{"id":"c1"},{"id":"c2"}]}"""));

        Assert.Equal(2, await freshchat.Client.ListChannelsAsync().CountAsync());
        Assert.Equal(1, freshchat.Handler.Calls);
    }

    [Fact]
    public async Task ListAgents_ServerRepeatingTheSameNextLink_DoesNotLoop()
    {
        using var freshchat = new ScriptedFreshchat((_, call) => Page(
            """{"agents":[{"id":"a@N"}],"links":{"next_page":{"href":"/v2/agents?page=2"}}}""", call));

        Assert.Equal(2, await freshchat.Client.ListAgentsAsync().CountAsync());
        Assert.Equal(2, freshchat.Handler.Calls);
    }

    [Fact]
    public async Task ListUsers_ServerClampsThePageSize_IsLoggedOnce()
    {
        using var freshchat = new ScriptedFreshchat((_, _) => Page("""{"users":[{"id":"u1"}],"pagination":{"current_page":1,"total_pages":1,"items_per_page":50}}"""));
        var query = new UserQuery { CreatedFrom = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero) };

        await freshchat.Client.ListUsersAsync(query).ToListAsync();
        await freshchat.Client.ListUsersAsync(query).ToListAsync();

        Assert.Contains("items_per_page=100", freshchat.Handler.Requests.First().RequestUri!.Query);
        Assert.Single(freshchat.Logs.GetSnapshot(), l => l.Message.Contains("clamps items_per_page=100 to 50", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListMessages_NewerThanTheBoundary_YieldsOnlyNewOnesFromOneRequest()
    {
        using var freshchat = new ScriptedFreshchat((_, _) => Page("""
            {"messages":[
              {"id":"m3","created_time":"2026-01-01T00:00:03.000Z"},
              {"id":"m2","created_time":"2026-01-01T00:00:02.000Z"},
              {"id":"m1","created_time":"2026-01-01T00:00:01.000Z"}],
             "link":{"href":"/v2/conversations/c1/messages?page=1&items_per_page=50&from_time=2026-01-01T00:00:01.000Z"}}
            """));
        var boundary = new MessageBoundary(new DateTimeOffset(2026, 1, 1, 0, 0, 2, TimeSpan.Zero), new HashSet<string> { "m2" });

        var messages = await freshchat.Client.ListMessagesAsync("c1", boundary).Select(m => m.Id).ToListAsync();

        Assert.Equal(["m3"], messages);
        Assert.Equal(1, freshchat.Handler.Calls);
        Assert.Equal("/v2/conversations/c1/messages", freshchat.Handler.Requests.Single().RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task AbsoluteNextLinkOnAnotherHost_NeverReceivesTheBearerToken()
    {
        using var freshchat = new ScriptedFreshchat((_, call) => Page(call == 1
            ? """{"groups":[{"id":"g1"}],"links":{"next_page":{"href":"https://elsewhere.example.com/v2/groups?page=2"}}}"""
            : """{"groups":[{"id":"g2"}]}"""));

        await freshchat.Client.ListGroupsAsync().ToListAsync();

        var requests = freshchat.Handler.Requests.ToList();
        Assert.NotNull(requests[0].Headers.Authorization);
        Assert.Equal("elsewhere.example.com", requests[1].RequestUri!.Host);
        Assert.Null(requests[1].Headers.Authorization);
    }

    [Theory]
    [InlineData("""[{"id":"f1","name":"priority"},{"id":"f2","name":"cf_region"}]""")]
    [InlineData("""{"fields":[{"id":"f1","name":"priority"},{"id":"f2","name":"cf_region"}]}""")]
    public async Task GetConversationFields_BareArrayOrWrapped_AreTheSameFields(string body)
    {
        using var freshchat = new ScriptedFreshchat((_, _) => Page(body));

        var fields = await freshchat.Client.GetConversationFieldsAsync();

        Assert.Equal(["f1", "f2"], fields.Select(f => f.GetString("id")));
    }

    [Fact]
    public async Task GetAgentStatuses_EndpointMissing_IsNullAndLoggedOnce()
    {
        using var freshchat = new ScriptedFreshchat((_, _) => ScriptedFreshchat.Json(HttpStatusCode.NotFound, """{"code":404,"status":"NOT_FOUND","message":"no route"}"""));

        Assert.Null(await freshchat.Client.GetAgentStatusesAsync());
        Assert.Null(await freshchat.Client.GetAgentStatusesAsync());

        Assert.Single(freshchat.Logs.GetSnapshot(), l => l.Message.Contains("agent status catalogue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetUserConversationIds_IdsUnderEitherKey_AreReadOnce()
    {
        using var freshchat = new ScriptedFreshchat((_, _) => Page("""{"conversations":[{"id":"c1"},{"conversation_id":"c2"},{"id":"c1"}]}"""));

        Assert.Equal(["c1", "c2"], await freshchat.Client.GetUserConversationIdsAsync("u1"));
    }
}
