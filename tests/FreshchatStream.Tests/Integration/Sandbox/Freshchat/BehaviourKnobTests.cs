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

    [Fact]
    [Trait("Issue", "#17")]
    public async Task ForbiddenScopesOverSandboxApi_ForbidsOnlyThoseEndpoints()
    {
        await using var emulator = await StartAsync();
        using var http = new EmulatorHttp(emulator);
        using var patch = await http.SendJsonAsync(HttpMethod.Patch, "/_sandbox/behaviour", """{"forbidden_scopes": "reports:extract, role:read"}""");
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal("reports:extract, role:read", (string?)(await http.GetJsonAsync("/_sandbox/behaviour"))["forbidden_scopes"]);

        using var roles = await http.GetAsync("/v2/roles");
        using var report = await http.GetAsync("/v2/reports/raw/some-id");
        using var groups = await http.GetAsync("/v2/groups");
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK), (roles.StatusCode, report.StatusCode, groups.StatusCode));
        emulator.Behaviour.ForbiddenScopes = "*";
        using var all = await http.GetAsync("/v2/groups");
        Assert.Equal(HttpStatusCode.Forbidden, all.StatusCode);
    }

    [Fact]
    [Trait("Issue", "#17")]
    public async Task PoisonItems_FirstPageOfTheChosenListingOnly()
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.PoisonItems = "not_object,missing_id,unconvertible,oversized";
        emulator.Behaviour.PoisonOversizedBytes = 1000;
        using var http = new EmulatorHttp(emulator);

        var first = (await http.GetJsonAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z&items_per_page=10"))["users"]!.AsArray();
        var second = (await http.GetJsonAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z&items_per_page=10&page=2"))["users"]!.AsArray();
        var groups = (await http.GetJsonAsync("/v2/groups"))["groups"]!.AsArray();

        Assert.Equal(14, first.Count);
        Assert.Equal(System.Text.Json.JsonValueKind.String, first[10]!.GetValueKind());
        Assert.Null(first[11]!["id"]);
        Assert.Equal("not a timestamp", (string?)first[12]!["created_time"]);
        Assert.Equal(1000, ((string)first[13]!["first_name"]!).Length);
        Assert.Equal(10, second.Count);
        Assert.All(groups, g => Assert.NotNull(g!["id"]));
    }

    [Theory]
    [Trait("Issue", "#17")]
    [InlineData("conversation_id")]
    [InlineData("Conversation ID")]
    public async Task ReportLinks_LastLinkPendingForAPoll_ThenCompleted(string header)
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.ReportPendingPolls = 0;
        emulator.Behaviour.ReportLinkPendingPolls = 1;
        emulator.Behaviour.ReportConversationIdHeader = header;
        using var http = new EmulatorHttp(emulator);
        using var created = await http.SendJsonAsync(HttpMethod.Post, "/v2/reports/raw",
            """{"start":"2025-12-30T00:00:00.000Z","end":"2025-12-31T12:00:00.000Z","event":"Conversation-Created","format":"csv"}""");
        var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;

        var firstPoll = await http.GetJsonAsync($"/v2/reports/raw/{id}");
        var secondPoll = await http.GetJsonAsync($"/v2/reports/raw/{id}");

        Assert.Equal("COMPLETED", (string?)firstPoll["status"]);
        Assert.Equal(["COMPLETED", "PENDING"], firstPoll["links"]!.AsArray().Select(l => (string)l!["status"]!));
        Assert.Null(firstPoll["links"]![1]!["link"]);
        Assert.Equal(["COMPLETED", "COMPLETED"], secondPoll["links"]!.AsArray().Select(l => (string)l!["status"]!));
        var href = new Uri((string)secondPoll["links"]![0]!["link"]!["href"]!);
        using var zip = new System.IO.Compression.ZipArchive(await http.Client.GetStreamAsync(href));
        using var reader = new StreamReader(zip.Entries[0].Open());
        Assert.StartsWith(header + ",", await reader.ReadLineAsync());
    }
}
