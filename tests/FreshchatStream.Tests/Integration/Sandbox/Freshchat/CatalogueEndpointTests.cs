using System.Net;
using System.Text.Json.Nodes;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat;

[Trait("Category", "Integration")]
[Collection(FreshchatEmulatorCollection.Name)]
public sealed class CatalogueEndpointTests(FreshchatEmulatorFixture fixture)
{
    [Theory]
    [InlineData("agents", 12)]
    [InlineData("groups", 4)]
    [InlineData("channels", 3)]
    [InlineData("roles", 5)]
    public async Task List_PagedEnvelope_ReturnsEveryItem(string resource, int expected)
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var items = await http.PageAllAsync($"/v2/{resource}?items_per_page=2", resource);
        Assert.Equal(expected, items.Count);
        Assert.Equal(expected, items.Select(i => (string)i["id"]!).Distinct().Count());
    }

    [Fact]
    public async Task Agents_Filters_MatchGroupsDeactivationAndAvailability()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var agents = fixture.Emulator.Data.GetAgents();
        var group = (string)agents[0]["groups"]![0]!;
        var byGroup = await http.GetJsonAsync($"/v2/agents?groups={group}&items_per_page=50");
        Assert.Equal(agents.Count(a => a["groups"]!.AsArray().Any(g => (string)g! == group)), byGroup["agents"]!.AsArray().Count);
        var available = await http.GetJsonAsync("/v2/agents?availability_status=AVAILABLE&items_per_page=50");
        Assert.All(available["agents"]!.AsArray(), a => Assert.Equal("AVAILABLE", (string)a!["availability_status"]!));
        var deactivated = await http.GetJsonAsync("/v2/agents?is_deactivated=true&items_per_page=50");
        Assert.All(deactivated["agents"]!.AsArray(), a => Assert.True((bool)a!["is_deactivated"]!));
        Assert.All(agents, a => Assert.NotNull(a["agent_status"]!["name"]));
    }

    [Fact]
    public async Task Agents_FilterWithoutMatch_AnswersEmptyListByDefault()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var page = await http.GetJsonAsync("/v2/agents?groups=no-such-group");
        Assert.Empty(page["agents"]!.AsArray());
        Assert.Equal(0, (int)page["pagination"]!["total_items"]!);
        Assert.Null(page["links"]!["next_page"]);
    }

    [Fact]
    public async Task AgentById_AndStatusCatalogue_AreBare()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var expected = fixture.Emulator.Data.GetAgents()[3];
        var agent = await http.GetJsonAsync($"/v2/agents/{expected["id"]}");
        Assert.Equal(expected.ToJsonString(), agent.ToJsonString());
        var statuses = await http.GetJsonAsync("/v2/agents/status");
        var states = statuses["states"]!.AsArray();
        Assert.NotEmpty(states);
        Assert.All(states, s => Assert.Equal(["id", "name"], s!.AsObject().Select(p => p.Key)));
        using var missing = await http.GetAsync("/v2/agents/unknown");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("AGENT_NOT_FOUND", (string)(await EmulatorHttp.ReadObjectAsync(missing))["status"]!);
    }

    [Fact]
    public async Task AccountConfiguration_IsBareByDefault()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var configuration = await http.GetJsonAsync("/v2/accounts/configuration");
        Assert.Equal(fixture.Emulator.Data.AppId, (string)configuration["app_id"]!);
        Assert.IsType<int>((int)configuration["account_id"]!);
        Assert.Null(configuration["configuration"]);
    }

    [Fact]
    public async Task Channels_UpdatedFilter_HonouredByDefault()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var channels = fixture.Emulator.Data.GetChannels();
        var after = (string)channels[1]["updated_time"]!;
        var page = await http.GetJsonAsync($"/v2/channels?updated_from={after}");
        Assert.Equal(channels.Count - 1, page["channels"]!.AsArray().Count);
    }

    [Fact]
    public async Task Timestamps_AllUseMillisecondZuluFormat()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var agents = (await http.GetJsonAsync("/v2/agents?items_per_page=50"))["agents"]!.AsArray();
        var channels = (await http.GetJsonAsync("/v2/channels"))["channels"]!.AsArray();
        foreach (var stamp in agents.Select(a => (string)a!["created_time"]!).Concat(channels.Select(c => (string)c!["updated_time"]!)))
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", stamp);
    }
}
