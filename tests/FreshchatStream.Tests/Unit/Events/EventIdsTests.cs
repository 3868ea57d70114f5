using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;

namespace FreshchatStream.Tests.Unit.Events;

public sealed class EventIdsTests
{
    private static readonly DateTimeOffset Now = new(2025, 7, 3, 21, 31, 59, 88, TimeSpan.Zero);

    private static ChangeEvent User(ChangeOp op, string json = """{"id":"u1","email":"a@b.c"}""") =>
        ChangeEvent.ForEntity(CaptureCatalogue.UsersTopic, op, JsonDocument.Parse(json).RootElement, Now, "acme", "/v2/users");

    [Fact]
    public void Compute_SameVersion_SameIdForCreateUpdateAndSnapshot()
    {
        var ids = new[] { ChangeOp.Create, ChangeOp.Update, ChangeOp.Snapshot }.Select(op => User(op).EventId("freshchat.users")).Distinct().ToList();

        var id = Assert.Single(ids);
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Fact]
    public void Compute_Repeated_IsDeterministic()
    {
        Assert.Equal(User(ChangeOp.Update).EventId("freshchat.users"), User(ChangeOp.Update, """{ "email":"a@b.c", "id":"u1" }""").EventId("freshchat.users"));
    }

    [Fact]
    public void Compute_DeleteOrOtherVersionOrTopic_DiffersFromTheVersionId()
    {
        var version = User(ChangeOp.Update).EventId("freshchat.users");
        var delete = ChangeEvent.Deleted(CaptureCatalogue.UsersTopic, new ChangeEventKey("u1"), Now, "acme", "/v2/users/u1").EventId("freshchat.users");

        Assert.NotEqual(version, delete);
        Assert.NotEqual(version, User(ChangeOp.Update, """{"id":"u1","email":"x@b.c"}""").EventId("freshchat.users"));
        Assert.NotEqual(version, User(ChangeOp.Update).EventId("other.users"));
    }

    [Fact]
    public void Compute_MatchesDocumentedByteEncoding()
    {
        var key = new ChangeEventKey("m1", "c1");
        var input = "freshchat.messages\n{\"conversation_id\":\"c1\",\"id\":\"m1\"}\ndelete";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input))[..16]);

        Assert.Equal(expected, EventIds.Compute("freshchat.messages", key, fingerprint: null));
    }

    [Fact]
    public void ChangeEventKey_CanonicalJson_EscapesAndOrdersFields()
    {
        Assert.Equal("{\"id\":\"a\\\"b\"}", new ChangeEventKey("a\"b").CanonicalJson);
        Assert.Equal("{\"conversation_id\":\"c\",\"id\":\"m\"}", new ChangeEventKey("m", "c").CanonicalJson);
    }

    [Fact]
    public void Compute_DocumentedExample_MatchesDocsTopicsAndSchemas()
    {
        // The worked example in docs/topics-and-schemas.md; if this fails, fix the document too.
        var user = JsonDocument.Parse("""
            {"id":"8f2c1d3e-0b4a-4c5e-9f6a-7b8c9d0e1f2a","created_time":"2025-07-03T21:31:59.088Z","updated_time":"2025-07-04T07:58:00.000Z",
             "email":"ada@example.com","first_name":"Ada","properties":[{"name":"plan","value":"Pro"}],"login_status":true}
            """).RootElement;
        var change = ChangeEvent.ForEntity(CaptureCatalogue.UsersTopic, ChangeOp.Create, user, Now, "acme", "/v2/users");

        Assert.Equal("e654ccc16fbcd0d2bc0521aba1dc8c6183c95cf8b5cd0ae0194b5ee6dd90c47b", change.Fingerprint);
        Assert.Equal("71bb2a2cbb1a125fe20640222a27fdb3", change.EventId("freshchat.users"));
        Assert.Equal("58bc4be202ca442e5794f6489bebfc2a", EventIds.Compute("freshchat.users", change.Key, fingerprint: null));
    }
}
