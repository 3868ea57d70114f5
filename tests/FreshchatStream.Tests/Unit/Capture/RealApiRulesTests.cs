using System.Text.Json;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;

namespace FreshchatStream.Tests.Unit.Capture;

/// <summary>The pure rules behind design §9 "Real-API variants": header matching, the mass-deletion guard, 403 scopes, poison items, link status.</summary>
[Trait("Issue", "#17")]
public sealed class RealApiRulesTests
{
    [Theory]
    [InlineData("conversation_id")]
    [InlineData("Conversation ID")]
    [InlineData("conversationId")]
    [InlineData("CONVERSATION-ID")]
    [InlineData(" conversation_Id ")]
    [InlineData("\uFEFFconversation_id")]
    public void IsConversationIdHeader_SpellingsOfTheColumn_Match(string header) => Assert.True(ReportDiscovery.IsConversationIdHeader(header));

    [Theory]
    [InlineData("conversation")]
    [InlineData("conversation_ids")]
    [InlineData("message_id")]
    [InlineData("Chat Reference")]
    public void IsConversationIdHeader_OtherColumns_DoNotMatch(string header) => Assert.False(ReportDiscovery.IsConversationIdHeader(header));

    [Fact]
    public void ConversationIdOf_RowWithAVariantHeader_ReadsTheTrimmedValue()
    {
        var row = new RawReportRow("Conversation-Created", new RawReportLink("x", null, null, null), 1,
            [new("Created Time", "2026-01-01"), new("Conversation ID", " abc-1 ")]);

        Assert.Equal("abc-1", ReportDiscovery.ConversationIdOf(row));
    }

    [Theory]
    [InlineData(3, 3, true)]
    [InlineData(3, 5, true)]
    [InlineData(3, 6, false)] // exactly half is not more than half
    [InlineData(2, 2, false)] // fewer than three ids are never held
    [InlineData(10, 100, false)]
    public void IsMassDeletion_MoreThanHalfAndAtLeastThree(int candidates, int known, bool expected) =>
        Assert.Equal(expected, MassDeletionGuard.IsMassDeletion(candidates, known));

    [Fact]
    public void Decide_FirstSighting_HoldsAndRecordsTheSet()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        var decision = MassDeletionGuard.Decide(["a", "b", "c"], null, now, TimeSpan.FromSeconds(30));

