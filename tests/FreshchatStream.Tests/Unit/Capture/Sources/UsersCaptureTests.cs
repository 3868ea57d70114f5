using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// <see cref="UsersCapture"/>: the <c>created_from</c> high-water mark with its overlap, the ids at the mark,
/// deletion confirmed only by <c>GET /users/{id}</c> → 404, and state committed only with an acknowledged batch.
/// </summary>
public sealed class UsersCaptureTests
{
    private static readonly DateTimeOffset T1 = new(2025, 7, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = new(2025, 7, 1, 9, 30, 0, TimeSpan.Zero);

    private readonly StrategyHarness _harness = new();
    private readonly UsersCapture _users = new(NullLogger<UsersCapture>.Instance);

    [Fact]
    public async Task CaptureAsync_FirstRun_ListsFromTheBeginningAndCommitsTheNewestCreatedTimeWithItsIds()
    {
        AddUser("u1", T1);
        AddUser("u2", T2);
        AddUser("u3", T2);

        await _harness.RunAsync(_users);

        Assert.Equal(UsersCapture.Beginning, _harness.Freshchat.UserQueries.Single().CreatedFrom);
        Assert.Equal(["u1", "u2", "u3"], _harness.LastEvents.Select(e => e.Key.Id).Order());
        Assert.All(_harness.LastEvents, e => Assert.Equal(ChangeOp.Create, e.Op));
        var cursor = (await _harness.Store.LoadCursorsAsync())["users"];
        Assert.Equal(T2, cursor.HighWaterMark);
        Assert.Equal(["u2", "u3"], cursor.IdsAtHighWaterMark.Order());
    }

    [Fact]
    public async Task CaptureAsync_IncrementalRun_ReadsFromTheMarkMinusOverlapWithoutDuplicatesOrLoss()
    {
        AddUser("u1", T1);
        AddUser("u2", T2);
        await _harness.RunAsync(_users);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        AddUser("u3", T2); // created at the very instant of the high-water mark, after the first listing
        AddUser("u4", T2.AddSeconds(-10)); // a late timestamp inside the overlap

        await _harness.RunAsync(_users);

        Assert.Equal(T2 - _harness.Options.Overlap, _harness.Freshchat.UserQueries[^1].CreatedFrom);
        Assert.Equal(["u3", "u4"], _harness.LastEvents.Select(e => e.Key.Id).Order());
        Assert.All(_harness.LastEvents, e => Assert.Equal(ChangeOp.Create, e.Op));
        var cursor = (await _harness.Store.LoadCursorsAsync())["users"];
        Assert.Equal(T2, cursor.HighWaterMark);
        Assert.Equal(["u2", "u3"], cursor.IdsAtHighWaterMark.Order());
    }

    [Fact]
    public async Task CaptureAsync_UserEditedInsideTheOverlap_EmitsOneUpdate()
    {
        AddUser("u1", T2);
        await _harness.RunAsync(_users);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        AddUser("u1", T2, name: "renamed");

        await _harness.RunAsync(_users);

        var update = Assert.Single(_harness.LastEvents);
        Assert.Equal(("u1", ChangeOp.Update), (update.Key.Id, update.Op));
    }

    [Fact]
    public async Task CaptureAsync_ReconciliationMissesUsers_DeletesOnlyThoseAGetAnswers404For()
    {
        foreach (var id in new[] { "u1", "u2", "u3", "u4", "u5" })
        {
            AddUser(id, T1);
        }

        await _harness.RunAsync(_users);
        _harness.Time.Advance(_harness.Options.ReconcileInterval);
        _harness.Freshchat.Users.Remove("u5");
        _harness.Freshchat.UsersListed = ["u1", "u2", "u3"]; // u4 skipped by the listing yet still there

        await _harness.RunAsync(_users);

        Assert.Equal(["u4", "u5"], _harness.Freshchat.UserGets.Order());
        var deleted = Assert.Single(_harness.LastEvents);
        Assert.Equal(("u5", ChangeOp.Delete), (deleted.Key.Id, deleted.Op));
        var stored = await _harness.Store.GetFingerprintsAsync("users", ["u4", "u5"]);
        Assert.True(stored.ContainsKey("u4"));
        Assert.False(stored.ContainsKey("u5"));
    }

    [Fact]
    public async Task CaptureAsync_IncrementalRunBeforeReconcileIsDue_DeletesNothing()
    {
        AddUser("u1", T1);
        AddUser("u2", T1);
        await _harness.RunAsync(_users);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        _harness.Freshchat.Users.Remove("u2");

        await _harness.RunAsync(_users);

        Assert.Empty(_harness.LastEvents);
        Assert.Empty(_harness.Freshchat.UserGets);
    }

    [Fact]
    public async Task CaptureAsync_BatchNotAcknowledged_CommitsNoCursorAndTheRetryRepeatsTheUsers()
    {
        AddUser("u1", T1);
        AddUser("u2", T2);
        _harness.Sink.FailWhen = e => e.Key.Id == "u2";

        await Assert.ThrowsAsync<DeliveryIncompleteException>(() => _harness.RunAsync(_users));

        Assert.Empty(await _harness.Store.LoadCursorsAsync());
        Assert.Empty(await _harness.Store.LoadMetaAsync());

        _harness.Sink.FailWhen = _ => false;
        await _harness.RunAsync(_users);

        Assert.Equal(["u1", "u2"], _harness.LastEvents.Select(e => e.Key.Id).Order());
        Assert.Equal(T2, (await _harness.Store.LoadCursorsAsync())["users"].HighWaterMark);
    }

    [Fact]
    public async Task CaptureAsync_StateLostAndRecaptured_EmitsReadsAndQueuesEveryUserForConversationDiscovery()
    {
        AddUser("u1", T1);
        AddUser("u2", T2);

        // What CaptureCycle passes after StateLossRecovery recorded the loss: first-seen entities are r, not c.
        await _harness.RunAsync(_users, selected: new HashSet<string>([CaptureCatalogue.Users, CaptureCatalogue.Conversations]), firstSeenOp: ChangeOp.Snapshot);

        Assert.All(_harness.LastEvents, e => Assert.Equal(ChangeOp.Snapshot, e.Op));
        Assert.Equal(2, _harness.LastEvents.Count);
        Assert.Equal(["u1", "u2"], (await _harness.Store.GetQueuedDiscoveriesAsync(10)).Order());
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task CaptureAsync_EditsBetweenWholeWindowReads_ListedFromTheNewestUpdateSeen_ThenTheWholeOverlapAtOverlapInterval()
    {
        _harness.Freshchat.UpdatedFilter = Producer.Freshchat.Models.UpdatedFilterSupport.Honoured;
        AddUser("u1", T1);
        AddUser("u2", T2);
        AddUser("u3", T1);
        await _harness.RunAsync(_users); // the full listing: every user read, so the window counts as read

        _harness.Time.Advance(TimeSpan.FromSeconds(10));
        var edited = _harness.Time.GetUtcNow() - TimeSpan.FromSeconds(2);
        EditUser("u1", T1, edited, "renamed");
        await _harness.RunAsync(_users);

        Assert.Equal(T2 - TimeSpan.FromSeconds(1), _harness.Freshchat.UserQueries[^1].UpdatedFrom); // the newest update seen, less a second
        var update = Assert.Single(_harness.LastEvents);
        Assert.Equal(("u1", ChangeOp.Update), (update.Key.Id, update.Op));

        // Visible late, stamped before the newest update already listed (and created before the created_from overlap):
        // a narrow read does not see it ...
        _harness.Time.Advance(TimeSpan.FromSeconds(10));
        EditUser("u3", T1, edited - TimeSpan.FromSeconds(30), "late");
        await _harness.RunAsync(_users);
        Assert.Equal(edited - TimeSpan.FromSeconds(1), _harness.Freshchat.UserQueries[^1].UpdatedFrom);
        Assert.Empty(_harness.LastEvents);

        // ... the whole-window read, once OverlapInterval has passed since the last one, does.
        var previousCycle = _harness.Time.GetUtcNow();
        _harness.Time.Advance(_harness.Options.OverlapInterval);
        await _harness.RunAsync(_users);
        Assert.Equal(previousCycle - _harness.Options.Overlap, _harness.Freshchat.UserQueries[^1].UpdatedFrom);
        var late = Assert.Single(_harness.LastEvents);
        Assert.Equal(("u3", ChangeOp.Update), (late.Key.Id, late.Op));
        var cursor = (await _harness.Store.LoadCursorsAsync())["users"];
        Assert.Equal(_harness.Time.GetUtcNow(), cursor.Time(UsersCapture.OverlapReadAt));
        Assert.Equal(edited, cursor.Time(UsersCapture.NewestUpdateSeen));
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task CaptureAsync_OverlapIntervalZero_ReadsTheWholeOverlapWindowEveryCycle()
    {
        _harness.Freshchat.UpdatedFilter = Producer.Freshchat.Models.UpdatedFilterSupport.Honoured;
        _harness.Options.OverlapInterval = TimeSpan.Zero;
        AddUser("u1", T1);
        await _harness.RunAsync(_users);

        for (var cycle = 0; cycle < 3; cycle++)
        {
            var previous = _harness.Time.GetUtcNow();
            _harness.Time.Advance(TimeSpan.FromSeconds(5));
            await _harness.RunAsync(_users);
            Assert.Equal(previous - _harness.Options.Overlap, _harness.Freshchat.UserQueries[^1].UpdatedFrom);
        }
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task CaptureAsync_FreshchatClockTenMinutesBehind_NarrowReadStillSeesTheEdit()
    {
        // The narrow read starts from Freshchat's own stamps, so a skewed clock cannot put an edit before it.
        _harness.Freshchat.UpdatedFilter = Producer.Freshchat.Models.UpdatedFilterSupport.Honoured;
        AddUser("u1", T1);
        AddUser("u2", T1);
        await _harness.RunAsync(_users);
        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        EditUser("u2", T1, _harness.Time.GetUtcNow() - TimeSpan.FromMinutes(10), "skewed");

        await _harness.RunAsync(_users);

        Assert.Equal(T1 - TimeSpan.FromSeconds(1), _harness.Freshchat.UserQueries[^1].UpdatedFrom);
        var update = Assert.Single(_harness.LastEvents);
        Assert.Equal(("u2", ChangeOp.Update), (update.Key.Id, update.Op));
    }

    private void EditUser(string id, DateTimeOffset created, DateTimeOffset updated, string name) =>
        _harness.Freshchat.Users[id] = $$"""{"id":"{{id}}","first_name":"{{name}}","created_time":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}","updated_time":"{{updated:yyyy-MM-ddTHH:mm:ss.fffZ}}"}""";

    private void AddUser(string id, DateTimeOffset created, string name = "n") =>
        _harness.Freshchat.Users[id] = $$"""{"id":"{{id}}","first_name":"{{name}}","created_time":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}","updated_time":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}"}""";
}
