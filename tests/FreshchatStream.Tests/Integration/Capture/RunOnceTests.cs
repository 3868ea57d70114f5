using System.Text.Json.Nodes;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// <c>run --once</c> end to end: sandbox Freshchat → capture → Avro on the mock cluster, cursors in a real Redis;
/// topics read back with a plain Confluent consumer and compared with the emulator's data.
/// </summary>
[Trait("Category", "Integration")]
[LongRunning]
public sealed class RunOnceTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task RunOnce_FirstRun_CapturesEveryEntityAsCreate()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        var data = scenario.Freshchat.Data;

        var result = await scenario.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertCaptured(scenario.Read(CaptureCatalogue.UsersTopic), data.EnumerateUsers().ToList());
        AssertCaptured(scenario.Read(CaptureCatalogue.AgentsTopic), data.GetAgents());
        AssertCaptured(scenario.Read(CaptureCatalogue.GroupsTopic), data.GetGroups());
        AssertCaptured(scenario.Read(CaptureCatalogue.ChannelsTopic), data.GetChannels());
        AssertCaptured(scenario.Read(CaptureCatalogue.RolesTopic), data.GetRoles());
        var account = Assert.Single(scenario.Read(CaptureCatalogue.AccountConfigurationTopic));
        Assert.Equal("c", account.Op);
        Assert.True(JsonNode.DeepEquals(data.GetAccountConfiguration(), account.Raw));
        Assert.Equal(data.GetAccountConfiguration()["account_id"]!.ToJsonString(), account.Id);

        var availability = scenario.Read(CaptureCatalogue.AgentAvailabilityTopic);
        Assert.Equal(data.GetAgents().Count, availability.Count);
        foreach (var agent in data.GetAgents())
        {
            var transition = Assert.Single(availability, r => r.Id == (string)agent["id"]!);
            Assert.Null(transition.Column<string>("from"));
            Assert.Equal((string?)agent["availability_status"], transition.Column<string>("to"));
            Assert.Equal((string?)agent["agent_status"]?["id"], transition.Column<string>("agent_status_id"));
        }

        var user = scenario.Read(CaptureCatalogue.UsersTopic)[0];
        Assert.Equal(user.EventId, user.Headers["ce_id"]);
        Assert.Equal("freshchat.user.created", user.Headers["ce_type"]);
        Assert.Equal("acme", user.Value!["__account"]);
    }

    [Fact]
    public async Task RunOnce_SecondRunWithoutChanges_PublishesNothingAndSpendsFewRequests()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        scenario.Settings["Capture:ReconcileInterval"] = "01:00:00";
        // The change hints' next windows (3 report jobs, 12 requests) come due 30 s after the first run: on a loaded
        // machine the second run starts later than that. This test is about a run with nothing due.
        scenario.Settings["Capture:Conversations:HintInterval"] = "01:00:00";
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var before = CountAll(scenario);
        var requestsBefore = scenario.Freshchat.Requests.Snapshot();

        var result = await scenario.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(before, CountAll(scenario));
        var heartbeats = scenario.Read(CaptureCatalogue.HeartbeatTopic);
        Assert.Equal(2, heartbeats.Count);
        Assert.Equal(0L, heartbeats.Single(h => h.Value!["events"] is long n && n == 0).Value!["resources_failed"]);
        Assert.Equal("freshchat.heartbeat.created", heartbeats[0].Headers["ce_type"]);
        // account + roles + groups + channels + agents + outbound messages + users (probe, created_from, updated_from);
        // no conversation is due yet and the discovery report's next window is shorter than its minimum.
        var spent = scenario.Freshchat.Requests.Snapshot().Select(p => (p.Key, Count: p.Value - requestsBefore.GetValueOrDefault(p.Key))).Where(p => p.Count > 0).ToList();
        Assert.True(spent.Sum(p => p.Count) <= 9, string.Join(", ", spent));
    }

    [Fact]
    public async Task RunOnce_AfterMutations_PublishesExactlyTheChanges()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        var data = scenario.Freshchat.Data;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var users = data.EnumerateUsers().Select(u => (string)u["id"]!).ToList();
        var agent = data.GetAgents()[0];
        var agentId = (string)agent["id"]!;
        var previousAvailability = (string)agent["availability_status"]!;
        var group = (string)data.GetGroups()[0]["id"]!;
        var channel = (string)data.GetChannels()[0]["id"]!;
        var before = scenario.ReadAll();

        var created = data.CreateUser("Zoë", "Ωmega", "zoe@example.com");
        Assert.True(data.UpdateUser(users[1], email: "changed@example.com"));
        Assert.True(data.DeleteUser(users[2]));
        Assert.True(data.UpdateGroup(group, g => g["name"] = "Renamed 🚀"));
        Assert.True(data.DeleteChannel(channel));
        Assert.True(data.SetAgentAvailability(agentId, previousAvailability == "AVAILABLE" ? "UNAVAILABLE" : "AVAILABLE"));
        var result = await scenario.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 0, result.ToString());
        var newUsers = scenario.ReadNew(CaptureCatalogue.UsersTopic, before[CaptureCatalogue.UsersTopic]);
        Assert.Equal(4, newUsers.Count);
        Assert.Contains(newUsers, r => r.Id == created && r.Op == "c");
        Assert.Contains(newUsers, r => r.Id == users[1] && r.Op == "u" && r.Column<string>("email") == "changed@example.com");
        var deleted = newUsers.Where(r => r.Id == users[2]).ToList();
        Assert.Equal(2, deleted.Count);
        Assert.Equal("d", deleted[0].Op);
        Assert.Equal(true, deleted[0].Value!["__deleted"]);
        Assert.Null(deleted[0].Value!["raw_json"]);
        Assert.True(deleted[1].IsTombstone);

        var groups = scenario.ReadNew(CaptureCatalogue.GroupsTopic, before[CaptureCatalogue.GroupsTopic]);
        Assert.Equal("u", Assert.Single(groups).Op);
        Assert.Equal("Renamed 🚀", groups[0].Column<string>("name"));
        var channels = scenario.ReadNew(CaptureCatalogue.ChannelsTopic, before[CaptureCatalogue.ChannelsTopic]);
        Assert.Equal(new string?[] { "d", null }, channels.Select(r => r.Op));
        Assert.All(channels, r => Assert.Equal(channel, r.Id));

        var agents = scenario.ReadNew(CaptureCatalogue.AgentsTopic, before[CaptureCatalogue.AgentsTopic]);
        Assert.Equal(agentId, Assert.Single(agents).Id);
        Assert.Equal("u", agents[0].Op);
        var transition = Assert.Single(scenario.ReadNew(CaptureCatalogue.AgentAvailabilityTopic, before[CaptureCatalogue.AgentAvailabilityTopic]));
        Assert.Equal(agentId, transition.Id);
        Assert.Equal(previousAvailability, transition.Column<string>("from"));
        Assert.Equal((string)data.GetAgent(agentId)!["availability_status"]!, transition.Column<string>("to"));
        Assert.NotNull(transition.Value!["previous_observed_at"]);

        Assert.Empty(scenario.ReadNew(CaptureCatalogue.RolesTopic, before[CaptureCatalogue.RolesTopic]));
        Assert.Empty(scenario.ReadNew(CaptureCatalogue.AccountConfigurationTopic, before[CaptureCatalogue.AccountConfigurationTopic]));
    }

    [Fact]
    public async Task RunOnce_UpdatedFilterHonoured_SeesEditsWithoutAFullListing()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        scenario.Freshchat.Behaviour.HonourUpdatedFilters = true; // the reading under test, whatever FRESHCHAT_EMULATOR_PROFILE says
        scenario.Settings["Capture:ReconcileInterval"] = "01:00:00";
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var before = scenario.Read(CaptureCatalogue.UsersTopic);
        var oldUser = (string)scenario.Freshchat.Data.EnumerateUsers().First()["id"]!;
        Assert.True(scenario.Freshchat.Data.UpdateUser(oldUser, lastName: "Edited"));
        var listingsBefore = scenario.Freshchat.Requests.Get("GET /v2/users");

        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        var change = Assert.Single(scenario.ReadNew(CaptureCatalogue.UsersTopic, before));
        Assert.Equal((oldUser, "u"), (change.Id, change.Op));
        // probe + created_from page + updated_from page: no page-by-page walk over all 40 users
        Assert.InRange(scenario.Freshchat.Requests.Get("GET /v2/users") - listingsBefore, 2, 3);
    }

    [Fact]
    public async Task RunOnce_UpdatedFilterIgnored_EditsWaitForTheReconciliationListing()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        scenario.Freshchat.Behaviour.HonourUpdatedFilters = false;
        scenario.Settings["Capture:ReconcileInterval"] = "01:00:00";
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var before = scenario.Read(CaptureCatalogue.UsersTopic);
        var oldUser = (string)scenario.Freshchat.Data.EnumerateUsers().First()["id"]!;
        Assert.True(scenario.Freshchat.Data.UpdateUser(oldUser, lastName: "Edited"));

        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        Assert.Empty(scenario.ReadNew(CaptureCatalogue.UsersTopic, before));

        scenario.Settings["Capture:ReconcileInterval"] = "00:00:00";
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var change = Assert.Single(scenario.ReadNew(CaptureCatalogue.UsersTopic, before));
        Assert.Equal((oldUser, "u"), (change.Id, change.Op));
    }

    [Fact]
    public async Task RunOnce_UsersCreatedAtTheSameMillisecondAcrossRuns_EachCapturedOnce()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with { TimeProvider = clock, Behaviour = new(), Faults = new() });
        scenario.Settings["Capture:ReconcileInterval"] = "01:00:00";
        var first = scenario.Freshchat.Data.CreateUser("Same", "Instant", "a@example.com");
        var second = scenario.Freshchat.Data.CreateUser("Same", "Instant", "b@example.com");
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var before = scenario.Read(CaptureCatalogue.UsersTopic);

        var third = scenario.Freshchat.Data.CreateUser("Same", "Instant", "c@example.com");
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        var added = Assert.Single(scenario.ReadNew(CaptureCatalogue.UsersTopic, before));
        Assert.Equal((third, "c"), (added.Id, added.Op));
        var all = scenario.Read(CaptureCatalogue.UsersTopic);
        Assert.Single(all, r => r.Id == first);
        Assert.Single(all, r => r.Id == second);
    }

    private static void AssertCaptured(IReadOnlyList<TopicRecord> records, IReadOnlyList<JsonObject> truth)
    {
        Assert.Equal(truth.Count, records.Count);
        Assert.All(records, r => Assert.Equal("c", r.Op));
        Assert.Equal(records.Count, records.Select(r => r.EventId).Distinct().Count());
        foreach (var entity in truth)
        {
            var id = (string)entity["id"]!;
            var record = Assert.Single(records, r => r.Id == id);
            Assert.True(JsonNode.DeepEquals(entity, record.Raw), $"{id}: {record.Raw?.ToJsonString()} != {entity.ToJsonString()}");
        }
    }

    // Heartbeats are published every cycle by design; "nothing" means no entity or event changes.
    private static int CountAll(CaptureScenario scenario) =>
        scenario.ReadAll().Where(p => p.Key != CaptureCatalogue.HeartbeatTopic).Sum(p => p.Value.Count);
}
