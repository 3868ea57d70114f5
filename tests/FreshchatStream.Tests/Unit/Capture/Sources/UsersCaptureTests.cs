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

    private void AddUser(string id, DateTimeOffset created, string name = "n") =>
        _harness.Freshchat.Users[id] = $$"""{"id":"{{id}}","first_name":"{{name}}","created_time":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}","updated_time":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}"}""";
}
