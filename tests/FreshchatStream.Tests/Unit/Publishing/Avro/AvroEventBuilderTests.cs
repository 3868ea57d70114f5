using System.Text.Json;
using Avro.Generic;
using Avro.IO;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Tests.Unit.Publishing.Avro.Oracle;

namespace FreshchatStream.Tests.Unit.Publishing.Avro;

public sealed class AvroEventBuilderTests
{
    private static readonly DateTimeOffset CapturedAt = new(2025, 7, 4, 8, 0, 0, 123, TimeSpan.Zero);
    private readonly AvroEventBuilder _builder = new();

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private GenericRecord Build(TopicDescriptor resource, string json, ChangeOp op = ChangeOp.Create)
    {
        var change = ChangeEvent.ForEntity(resource, op, Json(json), CapturedAt, "acme", $"/v2/{resource.Resource}");
        return _builder.BuildValue(change, $"freshchat.{resource.Resource}", change.EventId($"freshchat.{resource.Resource}"));
    }

    [Fact]
    public void BuildValue_User_MapsMetadataTimestampsAndJsonColumns()
    {
        const string user = """
            {"id":"u1","created_time":"2025-07-03T21:31:59.088Z","updated_time":"2025-07-04T07:00:00.000Z","email":"a@b.c",
             "avatar":{"url":"https://cdn/x.png"},"properties":[{"name":"plan","value":"Pro"}],"login_status":true,
             "org_contact_id":1234567,"unknown_new_field":{"x":1}}
            """;

        var record = Build(CaptureCatalogue.UsersTopic, user);

        Assert.Equal("c", record["__op"]);
        Assert.Equal(false, record["__deleted"]);
        Assert.Equal(CapturedAt.UtcDateTime, record["__captured_at"]);
        Assert.Equal(new DateTime(2025, 7, 4, 7, 0, 0, DateTimeKind.Utc), record["__source_ts"]);
        Assert.Equal("acme", record["__account"]);
        Assert.Equal("/v2/users", record["__endpoint"]);
        Assert.Matches("^[0-9a-f]{32}$", (string)record["__event_id"]);
        Assert.Equal("u1", record["id"]);
        Assert.Equal(new DateTime(2025, 7, 3, 21, 31, 59, 88, DateTimeKind.Utc), record["created_time"]);
        Assert.Equal(true, record["login_status"]);
        Assert.Equal("1234567", record["org_contact_id"]);
        Assert.Equal("""{"url":"https://cdn/x.png"}""", record["avatar"]);
        Assert.Equal("https://cdn/x.png", record["avatar_url"]);
        Assert.Equal("""[{"name":"plan","value":"Pro"}]""", record["properties"]);
        Assert.Equal(JsonDocument.Parse(user).RootElement.GetRawText(), record["raw_json"]);
    }

    [Fact]
    public void BuildValue_OmittedOptionalFields_AreNull()
    {
        var record = Build(CaptureCatalogue.ConversationsTopic, """{"conversation_id":"c1","app_id":"a","status":"new","channel_id":"ch","skill_id":0}""");

        Assert.Equal("c1", record["conversation_id"]);
        Assert.Equal("0", record["skill_id"]);
        Assert.Null(record["assigned_agent_id"]);
        Assert.Null(record["updated_time"]);
        Assert.Null(record["__source_ts"]);
        Assert.Null(record["properties"]);
        Assert.Null(record["priority"]);
    }

    [Fact]
    public void BuildValue_Message_DerivesTextPartTypesAndKeyColumns()
    {
        const string message = """
            {"id":"m1","conversation_id":"c1","created_time":"2025-07-03T10:00:00.000Z","actor_type":"user",
             "message_parts":[{"text":{"content":"Hello"}},{"image":{"url":"u"}},
                              {"collection":{"sub_parts":[{"text":{"content":"nested"}}]}}],
             "in_reply_to":{"message_id":"m0"},"meta_data":{"isResolved":true}}
            """;

        var record = Build(CaptureCatalogue.MessagesTopic, message);

        Assert.Equal("m1", record["id"]);
        Assert.Equal("c1", record["conversation_id"]);
        Assert.Equal("Hello\nnested", record["text"]);
        Assert.Equal("text,image,collection", record["part_types"]);
        Assert.Equal("m0", record["in_reply_to_message_id"]);
        Assert.Equal("""{"isResolved":true}""", record["meta_data"]);
        Assert.Equal(new DateTime(2025, 7, 3, 10, 0, 0, DateTimeKind.Utc), record["__source_ts"]);
    }

