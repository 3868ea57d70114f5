using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>The audit the reliability scenarios rely on fails when something is missing: it is not a check that cannot fail.</summary>
[Trait("Category", "Reliability")]
public sealed class TopicAuditTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task Audit_ChangesNoProducerCaptured_AreReportedLostByName()
    {
        await using var drill = await ReliabilityDrill.StartAsync(stack, seed: 70, ReliabilityDrill.DefaultAccount with { Users = 20 });
        await drill.RunCleanCycleAsync();
        Assert.True(TopicAudit.Run(drill.Scenario, drill.Oracle) is { Lost: 0, Clean: true } clean, "a clean run audits clean");

        var data = drill.Freshchat.Data;
        var user = (string)data.EnumerateUsers().First()["id"]!;
        data.UpdateUser(user, lastName: "Never captured");
        var conversation = data.EnumerateConversationIds().First();
        var message = data.AddMessage(conversation, "never captured");
        drill.Oracle.Checkpoint();

        var audit = TopicAudit.Run(drill.Scenario, drill.Oracle);

        Assert.False(audit.Clean);
        Assert.True(audit.Lost >= 3, audit.ToString()); // the user's and the conversation's new versions, and the message
        Assert.Contains(audit.Problems, p => p.StartsWith($"users/{user}: version", StringComparison.Ordinal));
        Assert.Contains(audit.Problems, p => p.StartsWith($"conversations/{conversation}: version", StringComparison.Ordinal));
        Assert.Contains(audit.Problems, p => p == $"messages/{message}: never published");
    }
}
