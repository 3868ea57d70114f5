using System.Net;
using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat;

[Trait("Category", "Integration")]
[Collection(FreshchatEmulatorCollection.Name)]
public sealed class ConversationsEndpointTests(FreshchatEmulatorFixture fixture)
{
    [Fact]
    public async Task GetConversation_Known_ReturnsBareObjectWithoutNulls()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var statuses = new HashSet<string>();
        foreach (var id in fixture.Emulator.Data.EnumerateConversationIds().Take(40))
        {
            var conversation = (JsonObject)await http.GetJsonAsync($"/v2/conversations/{id}");
            Assert.Equal(id, (string)conversation["conversation_id"]!);
            Assert.Null(conversation["messages"]);
            Assert.DoesNotContain(conversation, p => p.Value is null);
            Assert.Equal(fixture.Emulator.Data.AppId, (string)conversation["app_id"]!);
            statuses.Add((string)conversation["status"]!);
            if ((string)conversation["status"]! == "new") Assert.Null(conversation["assigned_agent_id"]);
        }
        Assert.Contains("waiting on customer", fixture.Emulator.Data.EnumerateConversationIds().Select(i => (string)fixture.Emulator.Data.GetConversation(i)!["status"]!));
        Assert.True(statuses.Count >= 3);
    }

    [Fact]
    public async Task GetConversation_Unknown_Answers404()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        using var response = await http.GetAsync("/v2/conversations/does-not-exist");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("CONVERSATION_NOT_FOUND", (string)(await EmulatorHttp.ReadObjectAsync(response))["status"]!);
        using var messages = await http.GetAsync("/v2/conversations/does-not-exist/messages");
        Assert.Equal(HttpStatusCode.NotFound, messages.StatusCode);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(50)]
    public async Task Messages_FollowingLinkUntilAbsent_ReturnsAllNewestFirstWithoutDuplicates(int itemsPerPage)
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var sawEqualTimes = false;
        foreach (var id in fixture.Emulator.Data.EnumerateConversationIds().Take(25))
        {
            var served = await http.AllMessagesAsync(id, itemsPerPage);
            var truth = fixture.Emulator.Data.GetMessages(id)!;
            Assert.Equal(truth.Reverse().Select(m => (string)m["id"]!), served.Select(m => (string)m["id"]!));
            var times = served.Select(m => (string)m["created_time"]!).ToList();
            Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
            sawEqualTimes |= times.Distinct().Count() < times.Count;
        }
        Assert.True(sawEqualTimes, "expected equal created_time values inside some conversation");
    }

    [Fact]
    public async Task Messages_Link_IsRelativeWithPageOneAndFromTimeOfOldestOnPage()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var id = fixture.Emulator.Data.EnumerateConversationIds().First(c => fixture.Emulator.Data.GetMessages(c)!.Count > 8);
        var page = await http.GetJsonAsync($"/v2/conversations/{id}/messages?page=1&items_per_page=4");
        var messages = page["messages"]!.AsArray();
        var href = (string)page["link"]!["href"]!;
        var oldest = (string)messages[^1]!["created_time"]!;
        Assert.Equal($"/v2/conversations/{id}/messages?page=1&items_per_page=4&from_time={oldest}", href);
    }

    [Fact]
    public async Task Messages_ShapeCoversActorTypesAndPartKinds()
    {
        var actorTypes = new HashSet<string>();
        var partKinds = new HashSet<string>();
        foreach (var id in fixture.Emulator.Data.EnumerateConversationIds())
        {
            foreach (var m in fixture.Emulator.Data.GetMessages(id)!)
            {
                actorTypes.Add((string)m["actor_type"]!);
                foreach (var part in m["message_parts"]!.AsArray()) partKinds.Add(part!.AsObject().Single().Key);
                Assert.Matches("^[0-9]+$", (string)m["freshchat_conversation_id"]!);
                Assert.Matches("^[0-9]+-[0-9]+$", (string)m["interaction_id"]!);
            }
        }
        await Task.CompletedTask;
        Assert.Superset(new HashSet<string> { "user", "agent", "system" }, actorTypes);
        Assert.Superset(new HashSet<string> { "text", "image", "file", "url_button", "quick_reply_button", "collection" }, partKinds);
    }

    [Fact]
    public async Task ConversationFields_IsBareArrayOfDefinitions()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var fields = await http.GetJsonAsync("/v2/conversations/fields");
        Assert.IsType<JsonArray>(fields);
        Assert.All(fields.AsArray(), f => Assert.NotNull(f!["choices"]));
    }
}
