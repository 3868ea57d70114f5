using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Progress;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Producer.State;

namespace FreshchatStream.Tests.Unit.Capture.Progress;

/// <summary>
/// Issue #21 item 2: the requests a backfill or snapshot has left, from what is known (users listing pages in flight,
/// queued conversation lists, unread conversations, report windows to now), and the time at 200, 500 and 1,000/min.
/// </summary>
[Trait("Issue", "#21")]
public sealed class BackfillEstimateTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Derive_KnownWork_CountsEachKindAndDividesByEachRate()
    {
        var progress = new InFlightProgress("i", Now, [new InFlightPass(CaptureCatalogue.Users, "listed", 2_000, 10_000, 0, 40, 200, null, Now, Now.AddMinutes(-1))]);

        var estimate = BackfillEstimate.Derive(progress, 50, queuedUsers: 3_000, unreadConversations: 1_000, Now.AddDays(-100), Now, TimeSpan.FromDays(60));

        Assert.Equal(160, estimate.UserPages); // 8,000 users left at 50 a page
        Assert.Equal(2, estimate.ReportWindows); // 100 days in windows of 60
        Assert.Equal(160 + 3_000 + 1_000 * 2 + 2 * 3, estimate.Requests);
        Assert.Equal(TimeSpan.FromMinutes(5_166 / 200.0), estimate.At(200));
        Assert.Equal(TimeSpan.FromMinutes(5_166 / 1_000.0), estimate.At(1_000));
        var line = estimate.Describe();
        Assert.StartsWith("backfill left (estimate): at least 5,166 requests", line, StringComparison.Ordinal);
        Assert.Contains("at 200/min about 26 min, at 500/min about 10 min, at 1,000/min about 5 min", line, StringComparison.Ordinal);
    }

    [Fact]
    public void EstimateBackfill_SteadyState_IsNull_FirstListing_StartsTheReportAtTheHorizon()
    {
        var options = new CaptureOptions();
        var done = new Dictionary<string, ResourceCursor> { [CaptureCatalogue.Users] = ResourceCursor.Initial().Advance(Now.AddDays(-1), ["u1"]) };
        Assert.Null(StatusCommand.EstimateBackfill(done, new Dictionary<string, string>(), Now, due: 7, queued: 0, progress: null, options, 50));

        var horizon = Now.AddDays(-120);
        var meta = new Dictionary<string, string> { [MetaFields.DiscoveryHorizon] = MetaFields.Format(horizon) };
        var estimate = StatusCommand.EstimateBackfill(new Dictionary<string, ResourceCursor>(), meta, Now, due: 7, queued: 5, progress: null, options, 50);

        Assert.NotNull(estimate);
        Assert.Equal(5, estimate.ConversationLists);
        Assert.Equal(7, estimate.Conversations);
        Assert.Equal(2, estimate.ReportWindows); // 120 days less the settle delay, in windows of 60
    }

    [Fact]
    public void EstimateBackfill_SnapshotInFlight_CountsTheConversationsLeftToReemit()
    {
        var done = new Dictionary<string, ResourceCursor> { [CaptureCatalogue.Users] = ResourceCursor.Initial().Advance(Now.AddDays(-1), ["u1"]) };
        var progress = new InFlightProgress("i", Now, [new InFlightPass("conversations+messages", "re-emitted", 300, 1_000, 0, 600, 200, null, Now, Now.AddMinutes(-1))]);

        var estimate = StatusCommand.EstimateBackfill(done, new Dictionary<string, string>(), Now, due: 0, queued: 0, progress, new CaptureOptions(), 50);

        Assert.NotNull(estimate);
        Assert.Equal(700, estimate.Conversations);
        Assert.Equal(0, estimate.ReportWindows);
        Assert.Equal(1_400, estimate.Requests);
    }
}
