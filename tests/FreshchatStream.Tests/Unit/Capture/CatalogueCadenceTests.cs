using FreshchatStream.Hosting;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Progress;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.State;
using FreshchatStream.Tests.Unit.Capture.Sources;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Unit.Capture;

/// <summary>
/// <c>Capture:CatalogueInterval</c> through a real <see cref="CaptureCycle"/> (scripted client, in-memory store, fake
/// clock): groups are listed on the first cycle of a process, left out while the interval runs, listed again when due,
/// and always in <c>--once</c>, snapshot, state-loss re-capture and after a failure; agents-like passes are not paced.
/// </summary>
[Trait("Issue", "#21")]
public sealed class CatalogueCadenceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 7, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly ScriptedFreshchatClient _freshchat = new();
    private readonly InMemoryCursorStore _store = new();
    private readonly RecordingChangeSink _sink = new();
    private readonly CaptureOptions _options = new() { PollInterval = TimeSpan.FromSeconds(5), CatalogueInterval = TimeSpan.FromMinutes(5), Heartbeat = false };
    private static readonly CaptureRun Changes = new(CaptureMode.Changes, [CaptureCatalogue.Groups], Once: false);

    public CatalogueCadenceTests()
    {
        _freshchat.GroupListings.Enqueue([Group("g1", "Sales")]);
    }

    [Fact]
    public async Task Run_WithinTheInterval_LeavesGroupsOutAndReportsThemSucceededAndSkipped()
    {
        var cycle = Cycle();
        await cycle.RunAsync(Changes, CancellationToken.None);
        Assert.Equal(1, _freshchat.GroupListingCount);
        var listedAt = (await _store.LoadMetaAsync())[MetaFields.LastSuccessAt(CaptureCatalogue.Groups)];

        _time.Advance(TimeSpan.FromMinutes(4));
        var report = await cycle.RunAsync(Changes, CancellationToken.None);

        Assert.Equal(1, _freshchat.GroupListingCount);
        var result = Assert.Single(report.Results);
        Assert.True(result.Succeeded);
        Assert.True(result.Skipped);
        Assert.Null(result.ForbiddenEndpoint);
        // nothing is recorded for a deferred pass: status keeps the last listing, and no error appears
        var meta = await _store.LoadMetaAsync();
        Assert.Equal(listedAt, meta[MetaFields.LastSuccessAt(CaptureCatalogue.Groups)]);
        Assert.True(string.IsNullOrEmpty(meta.GetValueOrDefault(MetaFields.LastError(CaptureCatalogue.Groups))));
    }

    [Fact]
    public async Task Run_OnceTheIntervalHasPassed_ListsGroupsAgainAndEmitsTheChange()
    {
        var cycle = Cycle();
        await cycle.RunAsync(Changes, CancellationToken.None);
        _freshchat.GroupListings.Enqueue([Group("g1", "Sales EMEA")]);

        _time.Advance(TimeSpan.FromMinutes(5));
        await cycle.RunAsync(Changes, CancellationToken.None);

        Assert.Equal(2, _freshchat.GroupListingCount);
        Assert.Contains(_sink.Added, e => e.Key.Id == "g1" && e.Op == Producer.Events.ChangeOp.Update);
    }

    [Fact]
    public async Task Run_FirstCycleOfANewProcess_ListsGroupsWhateverTheStoredDueTime()
    {
        await Cycle().RunAsync(Changes, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));

        var restarted = Cycle();
        await restarted.RunAsync(Changes, CancellationToken.None);
        Assert.Equal(2, _freshchat.GroupListingCount);

        // the due time came from the stored last listing, committed with its batch: the restarted process paces too
        _time.Advance(TimeSpan.FromSeconds(5));
        await restarted.RunAsync(Changes, CancellationToken.None);
        Assert.Equal(2, _freshchat.GroupListingCount);
    }

    [Fact]
    public async Task Run_OnceSnapshotAndStateLossRecapture_AlwaysListGroups()
    {
        var cycle = Cycle();
        await cycle.RunAsync(Changes, CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(5));
        await cycle.RunAsync(Changes with { Once = true }, CancellationToken.None);
        Assert.Equal(2, _freshchat.GroupListingCount);

        _time.Advance(TimeSpan.FromSeconds(5));
        await cycle.RunAsync(new CaptureRun(CaptureMode.Snapshot, [CaptureCatalogue.Groups], Once: true), CancellationToken.None);
        Assert.Equal(3, _freshchat.GroupListingCount);

        _time.Advance(TimeSpan.FromSeconds(5));
        await _store.CommitAsync(new StateCommit().SetMeta(MetaFields.Resnapshot, MetaFields.Format(_time.GetUtcNow())));
        await cycle.RunAsync(Changes, CancellationToken.None);
        Assert.Equal(4, _freshchat.GroupListingCount);
    }

    [Fact]
    public async Task Run_AfterAFailedListing_RetriesEveryCycle()
    {
        var cycle = Cycle();
        await cycle.RunAsync(Changes, CancellationToken.None);
        await _store.CommitAsync(new StateCommit().SetMeta(MetaFields.LastError(CaptureCatalogue.Groups), "Freshchat answered 503"));

        _time.Advance(TimeSpan.FromSeconds(5));
        await cycle.RunAsync(Changes, CancellationToken.None);

        Assert.Equal(2, _freshchat.GroupListingCount);
    }

    [Fact]
    public async Task Run_IntervalZero_ListsGroupsEveryCycle()
    {
        _options.CatalogueInterval = TimeSpan.Zero;
        var cycle = Cycle();
        for (var i = 0; i < 3; i++)
        {
            await cycle.RunAsync(Changes, CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(3, _freshchat.GroupListingCount);
    }

    [Fact]
    public async Task Run_ReconcileIntervalShorterThanTheCatalogueInterval_ListsAtTheReconcileInterval()
    {
        _options.CatalogueInterval = TimeSpan.FromHours(2);
        _options.ReconcileInterval = TimeSpan.FromMinutes(1);
        var cycle = Cycle();
        await cycle.RunAsync(Changes, CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(30));
        await cycle.RunAsync(Changes, CancellationToken.None);
        Assert.Equal(1, _freshchat.GroupListingCount);

        _time.Advance(TimeSpan.FromSeconds(30));
        await cycle.RunAsync(Changes, CancellationToken.None);
        Assert.Equal(2, _freshchat.GroupListingCount);
    }

    [Fact]
    public void IsPaced_CataloguesWithoutAChangeFeed_AreAndAgentsUsersConversationsAreNot()
    {
        Assert.All([typeof(AccountConfigurationCapture), typeof(RolesCapture), typeof(GroupsCapture), typeof(ChannelsCapture)],
            t => Assert.True(CatalogueCadence.IsPaced(t)));
        Assert.All([typeof(AgentsCapture), typeof(OutboundMessagesCapture), typeof(UsersCapture), typeof(ReportsCapture), typeof(ConversationsCapture)],
            t => Assert.False(CatalogueCadence.IsPaced(t)));
    }

    private CaptureCycle Cycle()
    {
        var options = Options.Create(_options);
        var requests = new FreshchatMetrics();
        var progress = new CaptureProgress(requests, new FreshchatOptions(), options, Options.Create(new ObservabilityOptions()), new ListingTotals(),
            new ProgressStore(_store), Changes, _time, NullLogger<CaptureProgress>.Instance);
        return new CaptureCycle([new GroupsCapture(NullLogger<GroupsCapture>.Instance)],
            new StateLossRecovery(_store, new EmptyPublishedHistory(), NullLogger<StateLossRecovery>.Instance), _freshchat, _store, _sink, options,
            new CaptureAccount("acct"), new CaptureMetrics(time: _time), requests, progress, _time, NullLogger<CaptureCycle>.Instance, new ListingRejects(),
            new EndpointAccess(requests, NullLogger<EndpointAccess>.Instance));
    }

    private static string Group(string id, string name) => $$"""{"id":"{{id}}","name":"{{name}}"}""";
}
