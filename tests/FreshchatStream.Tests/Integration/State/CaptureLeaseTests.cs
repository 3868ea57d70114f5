using System.Diagnostics;
using FreshchatStream.Producer.State;
using FreshchatStream.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Integration.State;

/// <summary>
/// The single-writer lease and the fence on every state write, against a real redis-server: acquisition bumps the
/// epoch, renewal extends, expiry lets another instance in, a release keeps the epoch and wakes a standby, and a
/// write under a superseded epoch is refused atomically with nothing written and no cursor moved backwards.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#19")]
[Collection(RedisCollection.Name)]
public sealed class CaptureLeaseTests(RedisServerFixture redis) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private readonly RedisKeys _keys = new(RedisServerFixture.NewKeyPrefix());
    private readonly List<IAsyncDisposable> _owned = [];
    private RedisConnection _connection = null!;

    public Task InitializeAsync()
    {
        _connection = new RedisConnection(redis.Configuration);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await _connection.DisposeAsync();
    }

    private CaptureLease Lease(string instance, double ttlSeconds = 2, double waitSeconds = 0)
    {
        var lease = new CaptureLease("acme", _keys, _connection,
            new LeaseOptions { InstanceId = instance, LeaseTtl = TimeSpan.FromSeconds(ttlSeconds), LeaseWaitTimeout = TimeSpan.FromSeconds(waitSeconds) },
            TimeProvider.System, NullLogger<CaptureLease>.Instance);
        _owned.Add(lease);
        return lease;
    }

    private RedisCursorStore Store(CaptureLease? fence) => new(_connection, _keys, NullLogger<RedisCursorStore>.Instance, fence);

    [Fact]
    public async Task TryAcquire_FreeLease_TakesItAtEpochOne_AndAnotherInstanceSeesTheHolder()
    {
        var a = Lease("instance-a");
        var b = Lease("instance-b");

        var first = await a.TryAcquireAsync();
        var second = await b.TryAcquireAsync();

        Assert.True(first.Acquired);
        Assert.Equal(new LeaseToken("instance-a", 1), a.Current);
        Assert.False(a.HeldToken.IsCancellationRequested);
        Assert.False(second.Acquired);
        Assert.Null(b.Current);
        Assert.Equal("instance-a", second.Status.Holder);
        Assert.Equal(1, second.Status.Epoch);
        Assert.True(second.Status.IsHeld);
        Assert.InRange((second.Status.ExpiresAt!.Value - second.Status.ServerTime).TotalSeconds, 1, 2);
        var hash = (await redis.Connection.GetDatabase().HashGetAllAsync(_keys.Lease)).ToDictionary(e => (string)e.Name!, e => (string)e.Value!);
        Assert.Equal(["epoch", "expires_at", "holder"], hash.Keys.Order(StringComparer.Ordinal));
        Assert.Null(await redis.Connection.GetDatabase().KeyTimeToLiveAsync(_keys.Lease)); // the hash never expires: the epoch only grows
    }

    [Fact]
    public async Task Renew_WhileHeld_ExtendsTheExpiry_SoNoOneElseGetsIt()
    {
        var a = Lease("instance-a", ttlSeconds: 1);
        var b = Lease("instance-b", ttlSeconds: 1);
        await a.TryAcquireAsync();

        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(400);
            Assert.True(await a.RenewAsync());
            Assert.False((await b.TryAcquireAsync()).Acquired); // 2 s after acquisition, past the 1 s TTL: renewal kept it
        }

        Assert.Equal(1, (await b.ReadAsync()).Epoch);
    }

    [Fact]
    public async Task Expired_WithoutRenewal_AnotherInstanceTakesItWithAHigherEpoch_AndTheOldHolderLearnsItLostIt()
    {
        var a = Lease("instance-a", ttlSeconds: 1);
        var b = Lease("instance-b", ttlSeconds: 1);
        await a.TryAcquireAsync();
        var held = a.HeldToken;

        await Task.Delay(1200);
        var takeover = await b.TryAcquireAsync();

        Assert.True(takeover.Acquired);
        Assert.Equal(new LeaseToken("instance-b", 2), b.Current);
        Assert.False(await a.RenewAsync());
        Assert.Null(a.Current);
        Assert.True(held.IsCancellationRequested);
        Assert.Equal("instance-b", (await a.ReadAsync()).Holder);
    }

    [Fact]
    public async Task Release_ClearsHolderAndExpiry_KeepsTheEpoch_AndWakesAWaitingStandbyAtOnce()
    {
        var a = Lease("instance-a", ttlSeconds: 30);
        var b = Lease("instance-b", ttlSeconds: 30);
        await a.TryAcquireAsync();
        Assert.False((await b.TryAcquireAsync()).Acquired);
        await b.WaitForReleaseAsync(TimeSpan.FromMilliseconds(100)); // subscribes

        var waiting = Stopwatch.StartNew();
        var standby = b.WaitForReleaseAsync(TimeSpan.FromSeconds(10));
        await a.ReleaseAsync();
        await standby;
        waiting.Stop();

        var status = await b.ReadAsync();
        Assert.Null(status.Holder);
        Assert.Null(status.ExpiresAt);
        Assert.Equal(1, status.Epoch);
        Assert.False(status.IsHeld);
        Assert.Null(a.Current);
        Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(5), $"the standby woke after {waiting.Elapsed.TotalSeconds:0.00} s");
        var next = await b.TryAcquireAsync();
        Assert.True(next.Acquired);
        Assert.Equal(2, next.Status.Epoch);
    }

    [Fact]
    public async Task Acquire_HeldElsewhereForTheWholeWait_ThrowsNamingHolderEpochAndExpiry()
    {
        var a = Lease("instance-a", ttlSeconds: 30);
        var b = Lease("instance-b", ttlSeconds: 30);
        await a.TryAcquireAsync();

        var waited = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<LeaseUnavailableException>(() => b.AcquireAsync(TimeSpan.FromSeconds(1)));

        Assert.InRange(waited.Elapsed.TotalSeconds, 0.9, 10);
        Assert.Contains("captured by instance-a (epoch 1, lease expires ", refused.Message);
        Assert.Contains("Capture:LeaseWaitTimeout", refused.Message);
        Assert.Equal("instance-a", refused.Status.Holder);
    }

    [Fact]
    public async Task Commit_UnderASupersededEpoch_IsRefused_WritesNothing_AndNoCursorGoesBackwards()
    {
        var a = Lease("instance-a", ttlSeconds: 1);
        var b = Lease("instance-b", ttlSeconds: 1);
        await using var storeA = Store(a);
        await using var storeB = Store(b);
        await a.TryAcquireAsync();
        await storeA.EnsureStateMarkerAsync(T0);
        await storeA.CommitAsync(new StateCommit().SetCursor("users", ResourceCursor.Initial(T0).Advance(T0.AddMinutes(1), ["u1"])).SetFingerprint("users", "u1", "v1"));

        // A pauses past its TTL; B takes over and captures further.
        await Task.Delay(1200);
        Assert.True((await b.TryAcquireAsync()).Acquired);
        await storeB.CommitAsync(new StateCommit().SetCursor("users", ResourceCursor.Initial(T0).Advance(T0.AddMinutes(5), ["u2"])).SetFingerprint("users", "u1", "v3"));

        // A resumes with its in-flight commit of an older position: refused in the same step, nothing written.
        var refused = await Assert.ThrowsAsync<LeaseLostException>(() => storeA.CommitAsync(new StateCommit()
            .SetCursor("users", ResourceCursor.Initial(T0).Advance(T0.AddMinutes(2), ["u9"])).SetFingerprint("users", "u1", "v2").SetFingerprint("users", "u9", "x")
            .SetMeta("users:last_cycle_at", "stale")));

        Assert.Contains("instance-b", refused.Message);
        Assert.Null(a.Current);
        var cursors = await storeB.LoadCursorsAsync();
        Assert.Equal(T0.AddMinutes(5), cursors["users"].HighWaterMark);
        var fingerprints = await storeB.GetFingerprintsAsync("users", ["u1", "u9"]);
        Assert.Equal("v3", fingerprints["u1"]);
        Assert.False(fingerprints.ContainsKey("u9"));
        Assert.False((await storeB.LoadMetaAsync()).ContainsKey("users:last_cycle_at"));

        // Once A knows it lost the lease, it does not even try.
        await Assert.ThrowsAsync<LeaseLostException>(() => storeA.CommitAsync(new StateCommit().SetMeta("x", "y")));
    }

    [Fact]
    public async Task ResetAndStateMarker_UnderASupersededEpoch_DeleteAndWriteNothing()
    {
        var a = Lease("instance-a", ttlSeconds: 1);
        var b = Lease("instance-b", ttlSeconds: 1);
        await using var storeA = Store(a);
        await using var storeB = Store(b);
        await a.TryAcquireAsync();
        var token = a.Current!.Value;
        await Task.Delay(1200);
        Assert.True((await b.TryAcquireAsync()).Acquired);
        await storeB.EnsureStateMarkerAsync(T0);
        await storeB.CommitAsync(new StateCommit().SetCursor("users", ResourceCursor.Initial(T0)).SetFingerprint("users", "u1", "v1").SetMeta("users:last_events", "1"));

        // A still believes it holds epoch 1 (it has not renewed since its pause).
        Assert.Equal(token, a.Current);
        await Assert.ThrowsAsync<LeaseLostException>(() => storeA.ResetAsync("users"));

        Assert.True((await storeB.LoadCursorsAsync()).ContainsKey("users"));
        Assert.Equal("v1", (await storeB.GetFingerprintsAsync("users", ["u1"]))["u1"]);
        Assert.Equal("1", (await storeB.LoadMetaAsync())["users:last_events"]);

        // The holder's own reset goes through, under the same fence.
        await storeB.ResetAsync("users");
        Assert.False((await storeB.LoadCursorsAsync()).ContainsKey("users"));
        Assert.False((await storeB.LoadMetaAsync()).ContainsKey("users:last_events"));

        // A marker write by a writer without the lease is refused too (state-loss recovery under a live writer).
        await redis.Connection.GetDatabase().HashDeleteAsync(_keys.Meta, RedisKeys.StateCreatedAtField);
        var c = Lease("instance-c", ttlSeconds: 1);
        await using var storeC = Store(c);
        await Assert.ThrowsAsync<LeaseLostException>(() => storeC.EnsureStateMarkerAsync(T0));
        Assert.False(await redis.Connection.GetDatabase().HashExistsAsync(_keys.Meta, RedisKeys.StateCreatedAtField));
    }

    [Fact]
    public async Task Unfenced_Store_WritesWithoutALease()
    {
        await using var store = Store(fence: null);
        await store.EnsureStateMarkerAsync(T0);
        await store.CommitAsync(new StateCommit().SetCursor("users", ResourceCursor.Initial(T0)));
        await store.ResetAsync("users");
        Assert.Empty(await store.LoadCursorsAsync());
    }
}
