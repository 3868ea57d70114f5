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
        var table = StatusCommand.Render(new Dictionary<string, ResourceCursor>(), new Dictionary<string, string>(), Now);

        foreach (var resource in CaptureResources.All)
        {
            Assert.Contains(table.Split('\n'), line => line.StartsWith(resource + " ", StringComparison.Ordinal) && line.TrimEnd().EndsWith("never run", StringComparison.Ordinal));
        }
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
}
