using System.Net;
using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat;

[Trait("Category", "Integration")]
public sealed class BehaviourKnobTests
{
    private static Task<FreshchatEmulator> StartAsync(TimeProvider? time = null) =>
        FreshchatEmulator.StartAsync(new FreshchatEmulatorOptions { Profile = EmulatorProfile.Default, Users = 60, MessagesPerConversation = 6, TimeProvider = time });

    [Fact]
    public async Task PageSizeOverflow_Reject_Answers400()
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.PageSizeOverflow = PageSizeOverflow.Reject;
        using var http = new EmulatorHttp(emulator);
        using var response = await http.GetAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z&items_per_page=51");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var ok = await http.GetJsonAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z&items_per_page=50");
        Assert.Equal(50, ok["users"]!.AsArray().Count);
    }

    [Fact]
    public async Task UpdatedFilters_HonouredOrIgnored_DependsOnKnob()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var emulator = await StartAsync(clock);
        var target = emulator.Data.EnumerateUsers().ElementAt(10);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(emulator.Data.UpdateUser((string)target["id"]!, firstName: "Renée ✨"));
        using var http = new EmulatorHttp(emulator);
        const string query = "/v2/users?updated_from=2026-03-01T00:00:00.000Z&items_per_page=50";

        var honoured = await http.GetJsonAsync(query);
        Assert.Equal([(string)target["id"]!], honoured["users"]!.AsArray().Select(u => (string)u!["id"]!));
        Assert.Equal("2026-03-01T00:05:00.000Z", (string)honoured["users"]![0]!["updated_time"]!);

        emulator.Behaviour.HonourUpdatedFilters = false;
        var ignored = await http.GetJsonAsync(query);
        Assert.Equal(60, (int)ignored["pagination"]!["total_items"]!);
    }

    [Fact]
    public async Task EmptyAgentListAs404_FilteredWithoutMatch_Answers404()
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.EmptyAgentListAs404 = true;
        using var http = new EmulatorHttp(emulator);
        using var response = await http.GetAsync("/v2/agents?groups=no-such-group");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var unfiltered = await http.GetJsonAsync("/v2/agents");
        Assert.NotEmpty(unfiltered["agents"]!.AsArray());
    }

    [Fact]
    public async Task WrapAccountConfiguration_WrapsObject()
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.WrapAccountConfiguration = true;
        using var http = new EmulatorHttp(emulator);
        var body = await http.GetJsonAsync("/v2/accounts/configuration");
        Assert.Equal(emulator.Data.AppId, (string)body["configuration"]!["app_id"]!);
    }

    [Fact]
    public async Task WrongHostHtml_Answers200Html()
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.WrongHostHtml = true;
        using var http = new EmulatorHttp(emulator);
        using var response = await http.GetAsync("/v2/accounts/configuration");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task MessagesPageByNumber_LinkUsesPageNumbers_AndStillCoversAll()
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.MessagesPageByNumber = true;
        using var http = new EmulatorHttp(emulator);
        var id = emulator.Data.EnumerateConversationIds().First(c => emulator.Data.GetMessages(c)!.Count > 4);
        var first = await http.GetJsonAsync($"/v2/conversations/{id}/messages?items_per_page=2");
        var href = (string)first["link"]!["href"]!;
        Assert.Contains("page=2", href);
        Assert.DoesNotContain("from_time", href);
        var all = await http.AllMessagesAsync(id, 2);
        Assert.Equal(emulator.Data.GetMessages(id)!.Reverse().Select(m => (string)m["id"]!), all.Select(m => (string)m["id"]!));
    }

    [Fact]
    public async Task OnlyNextPageLink_OmitsOtherLinks()
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.OnlyNextPageLink = true;
        using var http = new EmulatorHttp(emulator);
        var page = await http.GetJsonAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z&page=2&items_per_page=10");
        Assert.Equal(["next_page"], page["links"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task BehaviourOverSandboxApi_PatchChangesKnob()
    {
        await using var emulator = await StartAsync();
        using var http = new EmulatorHttp(emulator);
        using var response = await http.SendJsonAsync(HttpMethod.Patch, "/_sandbox/behaviour", """{"max_items_per_page": 5, "page_size_overflow": "Reject"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, emulator.Behaviour.MaxItemsPerPage);
        Assert.Equal(PageSizeOverflow.Reject, emulator.Behaviour.PageSizeOverflow);
        using var bad = await http.SendJsonAsync(HttpMethod.Patch, "/_sandbox/behaviour", """{"no_such_knob": 1}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
