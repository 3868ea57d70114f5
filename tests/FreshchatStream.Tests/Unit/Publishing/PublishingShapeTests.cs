using System.Text;
using System.Text.Json;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Producer.Publishing.Kafka;

namespace FreshchatStream.Tests.Unit.Publishing;

public sealed class PublishingShapeTests
{
    private static readonly DateTimeOffset CapturedAt = new(2025, 7, 4, 8, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void All_TopicNames_AreResourcesUnderThePrefixPlusDlq()
    {
        var topics = new TopicNames("acme").All();

        Assert.Equal(
            ["acme.account_configuration", "acme.roles", "acme.groups", "acme.channels", "acme.agents", "acme.agent_availability", "acme.outbound_messages",
             "acme.users", "acme.report_events", "acme.conversations", "acme.messages", "acme.heartbeat", "acme.webhook_events", "acme.dlq"],
            topics.Select(t => t.Name));
        Assert.Equal(
            ["acme.agent_availability", "acme.report_events", "acme.messages", "acme.heartbeat", "acme.webhook_events", "acme.dlq"],
            topics.Where(t => t.Cleanup == TopicCleanup.Delete).Select(t => t.Name));
    }

    [Fact]
    public void Create_CloudEventHeaders_FollowBinaryMode()
    {
        var change = ChangeEvent.ForEntity(CaptureCatalogue.UsersTopic, ChangeOp.Update, JsonDocument.Parse("""{"id":"u1"}""").RootElement, CapturedAt, "acme", "/v2/users");
        var headers = CloudEventHeaders.Create(change, "0123");

        string Header(string name) => Encoding.UTF8.GetString(headers.GetLastBytes(name));
        Assert.Equal("1.0", Header("ce_specversion"));
        Assert.Equal("0123", Header("ce_id"));
        Assert.Equal("freshchat.user.updated", Header("ce_type"));
        Assert.Equal("freshchat-stream/acme", Header("ce_source"));
        Assert.Equal("2025-07-04T08:00:00.123Z", Header("ce_time"));
        Assert.Equal("u1", Header("ce_subject"));
    }

    [Theory]
    [InlineData(ChangeOp.Create, "freshchat.message.created")]
    [InlineData(ChangeOp.Snapshot, "freshchat.message.snapshot")]
    public void EventType_Op_MapsToVerb(ChangeOp op, string expected)
    {
        var change = ChangeEvent.ForEntity(CaptureCatalogue.MessagesTopic, op, JsonDocument.Parse("""{"id":"m","conversation_id":"c"}""").RootElement, CapturedAt, "a", "/x");

        Assert.Equal(expected, CloudEventHeaders.EventType(change));
    }

    [Fact]
    public void Build_DeadLetter_KeepsRawJsonAndReasonHeaders()
    {
        var change = ChangeEvent.ForEntity(CaptureCatalogue.AgentsTopic, ChangeOp.Create, JsonDocument.Parse("""{"id":"a1","agent_capacity":"abc"}""").RootElement, CapturedAt, "acme", "/v2/agents");
        var reason = new AvroMappingException("acme.agents", "agent_capacity", change.Key.CanonicalJson, "expects a long but got a string of 3 characters");

        var message = DeadLetterPublisher.Build(change, "acme.agents", "e1", reason, CapturedAt);

        string Header(string name) => Encoding.UTF8.GetString(message.Headers.GetLastBytes(name));
        Assert.Equal("""{"id":"a1","agent_capacity":"abc"}""", Encoding.UTF8.GetString(message.Value));
        Assert.Equal("""{"id":"a1"}""", Encoding.UTF8.GetString(message.Key));
        Assert.Contains("agent_capacity", Header("dlq_reason"));
        Assert.Equal("acme.agents", Header("dlq_topic"));
        Assert.Equal(typeof(AvroMappingException).FullName, Header("dlq_exception"));
        Assert.Equal("c", Header("dlq_op"));
        Assert.Equal("e1", Header("dlq_event_id"));
    }

    [Fact]
    public void AllDelivered_OnlyWhenEveryEventPersistedOrDeadLettered()
    {
        Assert.True(new DeliveryOutcome(3, 2, 1, 0, 0, []).AllDelivered);
        Assert.False(new DeliveryOutcome(3, 2, 0, 0, 0, []).AllDelivered);
        Assert.False(new DeliveryOutcome(3, 2, 0, 0, 1, []).AllDelivered);
        Assert.False(new DeliveryOutcome(1, 1, 0, 0, 0, [new DeliveryFailure("t", "k", "x")]).AllDelivered);
    }
}
