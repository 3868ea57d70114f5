using System.Text;
using FreshchatStream.Producer.State;
using FreshchatStream.Producer.Webhooks;

namespace FreshchatStream.Tests.Unit.Webhooks;

/// <summary>Reading the four webhook shapes of freshchat-api.md §7, and refusing what is not one.</summary>
public sealed class WebhookNotificationTests
{
    [Fact]
    public void TryParse_MessageCreate_ReadsActorConversationAndMessage()
    {
        var body = File.ReadAllBytes(WebhookSignatureTests.Sample("message_create.json"));

        var notification = WebhookNotification.TryParse(body, "2", out _);

        Assert.NotNull(notification);
        Assert.Equal("message_create", notification.Action);
        Assert.Equal("user", notification.ActorType);
        Assert.Equal("2b3c4d5e-0000-4000-8000-000000000001", notification.ActorId);
        Assert.Equal("2022-11-22T10:55:23.126Z", notification.ActionTime);
        Assert.Equal("5d6e7f80-0000-4000-8000-0000000000cv", notification.ConversationId);
        Assert.Equal("9f8e7d6c-0000-4000-8000-0000000000m1", notification.MessageId);
        Assert.Equal("2", notification.PayloadVersion);
        Assert.Equal(32, notification.Id.Length);
    }

    [Theory]
    [InlineData("conversation_assignment", "assignment")]
    [InlineData("conversation_resolution", "resolve")]
    [InlineData("conversation_reopen", "reopen")]
    public void TryParse_ConversationEvents_ReadTheNestedConversationId(string action, string dataObject)
    {
        var body = Encoding.UTF8.GetBytes("""
            {"actor":{"actor_type":"agent","actor_id":"a-1"},"action":"ACTION","action_time":"2026-11-30T10:00:00.000Z",
             "data":{"OBJECT":{"conversation":{"conversation_id":"conv-7","status":"x"},"interaction_id":"i-1"}}}
            """.Replace("ACTION", action, StringComparison.Ordinal).Replace("OBJECT", dataObject, StringComparison.Ordinal));

        var notification = WebhookNotification.TryParse(body, null, out _);

        Assert.NotNull(notification);
        Assert.Equal(action, notification.Action);
        Assert.Equal("conv-7", notification.ConversationId);
        Assert.Null(notification.MessageId);
        Assert.Null(notification.PayloadVersion);
    }

    [Theory]
    [Trait("Issue", "#21")]
    [InlineData("message_create", ConversationSignal.Messages)]
    [InlineData("conversation_assignment", ConversationSignal.Status)]
    [InlineData("conversation_resolution", ConversationSignal.Status)]
    [InlineData("conversation_reopen", ConversationSignal.Status)]
    [InlineData("conversation_something_new", ConversationSignal.Full)]
    public void Signal_ByAction_MessagesForAMessage_StatusForTheThreeStatusEvents_FullForAnythingElse(string action, ConversationSignal expected)
    {
        var body = Encoding.UTF8.GetBytes("""{"action":"ACTION","data":{"message":{"conversation_id":"c","id":"m"}}}""".Replace("ACTION", action, StringComparison.Ordinal));

        Assert.Equal(expected, WebhookNotification.TryParse(body, null, out _)!.Signal);
    }

    [Fact]
    public void Id_SameBody_SameId_OtherBody_OtherId()
    {
        var body = Encoding.UTF8.GetBytes("""{"action":"conversation_reopen"}""");
        var other = Encoding.UTF8.GetBytes("""{"action":"conversation_reopen" }""");

        Assert.Equal(WebhookNotification.IdOf(body), WebhookNotification.TryParse(body, null, out _)!.Id);
        Assert.NotEqual(WebhookNotification.IdOf(body), WebhookNotification.IdOf(other));
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"actor\":{}}", "no 'action'")]
    [InlineData("{\"action\":\"\"}", "no 'action'")]
    public void TryParse_NotAWebhook_SaysWhy(string body, string expected)
    {
        Assert.Null(WebhookNotification.TryParse(Encoding.UTF8.GetBytes(body), null, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ToEntity_NestsTheBodyAsPayload()
    {
        var body = File.ReadAllBytes(WebhookSignatureTests.Sample("message_create.json"));
        var entity = WebhookNotification.TryParse(body, "2", out _)!.ToEntity();

        Assert.Equal("message_create", (string?)entity["action"]);
        Assert.Equal("Hello, is anyone there?", (string?)entity["payload"]!["data"]!["message"]!["message_parts"]![0]!["text"]!["content"]);
    }
}
