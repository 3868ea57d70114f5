using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// <see cref="AgentsCapture"/>: agent entities by fingerprint, and an <c>agent_availability</c> transition only
/// when the availability or the status (by id, or by name when an id is missing) changed since the last poll.
/// </summary>
public sealed class AgentsCaptureTests
{
    private readonly StrategyHarness _harness = new();
    private readonly AgentsCapture _agents = new(NullLogger<AgentsCapture>.Instance);

    [Fact]
    public async Task CaptureAsync_FirstSighting_EmitsTheAgentAndATransitionFromNull()
    {
        Agent("a1", "AVAILABLE", "s1", "Online");

        await _harness.RunAsync(_agents);

        Assert.Single(Entities());
        var transition = Assert.Single(Transitions());
        Assert.Equal("a1", transition.Key.Id);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, Field(transition, "from").ValueKind);
        Assert.Equal("AVAILABLE", Field(transition, "to").GetString());
    }

    [Fact]
    public async Task CaptureAsync_NothingChanged_EmitsNoTransition()
    {
        Agent("a1", "AVAILABLE", "s1", "Online");
        await _harness.RunAsync(_agents);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));

        await _harness.RunAsync(_agents);

        Assert.Empty(_harness.LastEvents);
    }

    [Fact]
    public async Task CaptureAsync_StatusIdChanged_EmitsATransitionWithThePreviousStatus()
    {
        Agent("a1", "AVAILABLE", "s1", "Online");
        await _harness.RunAsync(_agents);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        Agent("a1", "AVAILABLE", "s2", "Lunch");

        await _harness.RunAsync(_agents);

        var transition = Assert.Single(Transitions());
        Assert.Equal("s2", Field(transition, "agent_status_id").GetString());
        Assert.Equal("s1", Field(transition, "previous_agent_status_id").GetString());
        Assert.Equal("AVAILABLE", Field(transition, "from").GetString());
    }

    [Fact]
    public async Task CaptureAsync_StatusRenamedUnderTheSameId_EmitsNoTransition()
    {
        Agent("a1", "AVAILABLE", "s1", "Online");
        await _harness.RunAsync(_agents);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        Agent("a1", "AVAILABLE", "s1", "On line");

        await _harness.RunAsync(_agents);

        Assert.Empty(Transitions());
    }

    [Fact]
    public async Task CaptureAsync_StatusNameChangedWithoutIds_EmitsATransition()
    {
        Agent("a1", "AVAILABLE", null, "Online");
        await _harness.RunAsync(_agents);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        Agent("a1", "AVAILABLE", null, "Lunch");

        await _harness.RunAsync(_agents);

        var transition = Assert.Single(Transitions());
        Assert.Equal("Lunch", Field(transition, "agent_status_name").GetString());
        Assert.Equal("Online", Field(transition, "previous_agent_status_name").GetString());
    }

    [Fact]
    public async Task CaptureAsync_AvailabilityChanged_EmitsATransitionFromThePreviousValue()
    {
        Agent("a1", "AVAILABLE", "s1", "Online");
        await _harness.RunAsync(_agents);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        Agent("a1", "UNAVAILABLE", "s1", "Online");

        await _harness.RunAsync(_agents);

        var transition = Assert.Single(Transitions());
        Assert.Equal(("AVAILABLE", "UNAVAILABLE"), (Field(transition, "from").GetString(), Field(transition, "to").GetString()));
    }

    [Fact]
    public async Task CaptureAsync_AgentGoneConfirmedBy404_DeletesItAndForgetsItsAvailability()
    {
        Agent("a1", "AVAILABLE", "s1", "Online");
        Agent("a2", "AVAILABLE", "s1", "Online");
        await _harness.RunAsync(_agents);
        _harness.Freshchat.Agents.Remove("a2");

        await _harness.RunAsync(_agents);

        var deleted = Assert.Single(_harness.LastEvents);
        Assert.Equal(("a2", ChangeOp.Delete), (deleted.Key.Id, deleted.Op));
        Assert.Empty(await _harness.Store.GetFingerprintsAsync(CaptureCatalogue.AgentAvailability, ["a2"]));
    }

    [Fact]
    public async Task CaptureAsync_Snapshot_InventsNoTransition()
    {
        Agent("a1", "AVAILABLE", "s1", "Online");

        await _harness.RunAsync(_agents, CaptureMode.Snapshot);

        Assert.Empty(Transitions());
        Assert.Single(Entities());
    }

    private IEnumerable<ChangeEvent> Entities() => _harness.LastEvents.Where(e => e.Resource.Resource == CaptureCatalogue.Agents);

    private IEnumerable<ChangeEvent> Transitions() => _harness.LastEvents.Where(e => e.Resource.Resource == CaptureCatalogue.AgentAvailability);

    private static System.Text.Json.JsonElement Field(ChangeEvent change, string name) => change.Entity!.Value.GetProperty(name);

    private void Agent(string id, string availability, string? statusId, string statusName)
    {
        var status = statusId is null ? $$"""{"name":"{{statusName}}"}""" : $$"""{"id":"{{statusId}}","name":"{{statusName}}"}""";
        _harness.Freshchat.Agents[id] = $$"""{"id":"{{id}}","availability_status":"{{availability}}","agent_status":{{status}}}""";
    }
}
