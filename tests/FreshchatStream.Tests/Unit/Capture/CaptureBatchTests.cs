using System.Text.Json.Nodes;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Unit.Capture;

/// <summary>
/// The unit of work's rule, proven without Kafka or Redis: staged state is committed only after every event of
/// the batch was acknowledged, and nothing is committed when one fails. The pattern for the per-strategy tests:
/// a <see cref="RecordingChangeSink"/>, the <see cref="InMemoryCursorStore"/> and a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class CaptureBatchTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 7, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly RecordingChangeSink _sink = new();
    private readonly InMemoryCursorStore _store = new();

    [Fact]
    public async Task FlushAsync_EveryEventAcknowledged_CommitsStagedStateOnlyAfterTheAcknowledgement()
    {
        var batch = new CaptureBatch(_sink, _store, batchSize: 100);
        await AddUsersAsync(batch, "u1", "u2", "u3");
        batch.State.SetCursor("users", Cursor());
        _sink.HoldAcknowledgements();

        var flush = batch.FlushAsync(CancellationToken.None);
        await Task.Delay(50);

        Assert.False(flush.IsCompleted);
        Assert.Equal(0, _store.Commits);
        Assert.Empty(await _store.LoadCursorsAsync());

        _sink.ReleaseAcknowledgements();
        await flush;

        Assert.Equal(1, _store.Commits);
        AssertCommittedCursor((await _store.LoadCursorsAsync())["users"]);
        Assert.Equal(3, batch.Acknowledged);
        Assert.Equal(3, batch.AcknowledgedByOp[ChangeOp.Create]);
        Assert.Equal(["u1", "u2", "u3"], _sink.Acknowledged.Select(e => e.Key.Id));
    }

    [Fact]
    public async Task FlushAsync_OneEventNotAcknowledged_CommitsNothingAndThrows()
    {
        _sink.FailWhen = change => change.Key.Id == "u2";
        var batch = new CaptureBatch(_sink, _store, batchSize: 100);
        await AddUsersAsync(batch, "u1", "u2", "u3");
        batch.State.SetCursor("users", Cursor()).SetFingerprint("users", "u3", "f3");

        var failure = await Assert.ThrowsAsync<DeliveryIncompleteException>(() => batch.FlushAsync(CancellationToken.None));

        Assert.Single(failure.Outcome.Failures);
        Assert.Equal(0, _store.Commits);
        Assert.Empty(await _store.LoadCursorsAsync());
        Assert.Empty(await _store.GetFingerprintsAsync("users", ["u1", "u2", "u3"]));
        Assert.Equal(0, batch.Acknowledged);
        Assert.Empty(_sink.Acknowledged);
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task AddAsync_BatchSizeReached_HandsTheBatchOverWithoutWaitingAndCommitsItAfterItsAcknowledgement()
    {
        var acknowledged = new List<int>();
        var batch = new CaptureBatch(_sink, _store, batchSize: 2, acknowledged.Add);
        batch.State.SetCursor("users", Cursor());
        _sink.HoldAcknowledgements();

        await AddUsersAsync(batch, "u1", "u2").WaitAsync(TimeSpan.FromSeconds(10)); // does not wait for Kafka

        Assert.True(batch.State.IsEmpty); // the next batch is being built
        Assert.Empty(await _store.LoadCursorsAsync());
        _sink.ReleaseAcknowledgements();
        await batch.FlushAsync(CancellationToken.None);
        Assert.Equal(1, _sink.CompletedBatches);
        AssertCommittedCursor((await _store.LoadCursorsAsync())["users"]);
        Assert.Equal([2], acknowledged);
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task AddAsync_NextBatchFull_WaitsForThePreviousAcknowledgementSoAtMostOneIsInFlight()
    {
        var batch = new CaptureBatch(_sink, _store, batchSize: 2);
        _sink.HoldAcknowledgements();
        await AddUsersAsync(batch, "u1", "u2", "u3");

        var fourth = AddUsersAsync(batch, "u4");
        await Task.Delay(50);

        Assert.False(fourth.IsCompleted);
        _sink.ReleaseAcknowledgements();
        await fourth.WaitAsync(TimeSpan.FromSeconds(10));
        await batch.FlushAsync(CancellationToken.None);
        Assert.Equal(["u1", "u2", "u3", "u4"], _sink.Acknowledged.Select(e => e.Key.Id));
        Assert.Equal(4, batch.Acknowledged);
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task FlushAsync_OverlappedBatches_CommitInBatchOrder()
    {
        var batch = new CaptureBatch(_sink, _store, batchSize: 2);
        var committed = new List<DateTimeOffset?>();
        for (var n = 1; n <= 5; n++)
        {
            batch.State.SetCursor("users", ResourceCursor.Initial().Advance(_time.GetUtcNow().AddMinutes(n), [$"u{n}"], _time.GetUtcNow()));
            await AddUsersAsync(batch, $"a{n}", $"b{n}");
            committed.Add((await _store.LoadCursorsAsync()).GetValueOrDefault("users")?.HighWaterMark);
        }

        await batch.FlushAsync(CancellationToken.None);

        Assert.Equal(_time.GetUtcNow().AddMinutes(5), (await _store.LoadCursorsAsync())["users"].HighWaterMark);
        // Whenever the store was read it held a prefix: never a later batch's cursor before an earlier one's.
        var seen = committed.Where(c => c is not null).Select(c => c!.Value).ToList();
        Assert.Equal(seen.Order().ToList(), seen);
        Assert.Equal(5, _store.Commits);
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task FlushAsync_BatchInFlightFails_NothingAfterItIsEverCommittedAndItsDeliveredFirstVersionsAreRemembered()
    {
        _sink.FailWhen = change => change.Key.Id == "u2";
        var batch = new CaptureBatch(_sink, _store, batchSize: 2) { ScannedForDeletions = ["users"] };
        batch.State.SetCursor("users", Cursor());
        await AddUsersAsync(batch, "u1", "u2"); // batch N, handed over; its delivery fails
        batch.State.SetFingerprint("users", "u3", "f3");

        // Batch N+1 is being built when N's failure surfaces: at the next hand-over or flush.
        var failure = await Assert.ThrowsAsync<DeliveryIncompleteException>(async () =>
        {
            await AddUsersAsync(batch, "u3", "u4");
            await batch.FlushAsync(CancellationToken.None);
        });

        Assert.Single(failure.Outcome.Failures);
        Assert.Empty(await _store.LoadCursorsAsync());
        await Assert.ThrowsAsync<DeliveryIncompleteException>(() => batch.FlushAsync(CancellationToken.None)); // still failed: no later commit
        await Assert.ThrowsAsync<DeliveryIncompleteException>(() => AddUsersAsync(batch, "u5"));
        Assert.Empty(await _store.LoadCursorsAsync());
        Assert.Equal(0, batch.Acknowledged);
        // u1 (batch N) and u3/u4 (batch N+1) may be in Kafka: known as unacknowledged, so they are published again.
        var stored = await _store.GetFingerprintsAsync("users", ["u1", "u2", "u3", "u4"]);
        Assert.Equal(ChangeDetector.Unacknowledged, stored["u1"]);
        Assert.False(stored.ContainsKey("u2"));
        Assert.Equal(ChangeDetector.Unacknowledged, stored["u3"]);
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task Crash_WhileTheNextBatchIsBuilt_OnlyAcknowledgedBatchesAreCommittedSoNothingIsLost()
    {
        var batch = new CaptureBatch(_sink, _store, batchSize: 2);
        batch.State.SetCursor("users", Cursor());
        await AddUsersAsync(batch, "u1", "u2"); // batch N handed over
        _sink.HoldAcknowledgements();
        batch.State.SetCursor("users", ResourceCursor.Initial().Advance(_time.GetUtcNow(), ["u4"], _time.GetUtcNow()));
        await AddUsersAsync(batch, "u3", "u4"); // waits for N, hands N+1 over; its acknowledgement is held
        await AddUsersAsync(batch, "u5");

        // The process dies here: the batch is never flushed. Redis holds N's cursor only, so N+1 and later are read again.
        AssertCommittedCursor((await _store.LoadCursorsAsync())["users"]);
        Assert.Equal(["u1", "u2"], _sink.Acknowledged.Select(e => e.Key.Id));
        _sink.ReleaseAcknowledgements();
    }

    [Fact]
    public async Task FlushAsync_RejectedItem_IsAcknowledgedAsADeadLetter()
    {
        var batch = new CaptureBatch(_sink, _store, batchSize: 100);
        await batch.AddRejectedAsync(new RejectedItem("users", "/v2/users", "not JSON", "{"), CancellationToken.None);
        batch.State.SetCursor("users", Cursor());

        await batch.FlushAsync(CancellationToken.None);

        Assert.Equal(1, batch.DeadLettered);
        Assert.Single(_sink.Rejected);
        Assert.Equal(1, _store.Commits);
    }

    [Fact]
    public async Task FlushAsync_FailedBatchOfAScannedResource_RemembersDeliveredFirstVersionsAsUnacknowledged()
    {
        _sink.FailWhen = change => change.Key.Id == "u2";
        var batch = new CaptureBatch(_sink, _store, batchSize: 100) { ScannedForDeletions = ["users"] };
        await AddUsersAsync(batch, "u1", "u2");
        batch.State.SetCursor("users", Cursor());

        await Assert.ThrowsAsync<DeliveryIncompleteException>(() => batch.FlushAsync(CancellationToken.None));

        var stored = await _store.GetFingerprintsAsync("users", ["u1", "u2"]);
        Assert.Equal(ChangeDetector.Unacknowledged, stored["u1"]);
        Assert.False(stored.ContainsKey("u2"));
        Assert.Empty(await _store.LoadCursorsAsync());
    }

    [Fact]
    public async Task FlushAsync_AfterAFailedFlush_NextFlushStartsAFreshBatchAndCommits()
    {
        _sink.FailWhen = change => change.Key.Id == "u1";
        var batch = new CaptureBatch(_sink, _store, batchSize: 100);
        await AddUsersAsync(batch, "u1");
        await Assert.ThrowsAsync<DeliveryIncompleteException>(() => batch.FlushAsync(CancellationToken.None));

        _sink.FailWhen = _ => false;
        var retry = new CaptureBatch(_sink, _store, batchSize: 100);
        await AddUsersAsync(retry, "u1");
        retry.State.SetCursor("users", Cursor());
        await retry.FlushAsync(CancellationToken.None);

        Assert.Equal(["u1"], _sink.Acknowledged.Select(e => e.Key.Id));
        AssertCommittedCursor((await _store.LoadCursorsAsync())["users"]);
    }

    private ResourceCursor Cursor() => ResourceCursor.Initial().Advance(_time.GetUtcNow().AddMinutes(-5), ["u3"], _time.GetUtcNow());

    private void AssertCommittedCursor(ResourceCursor committed)
    {
        Assert.Equal(Cursor().HighWaterMark, committed.HighWaterMark);
        Assert.Equal(["u3"], committed.IdsAtHighWaterMark);
    }

    private async Task AddUsersAsync(CaptureBatch batch, params string[] ids)
    {
        foreach (var id in ids)
        {
            var user = new JsonObject { ["id"] = id, ["updated_time"] = "2025-07-01T09:55:00.000Z" };
            await batch.AddAsync(ChangeEvent.ForEntity(CaptureCatalogue.UsersTopic, ChangeOp.Create, user, _time.GetUtcNow(), "acct", "/v2/users"), CancellationToken.None);
        }
    }
}
