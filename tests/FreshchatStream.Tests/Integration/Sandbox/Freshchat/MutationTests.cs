using System.Net;
using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat;

[Trait("Category", "Integration")]
public sealed class MutationTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 1, 9, 0, 0, TimeSpan.Zero);

    private static Task<FreshchatEmulator> StartAsync(FakeTimeProvider clock, bool deleteRemovesConversations = false) =>
        FreshchatEmulator.StartAsync(new FreshchatEmulatorOptions
        {
            Profile = EmulatorProfile.Default,
            Users = 80, ConversationsPerUser = 0.5, MessagesPerConversation = 5, TimeProvider = clock,
            Behaviour = new EmulatorBehaviour { DeleteUserRemovesConversations = deleteRemovesConversations },
        });

    [Fact]
    public async Task GeneratedHistory_LiesBeforeEpoch()
    {
        await using var emulator = await StartAsync(new FakeTimeProvider(Now));
        var epoch = Timestamps(emulator.Data.Epoch);
        Assert.All(emulator.Data.EnumerateUsers(), u => Assert.True(string.CompareOrdinal((string)u["updated_time"]!, epoch) < 0));
        foreach (var id in emulator.Data.EnumerateConversationIds())
            Assert.All(emulator.Data.GetMessages(id)!, m => Assert.True(string.CompareOrdinal((string)m["created_time"]!, epoch) < 0));
    }

    [Fact]
    public async Task CreateUser_AppearsLastInCreatedOrder_WithClockTimes()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emulator = await StartAsync(clock);
        var id = emulator.Data.CreateUser("Zoë", "Ångström", "zoe@example.com", configure: u => u["properties"] = new JsonArray(new JsonObject { ["name"] = "plan", ["value"] = "Pro" }));
        using var http = new EmulatorHttp(emulator);
        var users = await http.PageAllAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z&items_per_page=50", "users");
        Assert.Equal(81, users.Count);
        Assert.Equal(id, (string)users[^1]["id"]!);
        Assert.Equal("2026-02-01T09:00:00.000Z", (string)users[^1]["created_time"]!);
        var recent = await http.GetJsonAsync("/v2/users?created_from=2026-02-01T00:00:00.000Z");
        Assert.Equal([id], recent["users"]!.AsArray().Select(u => (string)u!["id"]!));
        var byEmail = await http.GetJsonAsync("/v2/users?email=zoe@example.com");
        Assert.Equal("Ångström", (string)byEmail["users"]![0]!["last_name"]!);
    }

    [Fact]
    public async Task UpdateUser_MovesUpdatedTimeAndKeepsCreatedTime()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emulator = await StartAsync(clock);
        var before = emulator.Data.EnumerateUsers().ElementAt(5);
        clock.Advance(TimeSpan.FromSeconds(90));
        using var http = new EmulatorHttp(emulator);
        using (var patch = await http.SendJsonAsync(HttpMethod.Patch, $"/_sandbox/users/{before["id"]}", """{"first_name":"Nuño 🎸","phone":null}"""))
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var after = await http.GetJsonAsync($"/v2/users/{before["id"]}");
        Assert.Equal("Nuño 🎸", (string)after["first_name"]!);
        Assert.Null(after["phone"]);
        Assert.Equal((string)before["created_time"]!, (string)after["created_time"]!);
        Assert.Equal("2026-02-01T09:01:30.000Z", (string)after["updated_time"]!);
    }

    [Fact]
    public async Task DeleteUser_Answers202ThenVanishes()
    {
        await using var emulator = await StartAsync(new FakeTimeProvider(Now));
        var users = emulator.Data.EnumerateUsers().ToList();
        var victim = (string)users[10]["id"]!;
        using var http = new EmulatorHttp(emulator);
        using (var deleted = await http.Client.DeleteAsync($"/v2/users/{victim}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
            var body = await EmulatorHttp.ReadObjectAsync(deleted);
            Assert.Equal(202, (int)body["code"]!);
            Assert.Equal("ACCEPTED", (string)body["status"]!);
            Assert.False(string.IsNullOrEmpty((string?)body["message"]));
        }
        using (var gone = await http.GetAsync($"/v2/users/{victim}")) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using (var again = await http.Client.DeleteAsync($"/v2/users/{victim}")) Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var listed = await http.PageAllAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z&items_per_page=9", "users");
        Assert.Equal(users.Select(u => (string)u["id"]!).Where(i => i != victim), listed.Select(u => (string)u["id"]!));
        Assert.Equal(79, emulator.Data.UserCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeleteUser_ConversationsRemovedOnlyWithSwitch(bool removes)
    {
        await using var emulator = await StartAsync(new FakeTimeProvider(Now), removes);
        var owner = emulator.Data.EnumerateUsers().First(u => emulator.Data.GetUserConversationIds((string)u["id"]!)!.Any(c =>
            (string)emulator.Data.GetConversation(c)!["user_id"]! == (string)u["id"]!));
        var conversation = emulator.Data.GetUserConversationIds((string)owner["id"]!)!.First(c => (string)emulator.Data.GetConversation(c)!["user_id"]! == (string)owner["id"]!);
        var messagesBefore = emulator.Data.MessageCount;
        Assert.True(emulator.Data.DeleteUser((string)owner["id"]!));
        using var http = new EmulatorHttp(emulator);
        using var response = await http.GetAsync($"/v2/conversations/{conversation}");
        Assert.Equal(removes ? HttpStatusCode.NotFound : HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(removes, emulator.Data.MessageCount < messagesBefore);
    }

    [Fact]
    public async Task AddMessage_AppearsFirstAndMovesConversationUpdatedTime()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emulator = await StartAsync(clock);
        var conversation = emulator.Data.EnumerateConversationIds().First();
        using var http = new EmulatorHttp(emulator);
        clock.Advance(TimeSpan.FromMinutes(3));
        using (var posted = await http.SendJsonAsync(HttpMethod.Post, $"/_sandbox/conversations/{conversation}/messages", """{"text":"Merci beaucoup 🙏","actor_type":"agent"}"""))
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var page = await http.GetJsonAsync($"/v2/conversations/{conversation}/messages?items_per_page=5");
        var newest = page["messages"]![0]!;
        Assert.Equal("Merci beaucoup 🙏", (string)newest["message_parts"]![0]!["text"]!["content"]!);
        Assert.Equal("agent", (string)newest["actor_type"]!);
        Assert.Equal("2026-02-01T09:03:00.000Z", (string)newest["created_time"]!);
        var after = await http.GetJsonAsync($"/v2/conversations/{conversation}");
        Assert.Equal("2026-02-01T09:03:00.000Z", (string)after["updated_time"]!);
    }

    [Fact]
    public async Task AddMessage_ManyEqualTimestamps_PagingStillReturnsEachOnce()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emulator = await StartAsync(clock);
        var conversation = emulator.Data.EnumerateConversationIds().First();
        for (var i = 0; i < 7; i++) emulator.Data.AddMessage(conversation, $"burst {i}", createdTime: Now);
        emulator.Data.AddMessage(conversation, "after", createdTime: Now.AddSeconds(1));
        using var http = new EmulatorHttp(emulator);
        var served = await http.AllMessagesAsync(conversation, 3);
        Assert.Equal(emulator.Data.GetMessages(conversation)!.Reverse().Select(m => (string)m["id"]!), served.Select(m => (string)m["id"]!));
    }

    [Fact]
    public async Task ConversationLifecycle_StatusAssignmentAndSharing_VisibleThroughApi()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emulator = await StartAsync(clock);
        var users = emulator.Data.EnumerateUsers().ToList();
        var owner = (string)users[0]["id"]!;
        var guest = (string)users[1]["id"]!;
        var agent = (string)emulator.Data.GetAgents()[2]["id"]!;
        var id = emulator.Data.CreateConversation(owner);
        using var http = new EmulatorHttp(emulator);

        Assert.Equal("new", (string)(await http.GetJsonAsync($"/v2/conversations/{id}"))["status"]!);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(emulator.Data.AssignConversation(id, agent));
        var assigned = await http.GetJsonAsync($"/v2/conversations/{id}");
        Assert.Equal(("assigned", agent), ((string)assigned["status"]!, (string)assigned["assigned_agent_id"]!));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(emulator.Data.SetConversationStatus(id, "waiting on customer"));
        Assert.Equal("waiting on customer", (string)(await http.GetJsonAsync($"/v2/conversations/{id}"))["status"]!);
        Assert.True(emulator.Data.ResolveConversation(id));
        Assert.True(emulator.Data.ReopenConversation(id));
        var reopened = await http.GetJsonAsync($"/v2/conversations/{id}");
        Assert.Equal("reopened", (string)reopened["status"]!);
        Assert.Equal("2026-02-01T09:02:00.000Z", (string)reopened["updated_time"]!);

        Assert.True(emulator.Data.AddUserToConversation(id, guest));
        var guestList = await http.GetJsonAsync($"/v2/users/{guest}/conversations");
        Assert.Contains(id, guestList["conversations"]!.AsArray().Select(c => (string)c!["id"]!));
        var ownerList = await http.GetJsonAsync($"/v2/users/{owner}/conversations");
        Assert.Contains(id, ownerList["conversations"]!.AsArray().Select(c => (string)c!["id"]!));
    }

    [Fact]
    public async Task AgentAvailability_PatchAndSandbox_ChangeAgentObject()
    {
        await using var emulator = await StartAsync(new FakeTimeProvider(Now));
        var agent = emulator.Data.GetAgents()[0];
        var teaBreak = emulator.Data.GetAgentStatuses()[1];
        using var http = new EmulatorHttp(emulator);
        using (var patched = await http.SendJsonAsync(HttpMethod.Patch, $"/v2/agents/{agent["id"]}",
                   $$$"""{"availability_status":"AVAILABLE","agent_status":{"id":"{{{teaBreak["id"]}}}"}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            var body = await EmulatorHttp.ReadObjectAsync(patched);
            Assert.Equal("UNAVAILABLE", (string)body["availability_status"]!);
            Assert.Equal((string)teaBreak["name"]!, (string)body["agent_status"]!["name"]!);
        }
        using (var set = await http.SendJsonAsync(HttpMethod.Put, $"/_sandbox/agents/{agent["id"]}/availability", """{"availability_status":"AVAILABLE"}"""))
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var after = await http.GetJsonAsync($"/v2/agents/{agent["id"]}");
        Assert.Equal("AVAILABLE", (string)after["availability_status"]!);
    }

    [Fact]
    public async Task CatalogueDeletes_RemoveFromListsAndById()
    {
        await using var emulator = await StartAsync(new FakeTimeProvider(Now));
        var agent = (string)emulator.Data.GetAgents()[1]["id"]!;
        var channel = (string)emulator.Data.GetChannels()[0]["id"]!;
        using var http = new EmulatorHttp(emulator);
        (await http.Client.DeleteAsync($"/_sandbox/agents/{agent}")).Dispose();
        Assert.True(emulator.Data.DeleteChannel(channel));
        using (var gone = await http.GetAsync($"/v2/agents/{agent}")) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var agents = await http.PageAllAsync("/v2/agents?items_per_page=50", "agents");
        Assert.Equal(11, agents.Count);
        var channels = await http.PageAllAsync("/v2/channels", "channels");
        Assert.DoesNotContain(channel, channels.Select(c => (string)c["id"]!));
    }

    [Fact]
    public async Task UpdateChannel_MovesUpdatedTime()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emulator = await StartAsync(clock);
        var channel = (string)emulator.Data.GetChannels()[0]["id"]!;
        using var http = new EmulatorHttp(emulator);
        using (var patch = await http.SendJsonAsync(HttpMethod.Patch, $"/_sandbox/channels/{channel}", """{"name":"Support 24/7"}"""))
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var updated = await http.GetJsonAsync($"/v2/channels?updated_from={Timestamps(Now)}");
        Assert.Equal("Support 24/7", (string)updated["channels"]!.AsArray().Single()!["name"]!);
    }

    [Fact]
    public async Task SandboxApi_MalformedBody_Answers400()
    {
        await using var emulator = await StartAsync(new FakeTimeProvider(Now));
        using var http = new EmulatorHttp(emulator);
        using var response = await http.SendJsonAsync(HttpMethod.Post, "/v2/reports/raw", "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, (int)(await EmulatorHttp.ReadObjectAsync(response))["code"]!);
        using var conversation = await http.SendJsonAsync(HttpMethod.Post, "/_sandbox/conversations", """{"user_id":"nobody"}""");
        Assert.Equal(HttpStatusCode.NotFound, conversation.StatusCode);
    }

    private static string Timestamps(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
}
