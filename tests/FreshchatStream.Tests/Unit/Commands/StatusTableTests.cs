using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Producer.State;

namespace FreshchatStream.Tests.Unit.Commands;

public sealed class StatusTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_NothingRecorded_ListsEveryResourceAsNeverRun()
    {
        var table = StatusCommand.Render(new Dictionary<string, ResourceCursor>(), new Dictionary<string, string>(), Now,
            backfill: new FreshchatStream.Producer.Capture.Progress.BackfillEstimate(0, 400, 50, 0));

        foreach (var resource in CaptureCatalogue.Names)
        {
            Assert.Contains(table.Split('\n'), line => line.StartsWith(resource + " ", StringComparison.Ordinal) && line.TrimEnd().EndsWith("never run", StringComparison.Ordinal));
        }

        // A backfill under way: its requests left and the time at each of three rates, marked as an estimate (#21).
        Assert.Contains("backfill left (estimate): at least 500 requests (400 conversation list(s), 50 conversation(s) to read", table, StringComparison.Ordinal);
        Assert.Contains("at 1,000/min about 30 s", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SucceededAndFailing_ShowsCursorLagAndError()
    {
        var cursors = new Dictionary<string, ResourceCursor> { ["users"] = ResourceCursor.Initial().Advance(Now.AddDays(-1), ["u1"]) };
        var meta = new Dictionary<string, string>
        {
            [MetaFields.LastCycleAt("users")] = MetaFields.Format(Now.AddMinutes(-2)),
            [MetaFields.LastSuccessAt("users")] = MetaFields.Format(Now.AddMinutes(-2)),
            [MetaFields.LastEvents("users")] = "17",
            [MetaFields.LastError("users")] = "",
            [MetaFields.LastCycleAt("groups")] = MetaFields.Format(Now.AddMinutes(-1)),
            [MetaFields.LastSuccessAt("groups")] = MetaFields.Format(Now.AddHours(-3)),
            [MetaFields.LastError("groups")] = "Freshchat: 429 after 6 attempts",
            [MetaFields.ConsecutiveFailures("groups")] = "9",
        };

        var lines = StatusCommand.Render(cursors, meta, Now).Split(Environment.NewLine);

        var users = Assert.Single(lines, l => l.StartsWith("users ", StringComparison.Ordinal));
        Assert.Contains("2026-04-30 12:00:00Z", users);
        Assert.Contains(" 17 ", users);
        Assert.Contains(" 2m00s ", users);
        Assert.EndsWith("ok", users);
        var groups = Assert.Single(lines, l => l.StartsWith("groups ", StringComparison.Ordinal));
        Assert.Contains("3h00m", groups);
        Assert.EndsWith("failing (9x): Freshchat: 429 after 6 attempts", groups);
    }

    [Fact]
    [Trait("Issue", "#17")]
    public void Render_ForbiddenHeldAndDeadLetters_ShowsARowStateAndOneLineEach()
    {
        var meta = new Dictionary<string, string>
        {
            [MetaFields.Forbidden("roles")] = "GET /v2/roles",
            [MetaFields.ForbiddenAt("roles")] = MetaFields.Format(Now.AddMinutes(-1)),
            [MetaFields.ForbiddenEndpoint("GET /v2/roles")] = MetaFields.Format(Now.AddHours(-2)),
            [MetaFields.ForbiddenEndpoint("POST /v2/reports/raw")] = "",
            [MetaFields.DeletionsHeld("groups")] = $"5 {MetaFields.Format(Now.AddSeconds(-10))} abcdef",
            [MetaFields.DeadLetters] = "3",
            [MetaFields.LastDeadLetter] = $"{MetaFields.Format(Now)} (users)",
            [MetaFields.DiscoveryReportUnusable] = "Conversation-Created rows carry no conversation id (columns: a, b)",
        };

        var text = StatusCommand.Render(new Dictionary<string, ResourceCursor>(), meta, Now);

        Assert.Contains(text.Split(Environment.NewLine), l => l.StartsWith("roles ", StringComparison.Ordinal)
            && l.EndsWith("forbidden: 403 on GET /v2/roles (likely scope role:read); retried every Capture:ReconcileInterval", StringComparison.Ordinal));
        Assert.Contains("endpoint forbidden (403): GET /v2/roles, likely scope role:read, since", text);
        Assert.DoesNotContain("POST /v2/reports/raw", text); // answered again: its field was emptied
        Assert.Contains("groups: 5 deletion(s) held since", text);
        Assert.Contains("dead letters: 3 (last", text);
        Assert.Contains("conversation discovery report unusable (Conversation-Created rows carry no conversation id", text);
    }
}
