using System.Text.Json;
using FreshchatStream.Producer.Capture;
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
}
