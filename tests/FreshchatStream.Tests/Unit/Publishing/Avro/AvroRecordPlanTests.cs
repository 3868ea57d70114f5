using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Tests.Unit.Publishing.Avro.Oracle;
using Xunit.Abstractions;

namespace FreshchatStream.Tests.Unit.Publishing.Avro;

/// <summary>
/// The direct writer (<see cref="AvroRecordPlan"/>) against the <c>GenericRecord</c> path it replaces
/// (<see cref="AvroEventBuilder"/> + <see cref="AvroWireEncoder"/>): the same bytes for every accepted event, and
/// the same exception, message included, for every rejected one. Entities come from the sandbox's generator
/// and the synthetic entities, then every schema field is overwritten with values of every JSON shape.
/// </summary>
[Trait("Issue", "#9")]
public sealed class AvroRecordPlanTests(ITestOutputHelper output)
{
    private const int KeySchemaId = 7;
    private const int ValueSchemaId = 11;
    private static readonly DateTimeOffset CapturedAt = new(2025, 7, 4, 8, 0, 0, 123, TimeSpan.Zero);

    /// <summary>Raw JSON literals written over schema fields; escapes stay escaped in the entity's raw text.</summary>
    private static readonly string[] Palette =
    [
        "null", "\"\"", "\"abc\"", "\"123\"", "\"-5\"", "\"+7\"", "\" 12\"", "\"1.5\"", "\"9223372036854775808\"",
        "0", "123", "-1", "-9223372036854775808", "9223372036854775807", "18446744073709551616", "1.5", "1e3", "-0",
        "true", "false", "\"true\"", "\"FALSE\"", "\"yes\"",
        "\"2025-07-04T07:00:00Z\"", "\"2025-07-04T07:00:00.1234567+02:00\"", "\"2025-07-04T07:00:00\"", "\"2025-07-04 07:00:00\"",
        "\"1969-12-31T23:59:59.9995Z\"", "\"0001-01-01T00:00:00Z\"", "\"Jul 4 2025\"", "\"not a date\"", "1720000000000", "-1500",
        "\"esc\\\"aped \\\\ \\n \\t \\u0001 \\u00e9 \\ud83d\\ude00\"", "\"caf\u00e9 😀 日本\"", "\"\\ud800 lone\"", "\"a/b<c>&'\"",
        "{}", "[]", "{\"a\":[1,{\"b\":null}],\"é\":\"\\u00e9\"}", "[1,\"x\",{\"c\":true}]", "{\"url\":5}", "{\"url\":\"https://cdn/a.png\"}",
        "{\"id\":\"s1\",\"name\":\"Busy\"}", "{\"priority\":\"High\"}", "{\"priority\":3}", "{\"message_id\":\"m0\"}",
        "[{\"text\":{\"content\":\"Hello\"}},{\"image\":{\"url\":\"u\"}},{\"collection\":{\"sub_parts\":[{\"text\":{\"content\":\"nested\"}}]}},5,{}]",
        "[{\"text\":{\"content\":5}}]", "{\"phone_number\":\"+15550100\"}", "{\"ConversationId\":\"c9\",\"Agent ID\":\"\",\"user-id\":7}",
    ];

    private readonly AvroEventBuilder _builder = new();
    private readonly AvroWireEncoder _encoder = new();

    public static TheoryData<string> Resources => [.. CaptureCatalogue.Topics.Select(r => r.Resource)];

