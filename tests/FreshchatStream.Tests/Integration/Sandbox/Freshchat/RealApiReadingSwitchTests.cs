using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat;

/// <summary>The emulator switches of issue #17 part A each do what they model, and the other-reading profile reaches the emulator.</summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#17")]
public sealed class RealApiReadingSwitchTests
{
    private static Task<FreshchatEmulator> StartAsync(EmulatorProfile profile = EmulatorProfile.Default, params KeyValuePair<string, string>[] settings) =>
        FreshchatEmulator.StartAsync(new FreshchatEmulatorOptions
        {
            Users = 40, ConversationsPerUser = 0.5, MessagesPerConversation = 60, Profile = profile, BehaviourSettings = settings,
        });

    private static string LongConversation(FreshchatEmulator emulator) =>
        emulator.Data.EnumerateConversationIds().First(id => emulator.Data.GetMessages(id)!.Count > 60);

    private static long Ms(JsonNode message) =>
        DateTimeOffset.Parse((string)message["created_time"]!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MessagesFromTime_InclusiveOrExclusive_DecidesWhetherTheBoundaryMillisecondIsReturned(bool inclusive)
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.MessagesFromTimeInclusive = inclusive;
        var id = LongConversation(emulator);
        var boundary = emulator.Data.GetMessages(id)![10];
        using var http = new EmulatorHttp(emulator);

        var page = await http.GetJsonAsync($"/v2/conversations/{id}/messages?items_per_page=50&from_time={(string)boundary["created_time"]!}");

        var ids = page["messages"]!.AsArray().Select(m => (string)m!["id"]!).ToList();
        Assert.Equal(inclusive, ids.Contains((string)boundary["id"]!));
        Assert.All(page["messages"]!.AsArray(), m => Assert.True(inclusive ? Ms(m!) <= Ms(boundary) : Ms(m!) < Ms(boundary)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MessagesPerMillisecond_RunsOfThree_PagesCutInsideARunOnlyWhenSplitting(bool split)
    {
        await using var emulator = await StartAsync(EmulatorProfile.Default, KeyValuePair.Create("messages_per_millisecond", "3"));
        emulator.Behaviour.SplitMessageTiesAcrossPages = split;
        var id = LongConversation(emulator);
        var timeline = emulator.Data.GetMessages(id)!;
        Assert.All(timeline.Chunk(3).Where(run => run.Length == 3), run => Assert.Single(run.Select(Ms).Distinct()));
        using var http = new EmulatorHttp(emulator);

        var page = (await http.GetJsonAsync($"/v2/conversations/{id}/messages?items_per_page=50"))["messages"]!.AsArray();

        var oldestOnPage = Ms(page[^1]!);
        var sameMillisecondLeft = timeline.Count(m => Ms(m) == oldestOnPage) - page.Count(m => Ms(m!) == oldestOnPage);
        if (split)
        {
            Assert.Equal(50, page.Count);
        }
        else
        {
            Assert.Equal(0, sameMillisecondLeft);
        }
    }

    [Fact]
    public async Task AgentStatusWithoutId_AgentsKeepOnlyTheStatusName()
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.AgentStatusWithoutId = true;
        using var http = new EmulatorHttp(emulator);

        var agents = (await http.GetJsonAsync("/v2/agents?items_per_page=50"))["agents"]!.AsArray();
        var one = await http.GetJsonAsync($"/v2/agents/{(string)agents[0]!["id"]!}");

        Assert.All(agents.Append(one), a => Assert.Equal(["name"], a!["agent_status"]!.AsObject().Select(p => p.Key)));
        Assert.NotNull(emulator.Data.GetAgents()[0]["agent_status"]!["id"]); // the store keeps the id; only the wire drops it
    }

    [Fact]
    public async Task MinimalConversations_OnlyTheDocumentedKeys()
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.MinimalConversations = true;
        var id = emulator.Data.EnumerateConversationIds().First();
        using var http = new EmulatorHttp(emulator);

        var conversation = (await http.GetJsonAsync($"/v2/conversations/{id}")).AsObject();

        Assert.Equal(["app_id", "channel_id", "conversation_id", "skill_id", "status"], conversation.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    public async Task UserListOrder_SortOrderHonouredOrIgnored(bool ignoreSort, bool newestFirstByDefault, bool oldestFirst)
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.IgnoreSortOrder = ignoreSort;
        emulator.Behaviour.UsersNewestFirstByDefault = newestFirstByDefault;
        using var http = new EmulatorHttp(emulator);

        var users = (await http.GetJsonAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z&sort_by=created_time&sort_order=asc&items_per_page=50"))["users"]!.AsArray();

        var times = users.Select(u => (string)u!["created_time"]!).ToList();
        Assert.Equal(oldestFirst ? times.Order(StringComparer.Ordinal) : times.OrderDescending(StringComparer.Ordinal), times);
    }

    [Fact]
    public async Task Profile_Other_FlipsTheSwitchesAndSettingsApplyOnTop()
    {
        await using var emulator = await StartAsync(EmulatorProfile.Other, KeyValuePair.Create("SendRetryAfter", "true"));

        var expected = new EmulatorBehaviour();
        EmulatorProfiles.ApplyOtherReading(expected);
        expected.SendRetryAfter = true;
        Assert.Equal(SettingsReflection.Describe(expected).ToJsonString(), SettingsReflection.Describe(emulator.Behaviour).ToJsonString());
        Assert.True(emulator.Behaviour.MessagesFromTimeInclusive);
        Assert.False(emulator.Behaviour.HonourUpdatedFilters);
        Assert.False(emulator.Behaviour.MinimalConversations); // changes the payloads: not part of the profile
    }

    [Fact]
    public async Task SandboxBehaviour_NewSwitches_AreReadableAndSettableByName()
    {
        await using var emulator = await StartAsync();
        using var http = new EmulatorHttp(emulator);

        using var response = await http.SendJsonAsync(HttpMethod.Patch, "/_sandbox/behaviour",
            """{"messages_from_time_inclusive":true,"split_message_ties_across_pages":true,"messages_per_millisecond":4,"agent_status_without_id":true,"minimal_conversations":true,"ignore_sort_order":true,"users_newest_first_by_default":true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var described = await EmulatorHttp.ReadObjectAsync(response);
        Assert.Equal(4, (int)described["messages_per_millisecond"]!);
        Assert.True(emulator.Behaviour.MessagesFromTimeInclusive && emulator.Behaviour.SplitMessageTiesAcrossPages && emulator.Behaviour.AgentStatusWithoutId
                    && emulator.Behaviour.MinimalConversations && emulator.Behaviour.IgnoreSortOrder && emulator.Behaviour.UsersNewestFirstByDefault);
    }

    [Fact]
    public async Task BehaviourSettings_UnknownSwitch_FailsTheStart()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(EmulatorProfile.Default, KeyValuePair.Create("no_such_switch", "true")));

        Assert.Contains("unknown setting 'no_such_switch'", error.Message, StringComparison.Ordinal);
    }
}
