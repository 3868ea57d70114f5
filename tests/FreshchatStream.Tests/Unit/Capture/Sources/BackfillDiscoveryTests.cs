using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// Issue #21 item 2, <see cref="BackfillDiscovery"/>: in the first users listing only users created before the
/// discovery report's horizon are queued for a conversation-list read; the report is read from that stored horizon in
/// windows of <c>DiscoveryWindow</c>, all in one cycle; a report that proves unusable (403, rows without ids) queues the
/// users it was to cover, also after a crash; a report that reached the backfill clears the horizon.
/// </summary>
[Trait("Issue", "#21")]
public sealed class BackfillDiscoveryTests : IDisposable
{
    private const string Event = "Conversation-Created";

    private readonly StrategyHarness _harness = new();
    private readonly FreshchatMetrics _metrics = new();
    private readonly UsersCapture _users = new(NullLogger<UsersCapture>.Instance);
    private readonly ConversationsCapture _conversations;
    private readonly HashSet<string> _all = new([CaptureCatalogue.Users, CaptureCatalogue.Conversations, CaptureCatalogue.Messages], StringComparer.Ordinal);

    public BackfillDiscoveryTests()
    {
        // The report back to the horizon costs 2 windows × 3 + 2 days' downloads = 8 requests: skipping more list reads pays.
        _harness.Options.Conversations.DiscoveryLookback = TimeSpan.FromDays(2);
        _harness.Options.Conversations.DiscoveryWindow = TimeSpan.FromDays(1);
        _harness.Options.Reports.PollTimeout = TimeSpan.Zero; // one status read per window: no waiting on the fake clock
        _conversations = new ConversationsCapture(new ConversationSignals(), new RawReportWindow(_harness.Time, NullLogger<RawReportWindow>.Instance),
            new ReportDiscovery(new EndpointAccess(_metrics, NullLogger<EndpointAccess>.Instance), NullLogger<ReportDiscovery>.Instance),
            NullLogger<ConversationsCapture>.Instance);
        for (var n = 1; n <= 20; n++)
        {
            _harness.Freshchat.ReportJobs[$"job-{n}"] = Job($"job-{n}", "COMPLETED");
        }

        _harness.Freshchat.UserConversations["nobody"] = [];
    }

    private DateTimeOffset Now => _harness.Time.GetUtcNow();

    private DateTimeOffset Horizon => Now - _harness.Options.Conversations.DiscoveryLookback;

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task FirstListing_QueuesOnlyUsersCreatedBeforeTheHorizonOrWithoutACreatedTime()
    {
        AddUser("old", Horizon.AddDays(-1));
        AddUser("at", Horizon);
        AddNewUsers();

        await _harness.RunAsync(_users, selected: _all);

        Assert.Equal(["at", "old"], (await _harness.Store.GetQueuedDiscoveriesAsync(100)).Order());
        Assert.False(BackfillDiscovery.CoveredByReport(new FreshchatUser(System.Text.Json.JsonDocument.Parse("""{"id":"undated"}""").RootElement), Horizon));
        var meta = await _harness.Store.LoadMetaAsync();
        Assert.Equal(Horizon, BackfillDiscovery.StoredHorizon(meta));
        Assert.Equal(Now, MetaFields.ParseTime(meta[MetaFields.DiscoveryReliedUntil]));
    }

    [Fact]
    public async Task Report_FirstCycle_ReadsFromTheHorizonInWindowsUntilNowAndSchedulesTheirConversations()
    {
        AddNewUsers();
        await _harness.RunAsync(_users, selected: _all);
        Rows("job-2", "c-new");

        await _harness.RunAsync(_conversations);

        Assert.Equal([(Horizon, Horizon.AddDays(1)), (Horizon.AddDays(1), Now - _harness.Options.Reports.SettleDelay)],
            _harness.Freshchat.ReportRequests.Select(r => (r.Start, r.End)));
        Assert.Equal(["c-new"], _harness.Freshchat.ConversationGets); // polled in the same cycle (404 here: gone)
        Assert.Empty(await _harness.Store.GetQueuedDiscoveriesAsync(10));
    }

