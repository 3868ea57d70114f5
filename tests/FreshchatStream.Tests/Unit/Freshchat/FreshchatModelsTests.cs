using System.Text.Json;
using FreshchatStream.Producer.Freshchat.Models;

namespace FreshchatStream.Tests.Unit.Freshchat;

public sealed class FreshchatModelsTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void Conversation_CustomStatusAndMissingFields_StayReadable()
    {
        var conversation = new FreshchatConversation(Json("""{"conversation_id":"c1","status":"waiting on customer","future_field":{"x":1}}"""));

        Assert.Equal("c1", conversation.ConversationId);
        Assert.Equal("waiting on customer", conversation.Status);
        Assert.Null(conversation.UpdatedTime);
        Assert.Null(conversation.UserId);
        Assert.Equal(1, conversation.Json.GetProperty("future_field").GetProperty("x").GetInt32());
    }

    [Fact]
    public void Timestamps_WithOffsets_AreReadAsUtc()
    {
        var user = new FreshchatUser(Json("""{"id":"u1","created_time":"2025-07-03T21:31:59.088Z","updated_time":"2025-07-04T08:00:00.000+05:30"}"""));

        Assert.Equal(new DateTimeOffset(2025, 7, 3, 21, 31, 59, 88, TimeSpan.Zero), user.CreatedTime);
        Assert.Equal(TimeSpan.Zero, user.UpdatedTime!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2025, 7, 4, 2, 30, 0, TimeSpan.Zero), user.UpdatedTime);
    }

    [Fact]
    public void NumericIds_AreReadAsText()
    {
        var account = new AccountConfiguration(Json("""{"account_id":100042,"app_id":"a"}"""));

        Assert.Equal("100042", account.AccountId);
    }

    [Fact]
    public void Agent_AgentStatus_IsFlattened()
    {
        var agent = new FreshchatAgent(Json("""{"id":"a1","availability_status":"UNAVAILABLE","agent_status":{"id":"s2","name":"Tea break"}}"""));

        Assert.Equal(("UNAVAILABLE", "s2", "Tea break"), (agent.AvailabilityStatus, agent.AgentStatusId, agent.AgentStatusName));
    }

    [Fact]
    public void RawReportJob_BothLinkForms_AreRead()
    {
        var v2 = new RawReportJob(Json("""{"id":"r1","status":"COMPLETED","links":[{"from":"2025-01-01T00:00:00Z","to":"2025-01-02T00:00:00Z","status":"COMPLETED","link":{"href":"https://x/1.zip"}},{"link":{"href":"https://x/2.zip"}}]}"""));
        var v1 = new RawReportJob(Json("""{"id":"r2","status":"COMPLETED","link":{"href":"https://x/only.zip"}}"""));
        var pending = new RawReportJob(Json("""{"id":"r3","status":"PENDING","link":{"rel":"extracts","href":"/reports/raw/r3"}}"""));

        Assert.Equal(["https://x/1.zip", "https://x/2.zip"], v2.Links.Select(l => l.Href));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), v2.Links[0].From);
        Assert.Equal("https://x/only.zip", Assert.Single(v1.Links).Href);
        Assert.Empty(pending.Links);
    }

    [Fact]
    public void MessageBoundary_CoversOlderAndSeenAtTheSameInstant()
    {
        var at = new DateTimeOffset(2025, 7, 1, 10, 0, 0, TimeSpan.Zero);
        var boundary = new MessageBoundary(at, new HashSet<string> { "m1" });

        Assert.True(boundary.Covers(at.AddMilliseconds(-1), "m0"));
        Assert.True(boundary.Covers(at, "m1"));
        Assert.False(boundary.Covers(at, "m2"));
        Assert.False(boundary.Covers(at.AddMilliseconds(1), "m3"));
    }

    [Theory]
    [InlineData("2019-08-21 05:30:00.0_2019-10-30 23:59:59.0")]
    [InlineData("2019-08-21 05:30:00.0 2019-10-30 23:59:59.0")]
    [InlineData("2019-08-21 05:30:00_2019-10-30 23:59:59")]
    public void RawReportInterval_BothSeparators_AreReadAsUtc(string text)
    {
        var interval = RawReportInterval.TryParse(text);

        Assert.Equal(new DateTimeOffset(2019, 8, 21, 5, 30, 0, TimeSpan.Zero), interval!.Start);
        Assert.Equal(new DateTimeOffset(2019, 10, 30, 23, 59, 59, TimeSpan.Zero), interval.End);
        Assert.Equal(TimeSpan.Zero, interval.Start.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday to today")]
    [InlineData("2019-08-21 05:30:00.0")]
    public void RawReportInterval_Unreadable_IsNull(string text)
    {
        Assert.Null(RawReportInterval.TryParse(text));
    }
}
