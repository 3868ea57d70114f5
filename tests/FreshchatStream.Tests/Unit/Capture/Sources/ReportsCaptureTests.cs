using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// <see cref="ReportsCapture"/> with <see cref="RawReportWindow"/>: a window is read and committed only when the
/// job and every one of its links are done; a pending job is kept and polled again, a failed link retries the window,
/// and the window end commits only with the acknowledged rows.
/// </summary>
public sealed class ReportsCaptureTests : IDisposable
{
    private const string Event = "Message-Created";
    private static readonly string WindowEnd = $"{Event}:window_end";

    private readonly StrategyHarness _harness = new();
    private readonly FreshchatMetrics _metrics = new();
    private readonly ReportsCapture _reports;

    public ReportsCaptureTests()
    {
        _harness.Options.Reports.Events = Event;
        _harness.Options.Reports.PollTimeout = TimeSpan.Zero; // one status read per cycle: no waiting on the fake clock
        _harness.Options.Conversations.DiscoveryReport = null;
        _reports = new ReportsCapture(new RawReportWindow(_harness.Time, NullLogger<RawReportWindow>.Instance),
            new ReportDiscovery(new EndpointAccess(_metrics, NullLogger<EndpointAccess>.Instance), NullLogger<ReportDiscovery>.Instance));
    }

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task CaptureAsync_JobCompleted_EmitsEveryRowAndCommitsTheWindowEnd()
    {
        Rows("job-1", ("conversation_id", "c1"), ("conversation_id", "c2"));
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED", "SUCCESS");

        await _harness.RunAsync(_reports);

        var request = Assert.Single(_harness.Freshchat.ReportRequests);
        Assert.Equal(_harness.Time.GetUtcNow() - _harness.Options.Reports.Lookback, request.Start);
        Assert.Equal(_harness.Time.GetUtcNow() - _harness.Options.Reports.SettleDelay, request.End);
        Assert.Equal(2, _harness.LastEvents.Count);
        Assert.All(_harness.LastEvents, e => Assert.Equal(CaptureCatalogue.ReportEvents, e.Resource.Resource));
        Assert.Equal(MetaFields.Format(request.End), (await CursorAsync()).Property(WindowEnd));
        Assert.Null((await CursorAsync()).Property($"{Event}:job"));
    }

    [Fact]
    public async Task CaptureAsync_JobCompletedWithALinkInProgress_ReadsNothingAndKeepsTheJobUntilEveryLinkIsDone()
    {
        Rows("job-1", ("conversation_id", "c1"));
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED", "SUCCESS", "IN_PROGRESS");

        await _harness.RunAsync(_reports);

        Assert.Empty(_harness.LastEvents);
        Assert.Empty(_harness.Freshchat.ReportDownloads);
        Assert.Null((await CursorAsync()).Property(WindowEnd));
        Assert.Equal("job-1", (await CursorAsync()).Property($"{Event}:job"));

        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED", "SUCCESS", "SUCCESS");
        _harness.Time.Advance(_harness.Options.PollInterval);
        await _harness.RunAsync(_reports);

        Assert.Single(_harness.Freshchat.ReportRequests); // the kept job was polled, not asked for again
        Assert.Single(_harness.LastEvents);
        Assert.NotNull((await CursorAsync()).Property(WindowEnd));
    }

    [Fact]
    public async Task CaptureAsync_LinkFailed_DoesNotAdvanceTheWindowAndRequestsItAgainAfterTheBackoff()
    {
        var committedEnd = MetaFields.Format(_harness.Time.GetUtcNow().AddHours(-1));
        await _harness.Store.CommitAsync(new FreshchatStream.Producer.State.StateCommit().SetCursor(CaptureCatalogue.ReportEvents,
            FreshchatStream.Producer.State.ResourceCursor.Initial().WithProperty(WindowEnd, committedEnd)));
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED", "SUCCESS", "FAILED");
        await _harness.RunAsync(_reports);

        Assert.Empty(_harness.LastEvents);
        Assert.Empty(_harness.Freshchat.ReportDownloads);
        Assert.Equal(committedEnd, (await CursorAsync()).Property(WindowEnd));

        _harness.Time.Advance(_harness.Options.Reports.RetryBackoff);
        _harness.Freshchat.ReportJobs["job-2"] = Job("job-2", "COMPLETED", "SUCCESS");
        await _harness.RunAsync(_reports);

        Assert.Equal(2, _harness.Freshchat.ReportRequests.Count);
        Assert.Equal(MetaFields.ParseTime(committedEnd), _harness.Freshchat.ReportRequests[1].Start);
        Assert.Equal(_harness.Freshchat.ReportRequests[0].Start, _harness.Freshchat.ReportRequests[1].Start);
        Assert.Equal(MetaFields.Format(_harness.Freshchat.ReportRequests[1].End), (await CursorAsync()).Property(WindowEnd));
    }

    [Fact]
    public async Task CaptureAsync_RowsNotAcknowledged_WindowEndIsNotCommittedAndTheJobIsReadAgain()
    {
        Rows("job-1", ("conversation_id", "c1"));
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED", "SUCCESS");
        _harness.Sink.FailWhen = e => e.Resource.Resource == CaptureCatalogue.ReportEvents;

        await Assert.ThrowsAsync<DeliveryIncompleteException>(() => _harness.RunAsync(_reports));

        Assert.Null((await CursorAsync()).Property(WindowEnd));
        Assert.Equal("job-1", (await CursorAsync()).Property($"{Event}:job")); // remembered before waiting for it

        _harness.Sink.FailWhen = _ => false;
        await _harness.RunAsync(_reports);

        Assert.Single(_harness.Freshchat.ReportRequests);
        Assert.Equal(2, _harness.Freshchat.ReportDownloads.Count);
        Assert.NotNull((await CursorAsync()).Property(WindowEnd));
    }

    [Fact]
    public async Task CaptureAsync_RowNamingAConversation_SchedulesItWhenConversationsAreSelected()
    {
        Rows("job-1", ("conversation_id", "c1"));
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED", "SUCCESS");

        await _harness.RunAsync(_reports, selected: new HashSet<string>([CaptureCatalogue.ReportEvents, CaptureCatalogue.Conversations]));

        Assert.Equal(["c1"], await _harness.Store.GetDueConversationsAsync(_harness.Time.GetUtcNow(), 10));
    }

    private async Task<FreshchatStream.Producer.State.ResourceCursor> CursorAsync() =>
        (await _harness.Store.LoadCursorsAsync()).GetValueOrDefault(CaptureCatalogue.ReportEvents) ?? FreshchatStream.Producer.State.ResourceCursor.Initial();

    private void Rows(string jobId, params (string Header, string Value)[] rows) =>
        _harness.Freshchat.ReportRows[jobId] = [.. rows.Select((r, i) => new RawReportRow(Event, new RawReportLink("https://example.invalid/r.zip", null, null, "SUCCESS"), i + 1,
            [new KeyValuePair<string, string>(r.Header, r.Value)]))];

    private static string Job(string id, string status, params string[] linkStatuses) =>
        $$"""{"id":"{{id}}","status":"{{status}}","links":[{{string.Join(",", linkStatuses.Select(s => $$"""{"link":{"href":"https://example.invalid/{{id}}.zip"},"status":"{{s}}"}"""))}}]}""";
}