    [Fact]
    public async Task Report_NoUserReliedOnIt_StartsAtTheReportsLookbackAsBefore()
    {
        await _harness.RunAsync(_conversations);

        Assert.Equal(Now - _harness.Options.Reports.Lookback, _harness.Freshchat.ReportRequests[0].Start);
    }

    [Fact]
    public async Task FirstListing_FewerUsersAfterTheHorizonThanTheReportCosts_QueuesThemAndTheReportStartsAsBefore()
    {
        AddUser("old", Horizon.AddDays(-1));
        AddUser("new", Horizon.AddDays(1));
        _harness.Freshchat.UserConversations["new"] = ["c-new"];

        await _harness.RunAsync(_users, selected: _all);
        await _harness.RunAsync(_conversations);

        Assert.Equal(8, BackfillDiscovery.ReportCost(_harness.Options.Conversations));
        Assert.Null(BackfillDiscovery.StoredHorizon(await _harness.Store.LoadMetaAsync()));
        Assert.Equal(Now - _harness.Options.Reports.Lookback, _harness.Freshchat.ReportRequests[0].Start);
        Assert.Equal(["c-new"], _harness.Freshchat.ConversationGets); // found through its user's list
        Assert.Empty(await _harness.Store.GetQueuedDiscoveriesAsync(10));
    }

