using System.Text.Json;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Freshchat.Models;

namespace FreshchatStream.Tests.Unit.Capture;

public sealed class AgentAvailabilityStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);

    private static FreshchatAgent Agent(string json) => new(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void Serialize_RoundTrips()
    {
        var state = AgentAvailabilityState.Observe(Agent("""{"id":"a1","availability_status":"UNAVAILABLE","agent_status":{"id":"s2","name":"Tea break ☕"}}"""), Now);

        var loaded = AgentAvailabilityState.Parse(state.Serialize());

        Assert.Equal(state, loaded);
    }

    [Fact]
    public void SameAvailability_CustomStatusChangedWhileUnavailable_IsATransition()
    {
        var lunch = AgentAvailabilityState.Observe(Agent("""{"id":"a1","availability_status":"UNAVAILABLE","agent_status":{"id":"s2","name":"Lunch"}}"""), Now);
        var meeting = AgentAvailabilityState.Observe(Agent("""{"id":"a1","availability_status":"UNAVAILABLE","agent_status":{"id":"s3","name":"Meeting"}}"""), Now.AddMinutes(1));

        Assert.False(lunch.SameAvailability(meeting));
        Assert.True(lunch.SameAvailability(lunch with { ObservedAt = Now.AddHours(1) }));
    }

    [Fact]
    public void Observe_AgentWithoutAvailability_IsUnknownNotSkipped()
    {
        var state = AgentAvailabilityState.Observe(Agent("""{"id":"a1"}"""), Now);

        Assert.Equal("UNKNOWN", state.To);
        Assert.Null(state.StatusId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"V\":1}")]
    public void Parse_MissingOrUnreadable_IsFirstSighting(string? stored)
    {
        Assert.Null(AgentAvailabilityState.Parse(stored));
    }

    [Fact]
    [Trait("Issue", "#17")]
    public void SameAvailability_NameOnlyStatusesWhileUnavailable_AreKeyedOnTheName()
    {
        var meeting = AgentAvailabilityState.Observe(Agent("""{"id":"a1","availability_status":"UNAVAILABLE","agent_status":{"name":"In a meeting"}}"""), Now);
        var tea = AgentAvailabilityState.Observe(Agent("""{"id":"a1","availability_status":"UNAVAILABLE","agent_status":{"name":"Tea break"}}"""), Now.AddMinutes(1));

        Assert.Null(tea.StatusId);
        Assert.Equal("Tea break", tea.StatusName);
        Assert.False(meeting.SameAvailability(tea));
        Assert.True(tea.SameAvailability(tea with { ObservedAt = Now.AddHours(1) }));
    }

    [Fact]
    [Trait("Issue", "#17")]
    public void SameAvailability_StatusIdKnown_IgnoresARenamedStatus()
    {
        var before = AgentAvailabilityState.Observe(Agent("""{"id":"a1","availability_status":"UNAVAILABLE","agent_status":{"id":"s2","name":"Tea"}}"""), Now);
        var renamed = AgentAvailabilityState.Observe(Agent("""{"id":"a1","availability_status":"UNAVAILABLE","agent_status":{"id":"s2","name":"Tea break"}}"""), Now);

        Assert.True(before.SameAvailability(renamed));
    }

    /// <summary>State exactly as the previous release wrote it (both id and name stored) meets either payload shape.</summary>
    [Theory]
    [Trait("Issue", "#17")]
    [InlineData("""{"id":"a1","availability_status":"UNAVAILABLE","agent_status":{"id":"s2","name":"Tea break ☕"}}""", true)]
    [InlineData("""{"id":"a1","availability_status":"UNAVAILABLE","agent_status":{"name":"Tea break ☕"}}""", true)]
    [InlineData("""{"id":"a1","availability_status":"UNAVAILABLE","agent_status":{"name":"In a meeting"}}""", false)]
    [InlineData("""{"id":"a1","availability_status":"AVAILABLE","agent_status":{"id":"s2","name":"Tea break ☕"}}""", false)]
    public void SameAvailability_StateStoredByThePreviousRelease_OnlyRealChangesAreTransitions(string agent, bool same)
    {
        const string stored = """{"V":1,"To":"UNAVAILABLE","StatusId":"s2","StatusName":"Tea break ☕","ObservedAt":"2026-02-03T04:05:06+00:00"}""";
        var previous = AgentAvailabilityState.Parse(stored)!;

        Assert.Equal(same, previous.SameAvailability(AgentAvailabilityState.Observe(Agent(agent), Now)));
    }
}