    [Fact]
    public void TryCompile_EveryShippedTopicSchema_HasADirectPlan()
    {
        var schemas = EmbeddedSchemas.Instance;
        string[] shipped = ["users", "conversations", "messages", "agents", "agent_availability", "groups", "channels", "roles", "account_configuration",
            "outbound_messages", "report_events", "heartbeat"];
        foreach (var resource in shipped.Select(CaptureCatalogue.Topic))
        {
            Assert.NotNull(AvroRecordPlan.TryCompileKey(schemas.Key(resource)));
            Assert.NotNull(AvroRecordPlan.TryCompileValue(resource, schemas.Value(resource)));
        }
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public void Encode_GeneratedAndMutatedEntities_MatchesGenericRecordPathByteForByte(string resourceName)
    {
        var resource = CaptureCatalogue.Topic(resourceName);
        var valuePlan = AvroRecordPlan.TryCompileValue(resource, EmbeddedSchemas.Instance.Value(resource));
        var keyPlan = AvroRecordPlan.TryCompileKey(EmbeddedSchemas.Instance.Key(resource));
        if (valuePlan is null || keyPlan is null)
        {
            return; // A schema without a plan keeps the GenericRecord path; nothing to compare.
        }

        var topic = $"freshchat.{resource.Resource}";
        var fields = EmbeddedSchemas.Instance.Value(resource).Fields.Select(f => f.Name).Where(n => !n.StartsWith("__", StringComparison.Ordinal)).ToList();
        var random = new Random(resourceName.Length * 7919);
        var compared = 0;
        var rejected = 0;
        foreach (var (entity, index) in Entities(resource).Select((e, i) => (e, i)))
        {
            foreach (var change in Variants(resource, entity, fields, random, everyLiteral: index < 2))
            {
                var (expected, actual) = (Old(change, topic), New(change, topic, keyPlan, valuePlan));
                Assert.True(expected == actual, $"{topic} {change.Op} {change.Entity?.GetRawText()}\nold: {expected}\nnew: {actual}");
                compared++;
                rejected += expected.Error is null ? 0 : 1;
            }
        }

        output.WriteLine($"{topic}: {compared} events compared, {rejected} of them rejected by both paths");
        Assert.True(compared > 200, $"only {compared} {topic} events compared");
        Assert.True(rejected > 0 && rejected < compared, $"{rejected} of {compared} {topic} events rejected: the palette must exercise both outcomes");
    }

    [Fact]
    public void Encode_DeleteEvents_MatchGenericRecordPath()
    {
        foreach (var resource in CaptureCatalogue.Topics)
        {
            var valuePlan = AvroRecordPlan.TryCompileValue(resource, EmbeddedSchemas.Instance.Value(resource));
            var keyPlan = AvroRecordPlan.TryCompileKey(EmbeddedSchemas.Instance.Key(resource));
            if (valuePlan is null || keyPlan is null)
            {
                continue;
            }

            var key = resource.KeyKind == TopicKeyKind.Message ? new ChangeEventKey("m\"1é", "c\\1") : new ChangeEventKey("id-ü-😀");
            var change = ChangeEvent.Deleted(resource, key, CapturedAt, "acme", $"/v2/{resource.Resource}/x");
            var topic = $"freshchat.{resource.Resource}";
            Assert.Equal(Old(change, topic), New(change, topic, keyPlan, valuePlan));
        }
    }

    [Fact]
    public void Encode_RejectedValue_ThrowsTheSameReasonAsTheBuilder()
    {
        var resource = CaptureCatalogue.UsersTopic;
        var change = ChangeEvent.ForEntity(resource, ChangeOp.Create, JsonDocument.Parse("""{"id":"u1","login_status":"maybe","org_contact_id":{"x":1}}""").RootElement,
            CapturedAt, "acme", "/v2/users/u1");
        var plan = AvroRecordPlan.TryCompileValue(resource, EmbeddedSchemas.Instance.Value(resource))!;

        var error = Assert.Throws<AvroMappingException>(() => plan.Encode(ValueSchemaId, change, "freshchat.users", "e1"));

        Assert.Equal("login_status", error.Field);
        Assert.Equal("Cannot serialize freshchat.users record {\"id\":\"u1\"}: field 'login_status' expects a boolean but got a string of 5 characters.", error.Message);
    }

    private Outcome Old(ChangeEvent change, string topic)
    {
        try
        {
            var eventId = change.EventId(topic);
            var key = _builder.BuildKey(change);
            var value = _builder.BuildValue(change, topic, eventId);
            return new Outcome(Convert.ToHexString(_encoder.Encode(KeySchemaId, key)), Convert.ToHexString(_encoder.Encode(ValueSchemaId, value)), null);
        }
        catch (Exception e)
        {
            return new Outcome(null, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static Outcome New(ChangeEvent change, string topic, AvroRecordPlan keyPlan, AvroRecordPlan valuePlan)
    {
        try
        {
            var eventId = change.EventId(topic);
            var key = keyPlan.Encode(KeySchemaId, change, topic, eventId);
            var value = valuePlan.Encode(ValueSchemaId, change, topic, eventId);
            return new Outcome(Convert.ToHexString(key), Convert.ToHexString(value), null);
        }
        catch (Exception e)
        {
            return new Outcome(null, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Each entity as c/u/r and its d event, then variants with one field set to a palette value or removed: every
    /// literal for the first entities of a resource, three random ones for the rest.
    /// </summary>
    private static IEnumerable<ChangeEvent> Variants(TopicDescriptor resource, JsonObject entity, IReadOnlyList<string> fields, Random random, bool everyLiteral)
    {
        foreach (var op in (ChangeOp[])[ChangeOp.Create, ChangeOp.Update, ChangeOp.Snapshot])
        {
            if (TryEvent(resource, op, Render(entity, null, null)) is { } change)
            {
                yield return change;
                yield return ChangeEvent.Deleted(resource, change.Key, CapturedAt, "acme", "/v2/deleted");
            }
        }

        foreach (var field in fields)
        {
            if (field == resource.IdField || (resource.KeyKind == TopicKeyKind.Message && field == "conversation_id"))
            {
                continue; // The key's columns come from the key; capture never builds an event without them.
            }

            var picks = everyLiteral ? Enumerable.Range(0, Palette.Length + 1) : Enumerable.Range(0, 3).Select(_ => random.Next(Palette.Length + 1));
            foreach (var pick in picks)
            {
                var literal = pick == Palette.Length ? null : Palette[pick];
                if (TryEvent(resource, ChangeOp.Update, Render(entity, field, literal)) is { } change)
                {
                    yield return change;
                }
            }

            // Names the one-pass property lookup must treat as TryGetProperty does: duplicated, and escaped.
            var literalForName = Palette[random.Next(Palette.Length)];
            foreach (var json in (string[])[Render(entity, field, literalForName, duplicate: true), Render(entity, field, literalForName, escapeName: true)])
            {
                if (TryEvent(resource, ChangeOp.Update, json) is { } change)
                {
                    yield return change;
                }
            }
        }
    }

    // The fingerprint is given so that values capture could not fingerprint (a lone surrogate) still reach the encoders.
    private static ChangeEvent? TryEvent(TopicDescriptor resource, ChangeOp op, string json)
    {
        try
        {
            return ChangeEvent.ForEntity(resource, op, JsonDocument.Parse(json).RootElement, CapturedAt, "acme", $"/v2/{resource.Resource}",
                fingerprint: Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(json))));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The entity's JSON text with <paramref name="field"/> set to a raw literal (null: removed); raw escapes are kept.</summary>
    private static string Render(JsonObject entity, string? field, string? literal, bool duplicate = false, bool escapeName = false)
    {
        var text = new StringBuilder("{");
        var first = true;
        void Member(string name, string raw)
        {
            text.Append(first ? "" : ",").Append(JsonSerializer.Serialize(name)).Append(':').Append(raw);
            first = false;
        }

        foreach (var (name, node) in entity)
        {
            if (name != field || duplicate)
            {
                Member(name, node?.ToJsonString() ?? "null");
            }
        }

        if (field is not null && literal is not null)
        {
            if (escapeName)
            {
                text.Append(first ? "" : ",").Append($"\"\\u{(int)field[0]:x4}{field[1..]}\":").Append(literal);
                first = false;
            }
            else
            {
                Member(field, literal);
            }
        }

        return text.Append('}').ToString();
    }

    private static IEnumerable<JsonObject> Entities(TopicDescriptor resource)
    {
        var data = new FreshchatDataStore(new FreshchatEmulatorOptions { Users = 40, ConversationsPerUser = 0.5, MessagesPerConversation = 6, Seed = 9 }, new EmulatorBehaviour());
        var observedAt = new DateTimeOffset(2025, 7, 4, 7, 59, 58, 999, TimeSpan.Zero);
        IEnumerable<JsonObject> entities = resource.Resource switch
        {
            "users" => data.EnumerateUsers().Take(15),
            "conversations" => data.EnumerateConversationIds().Take(10).Select(id => data.GetConversation(id)!),
            "messages" => data.EnumerateConversationIds().Take(4).SelectMany(id => data.GetMessages(id) ?? []).Take(15),
            "agents" => data.GetAgents().Take(8),
            "groups" => data.GetGroups(),
            "channels" => data.GetChannels(),
            "roles" => data.GetRoles(),
            "account_configuration" => [WithAccountId(data.GetAccountConfiguration())],
            "agent_availability" =>
            [
                new AgentAvailabilityTransition("a1", null, "online", "s1", "Available", null, null, observedAt, null).ToJson(),
                new AgentAvailabilityTransition("a2", "online", "offline", null, null, "s1", "Available", observedAt, observedAt.AddHours(-1)).ToJson(),
            ],
            "report_events" =>
            [
                ReportEventRow.Create("Conversation-Created", observedAt.AddHours(-1), observedAt, 3,
                    [new("Conversation ID", "c1"), new("Agent Id", ""), new("USER_ID", "u1"), new("group id", "g1"), new("Note", "é \"x\"")]),
                ReportEventRow.Create("Agent-Activity", observedAt.AddHours(-2), observedAt.AddHours(-1), 0, []),
            ],
            "heartbeat" =>
            [
                ToObject(CycleHeartbeat.ToChangeEvent("acme", observedAt, TimeSpan.FromMilliseconds(1234), 17, ["users"], ["messages", "agents"], CapturedAt)),
                ToObject(CycleHeartbeat.ToChangeEvent("acme", observedAt, TimeSpan.Zero, 0, [], [], CapturedAt)),
            ],
            "outbound_messages" =>
            [
                JsonNode.Parse("""{"message_id":"om1","request_id":"r1","provider":"whatsapp","status":"Sent","created_on":1720000000,"from":{"phone_number":"+15550100"},"to":{"phone_number":"+15550101"},"data":{"message_template":{"storage":"none","template_name":"t"}}}""")!.AsObject(),
                JsonNode.Parse("""{"message_id":"om2","status":"Failed","created_on":"2025-07-04T07:00:00Z","failure_code":"E1","failure_reason":"blocked"}""")!.AsObject(),
            ],
            _ => [WithId(resource, JsonNode.Parse("""{"action":"message_create","actor":{"actor_type":"user"},"data":{"message":{"id":"m1"}}}""")!.AsObject())],
        };
        return entities.Select(e => e.DeepClone().AsObject());
    }

    private static JsonObject ToObject(ChangeEvent change) => JsonNode.Parse(change.Entity!.Value.GetRawText())!.AsObject();

    private static JsonObject WithAccountId(JsonObject configuration)
    {
        configuration["account_id"] ??= "acct-1";
        return configuration;
    }

    private static JsonObject WithId(TopicDescriptor resource, JsonObject entity)
    {
        entity[resource.IdField] ??= "e-1";
        if (resource.KeyKind == TopicKeyKind.Message)
        {
            entity["conversation_id"] ??= "c-1";
        }

        return entity;
    }

    private sealed record Outcome(string? Key, string? Value, string? Error);
}