    [Fact]
    public async Task Report_Forbidden_QueuesTheUsersCreatedAfterTheHorizonInTheSameCycleAndClearsIt()
    {
        AddUser("old", Horizon.AddDays(-1));
        AddUser("new", Horizon.AddDays(1));
        AddNewUsers();
        _harness.Freshchat.UserConversations["old"] = ["c-old"];
        _harness.Freshchat.UserConversations["new"] = ["c-new"];
        await _harness.RunAsync(_users, selected: _all);
        _harness.Freshchat.ReportsForbidden = true;

        await _harness.RunAsync(_conversations);

        Assert.Equal(["c-new", "c-old"], _harness.Freshchat.ConversationGets.Order()); // both discovered through their lists
        Assert.Empty(await _harness.Store.GetQueuedDiscoveriesAsync(10));
        var meta = await _harness.Store.LoadMetaAsync();
        Assert.Null(BackfillDiscovery.StoredHorizon(meta));
        Assert.StartsWith("403", meta[MetaFields.DiscoveryReportUnusable], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_RowsWithoutConversationIds_QueuesTheUsersCreatedAfterTheHorizon()
    {
        AddUser("new", Horizon.AddDays(1));
        AddNewUsers();
        _harness.Freshchat.UserConversations["new"] = ["c-new"];
        await _harness.RunAsync(_users, selected: _all);
        _harness.Freshchat.ReportRows["job-1"] = [Row("Chat Reference", "c-new")];

        await _harness.RunAsync(_conversations);

        Assert.Single(_harness.Freshchat.ReportRequests); // no further window once it proved unusable
        Assert.Equal(["c-new"], _harness.Freshchat.ConversationGets);
        Assert.Null(BackfillDiscovery.StoredHorizon(await _harness.Store.LoadMetaAsync()));
    }

    [Fact]
    public async Task Report_FoundUnusableButTheRequeueNeverCommitted_NextCycleQueuesThemEvenWhileTheReportAwaitsRetry()
    {
        AddUser("new", Horizon.AddDays(1));
        AddNewUsers();
        _harness.Freshchat.UserConversations["new"] = ["c-new"];
        await _harness.RunAsync(_users, selected: _all);
        // What a crash right after the 403 was committed leaves: the report forbidden, the horizon still set.
        await _harness.Store.CommitAsync(new StateCommit().SetMeta(MetaFields.DiscoveryReportUnusable, "403 on POST /v2/reports/raw")
            .SetMeta(MetaFields.ForbiddenAt(ReportDiscovery.ForbiddenKey), MetaFields.Format(Now)));
        _harness.Time.Advance(TimeSpan.FromSeconds(30));

        await _harness.RunAsync(_conversations);

        Assert.Empty(_harness.Freshchat.ReportRequests); // awaiting Capture:ReconcileInterval
        Assert.Equal(["c-new"], _harness.Freshchat.ConversationGets);
        Assert.Null(BackfillDiscovery.StoredHorizon(await _harness.Store.LoadMetaAsync()));
    }

    [Fact]
    public async Task CrashMidBackfill_NextCycleKeepsTheStoredHorizonForUsersAndReport()
    {
        AddUser("new", Horizon.AddDays(1));
        AddNewUsers();
        await _harness.RunAsync(_users, selected: _all); // the cycle died before the conversations pass
        var horizon = Horizon;
        _harness.Time.Advance(TimeSpan.FromDays(2));
        AddUser("between", horizon.AddHours(1)); // after the stored horizon, before this cycle's own

        await _harness.RunAsync(_users, selected: _all);
        await _harness.RunAsync(_conversations);

        Assert.Empty(await _harness.Store.GetQueuedDiscoveriesAsync(10));
        Assert.Equal(horizon, _harness.Freshchat.ReportRequests[0].Start);
    }

    [Fact]
    public async Task ReportReachedTheBackfill_ClearsTheHorizonAndLaterUsersAreQueuedAsBefore()
    {
        AddUser("new", Horizon.AddDays(1));
        AddNewUsers();
        await _harness.RunAsync(_users, selected: _all);
        await _harness.RunAsync(_conversations);
        _harness.Time.Advance(TimeSpan.FromMinutes(10)); // past the settle delay

        await _harness.RunAsync(_users, selected: _all);
        await _harness.RunAsync(_conversations);

        Assert.Null(BackfillDiscovery.StoredHorizon(await _harness.Store.LoadMetaAsync()));
        AddUser("later", Now);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        await _harness.RunAsync(_users, selected: _all);
        Assert.Equal(["later"], await _harness.Store.GetQueuedDiscoveriesAsync(10));
    }

    [Fact]
    public async Task ReportAlreadyUnderWayWithoutAHorizon_EveryUserIsQueued()
    {
        await _harness.Store.CommitAsync(new StateCommit().SetCursor(CaptureCatalogue.Conversations,
            new ReportWindowState { WindowEnd = Now.AddHours(-1) }.ApplyTo(ResourceCursor.Initial(), Event)));
        AddUser("new", Horizon.AddDays(1));

        await _harness.RunAsync(_users, selected: _all);

        Assert.Equal(["new"], await _harness.Store.GetQueuedDiscoveriesAsync(10));
    }

    [Theory]
    [InlineData("")]
    [InlineData("published")]
    [InlineData("lookback0")]
    public async Task ReportOffPublishedByReportsCaptureOrNoLookback_EveryUserIsQueued(string variant)
    {
        switch (variant)
        {
            case "":
                _harness.Options.Conversations.DiscoveryReport = "";
                break;
            case "published":
                _harness.Options.Reports.Events = Event;
                _all.Add(CaptureCatalogue.ReportEvents);
                break;
            default:
                _harness.Options.Conversations.DiscoveryLookback = TimeSpan.Zero;
                break;
        }

        AddUser("new", Horizon.AddDays(1));

        await _harness.RunAsync(_users, selected: _all);

        Assert.Equal(["new"], await _harness.Store.GetQueuedDiscoveriesAsync(10));
        Assert.Null(BackfillDiscovery.StoredHorizon(await _harness.Store.LoadMetaAsync()));
    }

    /// <summary>Nine users created after the horizon: more than the report's cost, so a backfill relies on the report.</summary>
    private void AddNewUsers()
    {
        for (var n = 1; n <= 9; n++)
        {
            AddUser($"n{n}", Horizon.AddHours(n));
        }
    }

    private void AddUser(string id, DateTimeOffset created) =>
        _harness.Freshchat.Users[id] = $$"""{"id":"{{id}}","first_name":"n","created_time":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}","updated_time":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}"}""";

    private void Rows(string jobId, params string[] conversationIds) =>
        _harness.Freshchat.ReportRows[jobId] = [.. conversationIds.Select(id => Row("conversation_id", id))];

    private static RawReportRow Row(string header, string value) =>
        new(Event, new RawReportLink("https://example.invalid/r.zip", null, null, "SUCCESS"), 1, [new KeyValuePair<string, string>(header, value)]);

    private static string Job(string id, string status) =>
        $$"""{"id":"{{id}}","status":"{{status}}","links":[{"link":{"href":"https://example.invalid/{{id}}.zip"},"status":"SUCCESS"}]}""";
}