    [Fact]
    public void BuildValue_AgentAndOutbound_DeriveConvenienceColumns()
    {
        var agent = Build(CaptureCatalogue.AgentsTopic, """{"id":"a1","agent_status":{"id":"s1","name":"Tea break"},"agent_capacity":"5","freshchat_access":true}""");
        var outbound = Build(CaptureCatalogue.OutboundMessagesTopic, """{"message_id":"o1","created_on":1720000000,"from":{"phone_number":"+1"},"to":{"phone_number":"+2"}}""");

        Assert.Equal("s1", agent["agent_status_id"]);
        Assert.Equal("Tea break", agent["agent_status_name"]);
        Assert.Equal(5L, agent["agent_capacity"]);
        Assert.Equal("true", agent["freshchat_access"]);
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1720000000), outbound["created_on"]);
        Assert.Equal("+1", outbound["from_phone_number"]);
        Assert.Equal("+2", outbound["to_phone_number"]);
    }

    [Fact]
    public void BuildValue_ReportRow_FindsIdColumnsByNormalisedName()
    {
        var record = Build(CaptureCatalogue.ReportEventsTopic, """
            {"id":"Conversation-Created:1:1","event":"Conversation-Created","window_start":"2025-07-01T00:00:00Z",
             "window_end":"2025-07-02T00:00:00Z","row_number":1,"row":{"Conversation ID":"c9","Agent Id":"","Created At":"x"}}
            """);

        Assert.Equal("c9", record["conversation_id"]);
        Assert.Null(record["agent_id"]);
        Assert.Equal(1L, record["row_number"]);
        Assert.Equal(new DateTime(2025, 7, 1, 0, 0, 0, DateTimeKind.Utc), record["window_start"]);
    }

    [Fact]
    public void BuildValue_AccountConfiguration_NumericIdBecomesKeyAndColumnText()
    {
        var change = ChangeEvent.ForEntity(CaptureCatalogue.AccountConfigurationTopic, ChangeOp.Create, Json("""{"account_id":100042,"bundle_id":0}"""), CapturedAt, "acme", "/v2/accounts/configuration");
        var record = _builder.BuildValue(change, "freshchat.account_configuration", "id");

        Assert.Equal("100042", change.Key.Id);
        Assert.Equal("100042", record["account_id"]);
        Assert.Equal("0", record["bundle_id"]);
    }

    [Fact]
    public void BuildValue_Delete_CarriesOnlyKeyAndMetadata()
    {
        var change = ChangeEvent.Deleted(CaptureCatalogue.UsersTopic, new ChangeEventKey("u1"), CapturedAt, "acme", "/v2/users/u1");
        var record = _builder.BuildValue(change, "freshchat.users", change.EventId("freshchat.users"));

        Assert.Equal("d", record["__op"]);
        Assert.Equal(true, record["__deleted"]);
        Assert.Equal("u1", record["id"]);
        Assert.Null(record["raw_json"]);
        Assert.Null(record["__source_ts"]);
        Assert.All(record.Schema.Fields.Where(f => !f.Name.StartsWith("__", StringComparison.Ordinal) && f.Name != "id"), f => Assert.Null(record[f.Name]));
    }

    [Theory]
    [InlineData("""{"id":"a1","agent_capacity":"abc"}""", "agent_capacity", "long")]
    [InlineData("""{"id":"a1","is_deactivated":"maybe"}""", "is_deactivated", "boolean")]
    [InlineData("""{"id":"a1","created_time":"not a time"}""", "created_time", "timestamp")]
    [InlineData("""{"id":"a1","agent_capacity":1.5}""", "agent_capacity", "long")]
    public void BuildValue_ValueThatDoesNotFit_ThrowsNamingTopicFieldAndId(string json, string field, string expectedType)
    {
        var e = Assert.Throws<AvroMappingException>(() => Build(CaptureCatalogue.AgentsTopic, json));

        Assert.Equal("freshchat.agents", e.Topic);
        Assert.Equal(field, e.Field);
        Assert.Contains("a1", e.Message);
        Assert.Contains(field, e.Message);
        Assert.Contains(expectedType, e.Message);
        Assert.DoesNotContain("abc", e.Message.Replace("a1", ""));
    }

    [Fact]
    public void BuildValue_RequiredAvailabilityColumnMissing_Throws()
    {
        var e = Assert.Throws<AvroMappingException>(() => Build(CaptureCatalogue.AgentAvailabilityTopic, """{"agent_id":"a1","observed_at":"2025-07-01T00:00:00Z"}"""));

        Assert.Equal("to", e.Field);
    }

    [Fact]
    public void BuildValue_EveryResource_RoundTripsThroughAvroBinary()
    {
        foreach (var resource in CaptureCatalogue.Topics)
        {
            var json = resource == CaptureCatalogue.AgentAvailabilityTopic
                ? """{"agent_id":"a1","from":null,"to":"AVAILABLE","observed_at":"2025-07-01T00:00:00.000Z"}"""
                : resource == CaptureCatalogue.MessagesTopic
                    ? """{"id":"m1","conversation_id":"c1","created_time":"2025-07-01T00:00:00.000Z"}"""
                    : $$"""{"{{resource.IdField}}":"x1","updated_time":"2025-07-01T00:00:00.000Z"}""";
            var record = Build(resource, json);

            using var stream = new MemoryStream();
            new GenericDatumWriter<GenericRecord>(record.Schema).Write(record, new BinaryEncoder(stream));
            stream.Position = 0;
            var read = new GenericDatumReader<GenericRecord>(record.Schema, record.Schema).Read(null!, new BinaryDecoder(stream));

            Assert.Equal(record["__event_id"], read["__event_id"]);
            Assert.Equal(CapturedAt.UtcDateTime, read["__captured_at"]);
            Assert.Equal(record["raw_json"], read["raw_json"]);
        }
    }

    [Fact]
    public void BuildKey_Message_HasConversationAndId()
    {
        var change = ChangeEvent.ForEntity(CaptureCatalogue.MessagesTopic, ChangeOp.Create, Json("""{"id":"m1"}"""), CapturedAt, "acme", "/v2/conversations/c1/messages", conversationId: "c1");
        var key = _builder.BuildKey(change);

        Assert.Equal("c1", key["conversation_id"]);
        Assert.Equal("m1", key["id"]);
        Assert.Equal("MessageKey", key.Schema.Name);
    }

    [Fact]
    public void ForEntity_MissingId_Throws()
    {
        Assert.Throws<ArgumentException>(() => ChangeEvent.ForEntity(CaptureCatalogue.UsersTopic, ChangeOp.Create, Json("""{"email":"x"}"""), CapturedAt, "acme", "/v2/users"));
        Assert.Throws<ArgumentException>(() => ChangeEvent.ForEntity(CaptureCatalogue.MessagesTopic, ChangeOp.Create, Json("""{"id":"m1"}"""), CapturedAt, "acme", "/v2/x"));
    }
}