        Assert.False(decision.Proceed);
        Assert.StartsWith("3 ", decision.State);
        Assert.Equal(now, decision.HeldSince);
    }

    [Fact]
    public void Decide_SameSetTooSoon_KeepsHoldingFromTheFirstSighting()
    {
        var first = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var held = MassDeletionGuard.Decide(["a", "b", "c"], null, first, TimeSpan.FromSeconds(30)).State;

        var decision = MassDeletionGuard.Decide(["c", "b", "a"], held, first.AddSeconds(10), TimeSpan.FromSeconds(30));

        Assert.False(decision.Proceed);
        Assert.Equal(held, decision.State);
    }

    [Fact]
    public void Decide_SameSetAPollIntervalLater_ProceedsAndClears()
    {
        var first = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var held = MassDeletionGuard.Decide(["a", "b", "c"], null, first, TimeSpan.FromSeconds(30)).State;

        var decision = MassDeletionGuard.Decide(["a", "b", "c"], held, first.AddSeconds(30), TimeSpan.FromSeconds(30));

        Assert.True(decision.Proceed);
        Assert.Equal(string.Empty, decision.State);
    }

    [Fact]
    public void Decide_ADifferentSetLater_StartsAgain()
    {
        var first = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var held = MassDeletionGuard.Decide(["a", "b", "c"], null, first, TimeSpan.FromSeconds(30)).State;

        var decision = MassDeletionGuard.Decide(["a", "b", "d"], held, first.AddMinutes(5), TimeSpan.FromSeconds(30));

        Assert.False(decision.Proceed);
        Assert.Equal(first.AddMinutes(5), decision.HeldSince);
    }

    [Theory]
    [InlineData("POST /v2/reports/raw", "reports:extract")]
    [InlineData("GET /v2/reports/raw/{id}", "reports:extract")]
    [InlineData("GET reports/raw download", "reports:extract")]
    [InlineData("GET /v2/roles", "role:read")]
    [InlineData("GET /v2/outbound-messages", "outboundmessage:get")]
    [InlineData("GET /v2/agents/{id}", "agent:read")]
    [InlineData("GET /v2/users/{id}/conversations", "conversation:read")]
    [InlineData("GET /v2/conversations/{id}/messages", "conversation:read")]
    [InlineData("GET /v2/users", "user:read")]
    [InlineData("GET /v2/accounts/configuration", "account:read")]
    public void LikelyScope_Endpoint_NamesTheTokenScope(string endpoint, string scope) => Assert.Equal(scope, EndpointAccess.LikelyScope(endpoint));

    [Fact]
    public void ForbiddenException_NamesEndpointScopeAndKeys()
    {
        var e = new FreshchatForbiddenException("POST /v2/reports/raw");

        Assert.False(e.IsTransient);
        Assert.Equal(403, e.StatusCode);
        Assert.Contains("reports:extract", e.Message);
        Assert.Contains("Freshchat:BaseUrl", e.Message);
        Assert.Equal(CaptureFailureKind.Failed, FailureClassifier.Classify(e).Kind);
    }

    [Theory]
    [InlineData("\"text\"", "not a JSON object (a JSON string)")]
    [InlineData("42", "not a JSON object (a JSON number)")]
    [InlineData("{\"name\":\"x\"}", "no 'id'")]
    [InlineData("{\"id\":\"  \"}", "no 'id'")]
    [InlineData("{\"id\":null}", "no 'id'")]
    [InlineData("{\"id\":{}}", "no 'id'")]
    [InlineData("{\"id\":\"u1\"}", null)]
    [InlineData("{\"id\":17}", null)]
    public void ReasonToReject_ListingItem(string json, string? reason)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(reason, ListingRejects.ReasonToReject(document.RootElement, "id"));
    }

    [Fact]
    public void Create_HugeItem_CutsTheRawText()
    {
        using var document = JsonDocument.Parse($"{{\"name\":\"{new string('x', ListingRejects.MaxRawLength * 2)}\"}}");

        var item = ListingRejects.Create("users", "GET /v2/users", "no 'id'", document.RootElement);

        Assert.Equal(ListingRejects.MaxRawLength, item.RawText.Length);
    }

    [Theory]
    [InlineData("COMPLETED", new[] { "COMPLETED", "COMPLETED" }, true, false)]
    [InlineData("COMPLETED", new[] { "SUCCESS", "COMPLETED" }, true, false)]
    [InlineData("COMPLETED", new[] { "COMPLETED", "PENDING" }, false, false)]
    [InlineData("COMPLETED", new[] { "COMPLETED", "IN_PROGRESS" }, false, false)]
    [InlineData("COMPLETED", new[] { "COMPLETED", "FAILED" }, false, true)]
    [InlineData("PENDING", new[] { "COMPLETED" }, false, false)]
    [InlineData("SUCCESS", new string[0], true, false)]
    public void RawReportJob_LinkStatuses_DecideWhetherTheWindowCanCommit(string status, string[] links, bool ready, bool failedLink)
    {
        var json = JsonSerializer.Serialize(new
        {
            id = "job-1",
            status,
            links = links.Select((s, i) => new { from = "2026-01-01 00:00:00", to = "2026-01-01 23:59:59", status = s, link = new { href = $"https://dl/{i}.zip" } }),
        });
        using var document = JsonDocument.Parse(json);

        var job = new RawReportJob(document.RootElement.Clone());

        Assert.Equal((ready, failedLink), (job.IsReady, job.HasFailedLink));
    }
}
