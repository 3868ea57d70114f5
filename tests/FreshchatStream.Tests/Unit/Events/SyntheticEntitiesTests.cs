using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Tests.Unit.Publishing.Avro.Oracle;

namespace FreshchatStream.Tests.Unit.Events;

public sealed class SyntheticEntitiesTests
{
    private static readonly DateTimeOffset T0 = new(2025, 7, 3, 10, 0, 0, 5, TimeSpan.Zero);

    [Fact]
    public void ToChangeEvent_FirstSighting_MapsToTheAvailabilitySchemaWithNullFrom()
    {
        var change = new AgentAvailabilityTransition("a1", null, "AVAILABLE", "s1", "Online", null, null, T0, null).ToChangeEvent(T0, "acme");
        var record = new AvroEventBuilder().BuildValue(change, "freshchat.agent_availability", change.EventId("freshchat.agent_availability"));

        Assert.Equal("a1", change.Key.Id);
        Assert.Null(record["from"]);
        Assert.Equal("AVAILABLE", record["to"]);
        Assert.Equal("Online", record["agent_status_name"]);
        Assert.Equal(T0.UtcDateTime, record["observed_at"]);
        Assert.Null(record["previous_observed_at"]);
    }

    [Fact]
    public void ToChangeEvent_TwoTransitionsOfOneAgent_HaveDifferentEventIds()
    {
        var first = new AgentAvailabilityTransition("a1", null, "AVAILABLE", null, null, null, null, T0, null).ToChangeEvent(T0, "acme");
        var second = new AgentAvailabilityTransition("a1", "AVAILABLE", "UNAVAILABLE", null, null, null, null, T0.AddMinutes(1), T0).ToChangeEvent(T0, "acme");

        Assert.NotEqual(first.EventId("t"), second.EventId("t"));
    }

    [Fact]
    public void Create_ReportRow_HasStableIdAndMapsColumns()
    {
        var row = ReportEventRow.Create("Conversation-Created", T0, T0.AddDays(1), 7, [new("Conversation ID", "c1"), new("Group Id", "g1")]);
        var change = ReportEventRow.ToChangeEvent(row, T0, "acme");
        var record = new AvroEventBuilder().BuildValue(change, "freshchat.report_events", "e");

        Assert.Equal($"Conversation-Created:{T0.ToUnixTimeMilliseconds()}:7", change.Key.Id);
        Assert.Equal("c1", record["conversation_id"]);
        Assert.Equal("g1", record["group_id"]);
        Assert.Equal(7L, record["row_number"]);
        Assert.Equal("""{"Conversation ID":"c1","Group Id":"g1"}""", record["row"]);
    }
}
