using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.State;
using FreshchatStream.Producer.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// <see cref="ReportHints"/> within <see cref="ConversationsCapture"/>: a hint row makes its conversation due at
/// once (whatever its backoff), a conversation polled after the window is left alone, a hint event that answers 403
/// or has no conversation id column is left out without failing the cycle (the schedule takes over), and a hint
/// window commits only after the events of its cycle were acknowledged.
/// </summary>
[Trait("Issue", "#21")]
public sealed class ReportHintsTests : IDisposable
{
    private const string Resolved = "Conversation-Resolved";
    private const string Transcript = "Chat-Transcript";
    private static readonly string WindowEnd = $"{Resolved}:window_end";
    private static readonly DateTimeOffset FirstCycleAt = new(2025, 7, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly StrategyHarness _harness = new();
    private readonly FreshchatMetrics _metrics = new();
    private readonly ConversationsCapture _conversations;

    public ReportHintsTests()
    {
        _harness.Options.Conversations.DiscoveryReport = null;
        _harness.Options.Conversations.HintReports = Resolved;
        _harness.Options.Conversations.HintedPollInterval = TimeSpan.FromMinutes(10); // opt-in (default 00:00:00)
        _harness.Options.Reports.PollTimeout = TimeSpan.Zero; // one status read per cycle: no waiting on the fake clock
        var window = new RawReportWindow(_harness.Time, NullLogger<RawReportWindow>.Instance);
        _conversations = new ConversationsCapture(new ConversationSignals(), window,
            new ReportDiscovery(new EndpointAccess(_metrics, NullLogger<EndpointAccess>.Instance), NullLogger<ReportDiscovery>.Instance),
            NullLogger<ConversationsCapture>.Instance, hints: new ReportHints(window, NullLogger<ReportHints>.Instance));
    }

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task CaptureAsync_HintRowNamesAResolvedConversation_PollsItAtOnceInsteadOfAfterItsBackoff()
    {
        await FirstCycleWithResolvedConversationAsync();
        _harness.Time.Advance(TimeSpan.FromMinutes(1)); // ResolvedInterval (1 h) would wait much longer
        Conversation("c1", "resolved", "2025-07-01T10:00:30.000Z");
        Message("c1", "m2", new DateTimeOffset(2025, 7, 1, 10, 0, 30, TimeSpan.Zero));
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED");
        Rows("job-1", "conversation_id", "c1");

        await _harness.RunAsync(_conversations);

        Assert.Equal(2, _harness.Freshchat.ConversationGets.Count(id => id == "c1"));
        Assert.Contains(_harness.LastEvents, e => e.Key.Id == "m2" && e.Resource.Resource == CaptureCatalogue.Messages);
        var request = Assert.Single(_harness.Freshchat.ReportRequests);
        // The first window starts where the first cycle left the hints: its settled end.
        Assert.Equal(FirstCycleAt - _harness.Options.Conversations.HintSettleDelay, request.Start);
        Assert.Equal(_harness.Time.GetUtcNow() - _harness.Options.Conversations.HintSettleDelay, request.End);
        Assert.Equal(MetaFields.Format(request.End), (await CursorAsync()).Property(WindowEnd));
    }

    [Fact]
    public async Task CaptureAsync_ConversationPolledAfterTheWindowEnded_IsLeftToItsSchedule()
    {
        await FirstCycleWithResolvedConversationAsync();
        // The window ends HintSettleDelay before now, at the first cycle's poll: nothing the poll missed.
        _harness.Time.Advance(_harness.Options.Conversations.HintSettleDelay);
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED");
        Rows("job-1", "conversation_id", "c1");

        await _harness.RunAsync(_conversations);

        Assert.Single(_harness.Freshchat.ConversationGets);
        Assert.Single(_harness.Freshchat.ReportRequests);
    }

    [Fact]
    public async Task CaptureAsync_HintReportForbidden_CycleSucceedsOnTheScheduleAndTheEventIsLeftOutUntilReconcile()
    {
        _harness.Options.Conversations.HintReports = $"{Transcript},{Resolved}";
        _harness.Freshchat.ReportRequestFails = r => r.Event == Transcript ? new FreshchatForbiddenException("POST /v2/reports/raw") : null;
        await ScheduleAsync("c1");
        Conversation("c1", "new", "2025-07-01T10:00:00.000Z");
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED");
        await _harness.RunAsync(_conversations); // the first cycle only sets the hint windows up
        Assert.Empty(_harness.Freshchat.ReportRequests);
        _harness.Time.Advance(_harness.Options.PollInterval);

        await _harness.RunAsync(_conversations);

        Assert.Equal(["c1", "c1"], _harness.Freshchat.ConversationGets);
        Assert.Equal([Resolved], _harness.Freshchat.ReportRequests.Select(r => r.Event)); // the other hint event still runs
        var meta = await _harness.Store.LoadMetaAsync();
        Assert.StartsWith("403 on POST /v2/reports/raw", meta[ReportHints.Unusable(Transcript)], StringComparison.Ordinal);
        // Not healthy: the quiet open conversation backs off from the poll interval, not from HintedPollInterval.
        Assert.Equal(["c1"], await DueAsync(_harness.Time.GetUtcNow() + _harness.Options.PollInterval * 2)); // idle once: twice the poll interval

        var asked = 0;
        _harness.Freshchat.ReportRequestFails = r =>
        {
            asked += r.Event == Transcript ? 1 : 0;
            return r.Event == Transcript ? new FreshchatForbiddenException("POST /v2/reports/raw") : null;
        };
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        await _harness.RunAsync(_conversations);
        Assert.Equal(0, asked); // not asked again before Capture:ReconcileInterval

        _harness.Time.Advance(_harness.Options.ReconcileInterval);
        _harness.Freshchat.ReportRequestFails = null;
        await _harness.RunAsync(_conversations);
        Assert.Contains(_harness.Freshchat.ReportRequests, r => r.Event == Transcript);
        Assert.Equal(string.Empty, (await _harness.Store.LoadMetaAsync())[ReportHints.Unusable(Transcript)]);
    }

    [Fact]
    public async Task CaptureAsync_HintRowsWithoutConversationId_LeaveTheEventOutAndScheduleNothing()
    {
        await ScheduleAsync("c1");
        Conversation("c1", "new", "2025-07-01T10:00:00.000Z");
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED");
        Rows("job-1", "Interaction ID", "42-1751364000000");
        await _harness.RunAsync(_conversations);
        _harness.Time.Advance(_harness.Options.PollInterval);

        await _harness.RunAsync(_conversations);

        Assert.Equal(["c1", "c1"], _harness.Freshchat.ConversationGets);
        var meta = await _harness.Store.LoadMetaAsync();
        Assert.StartsWith("rows carry no conversation id (columns: Interaction ID)", meta[ReportHints.Unusable(Resolved)], StringComparison.Ordinal);
        Assert.NotNull((await CursorAsync()).Property(WindowEnd)); // the window itself was read and is not asked again
        Assert.Equal(["c1"], await DueAsync(_harness.Time.GetUtcNow() + _harness.Options.PollInterval * 2)); // idle once: twice the poll interval
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task CaptureAsync_HintsHealthyButHintedPollIntervalOff_QuietOpenConversationKeepsThePollInterval()
    {
        Assert.Equal(TimeSpan.Zero, new ConversationCaptureOptions().HintedPollInterval); // the default: hints only make conversations due sooner
        _harness.Options.Conversations.HintedPollInterval = TimeSpan.Zero;
        await ScheduleAsync("c1");
        Conversation("c1", "new", "2025-07-01T10:00:00.000Z");
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED");
        await _harness.RunAsync(_conversations);

        _harness.Time.Advance(_harness.Options.PollInterval);
        await _harness.RunAsync(_conversations);

        Assert.Equal(2, _harness.Freshchat.ConversationGets.Count);
        Assert.Equal(["c1"], await DueAsync(_harness.Time.GetUtcNow() + _harness.Options.PollInterval * 2)); // idle once: twice the poll interval
    }

    [Fact]
    public async Task CaptureAsync_HintsHealthy_QuietOpenConversationWaitsTheHintedPollInterval()
    {
        await ScheduleAsync("c1");
        Conversation("c1", "new", "2025-07-01T10:00:00.000Z");
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED");
        await _harness.RunAsync(_conversations); // sets the hint windows up: not healthy before they are

        _harness.Time.Advance(_harness.Options.PollInterval);
        await _harness.RunAsync(_conversations);

        Assert.Equal(2, _harness.Freshchat.ConversationGets.Count);
        Assert.Empty(await DueAsync(_harness.Time.GetUtcNow() + _harness.Options.PollInterval * 4));
        Assert.Equal(["c1"], await DueAsync(_harness.Time.GetUtcNow() + _harness.Options.Conversations.HintedPollInterval * 2));
    }

    [Fact]
    public async Task CaptureAsync_PollNotAcknowledged_HintWindowCommittedOnlyWithItsDueEntrySoTheConversationIsPolledAgain()
    {
        await FirstCycleWithResolvedConversationAsync();
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        Conversation("c1", "resolved", "2025-07-01T10:00:30.000Z");
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED");
        Rows("job-1", "conversation_id", "c1");
        _harness.Sink.FailWhen = e => e.Resource.Resource == CaptureCatalogue.Conversations;

        await Assert.ThrowsAsync<DeliveryIncompleteException>(() => _harness.RunAsync(_conversations));

        // The window end and the schedule entry it produced are one commit: the window is never done without its hint.
        Assert.Equal(MetaFields.Format(_harness.Freshchat.ReportRequests[0].End), (await CursorAsync()).Property(WindowEnd));
        Assert.Equal(["c1"], await DueAsync(_harness.Time.GetUtcNow()));

        _harness.Sink.FailWhen = _ => false;
        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        await _harness.RunAsync(_conversations);
        Assert.Contains(_harness.LastEvents, e => e.Key.Id == "c1" && e.Op == ChangeOp.Update);
        Assert.Single(_harness.Freshchat.ReportRequests); // the next window is not due yet (HintInterval)
    }

    [Fact]
    public async Task CaptureAsync_WebhooksHealthy_AsksForNoHintReportAndResumesFromNowWhenTheyAreNot()
    {
        var webhooks = new WebhookActivity(Options.Create(new WebhookOptions { Enabled = true }), _harness.Time, NullLogger<WebhookActivity>.Instance);
        webhooks.Received();
        var window = new RawReportWindow(_harness.Time, NullLogger<RawReportWindow>.Instance);
        var pushed = new ConversationsCapture(new ConversationSignals(), window,
            new ReportDiscovery(new EndpointAccess(_metrics, NullLogger<EndpointAccess>.Instance), NullLogger<ReportDiscovery>.Instance),
            NullLogger<ConversationsCapture>.Instance, webhooks, new ReportHints(window, NullLogger<ReportHints>.Instance));
        await ScheduleAsync("c1");
        Conversation("c1", "resolved", "2025-07-01T09:00:00.000Z");
        for (var cycle = 0; cycle < 5; cycle++)
        {
            await _harness.RunAsync(pushed);
            _harness.Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Empty(_harness.Freshchat.ReportRequests);
        var webhooksLost = new ConversationsCapture(new ConversationSignals(), window,
            new ReportDiscovery(new EndpointAccess(_metrics, NullLogger<EndpointAccess>.Instance), NullLogger<ReportDiscovery>.Instance),
            NullLogger<ConversationsCapture>.Instance, hints: new ReportHints(window, NullLogger<ReportHints>.Instance));
        _harness.Freshchat.ReportJobs["job-1"] = Job("job-1", "COMPLETED");

        await _harness.RunAsync(webhooksLost);

        var request = Assert.Single(_harness.Freshchat.ReportRequests);
        Assert.Equal(_harness.Time.GetUtcNow() - TimeSpan.FromMinutes(1) - _harness.Options.Conversations.HintSettleDelay, request.Start); // not hours back
    }

    /// <summary>c1 is first polled resolved (next due after ResolvedInterval); the first cycle asks for no report.</summary>
    private async Task FirstCycleWithResolvedConversationAsync()
    {
        await ScheduleAsync("c1");
        Conversation("c1", "resolved", "2025-07-01T09:00:00.000Z");
        Message("c1", "m1", new DateTimeOffset(2025, 7, 1, 9, 0, 0, TimeSpan.Zero));
        await _harness.RunAsync(_conversations);
        Assert.Equal(["c1"], _harness.Freshchat.ConversationGets);
        Assert.Empty(_harness.Freshchat.ReportRequests);
        Assert.Empty(await DueAsync(_harness.Time.GetUtcNow() + TimeSpan.FromMinutes(30)));
    }

    private Task ScheduleAsync(string id) => _harness.Store.CommitAsync(new StateCommit().ScheduleConversation(id, _harness.Time.GetUtcNow()));

    private async Task<IReadOnlyList<string>> DueAsync(DateTimeOffset at) => await _harness.Store.GetDueConversationsAsync(at, 100);

    private async Task<ResourceCursor> CursorAsync() =>
        (await _harness.Store.LoadCursorsAsync()).GetValueOrDefault(ReportHints.Resource) ?? ResourceCursor.Initial();

    private void Conversation(string id, string status, string updatedTime) =>
        _harness.Freshchat.Conversations[id] = $$"""{"conversation_id":"{{id}}","status":"{{status}}","updated_time":"{{updatedTime}}"}""";

    private void Message(string conversationId, string id, DateTimeOffset created)
    {
        if (!_harness.Freshchat.Messages.TryGetValue(conversationId, out var list))
        {
            _harness.Freshchat.Messages[conversationId] = list = [];
        }

        list.Add($$"""{"id":"{{id}}","conversation_id":"{{conversationId}}","created_time":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}"}""");
    }

    private void Rows(string jobId, string header, params string[] values) =>
        _harness.Freshchat.ReportRows[jobId] = [.. values.Select((v, i) => new RawReportRow(Resolved, new RawReportLink("https://example.invalid/r.zip", null, null, "SUCCESS"), i + 1,
            [new KeyValuePair<string, string>(header, v)]))];

    private static string Job(string id, string status) =>
        $$"""{"id":"{{id}}","status":"{{status}}","links":[{"link":{"href":"https://example.invalid/{{id}}.zip"},"status":"SUCCESS"}]}""";
}
