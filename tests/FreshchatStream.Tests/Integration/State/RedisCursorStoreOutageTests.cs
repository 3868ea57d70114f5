using FreshchatStream.Producer.State;
using FreshchatStream.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Tests.Integration.State;

/// <summary>Its own redis-server: stopping it must not disturb the shared one.</summary>
[CollectionDefinition(Name)]
public sealed class RedisOutageCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis-outage";
}

[Trait("Category", "Integration")]
[Collection(RedisOutageCollection.Name)]
public sealed class RedisCursorStoreOutageTests(RedisServerFixture redis)
{
    private static readonly DateTimeOffset T0 = new(2025, 7, 3, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CommitAsync_RedisStoppedThenRestarted_FailsClearlyThenWorksAgain()
    {
        var prefix = RedisServerFixture.NewKeyPrefix();
        await using var store = new RedisCursorStore(
            Options.Create(new RedisOptions { Configuration = redis.Configuration, KeyPrefix = prefix }), NullLogger<RedisCursorStore>.Instance);
        await store.CommitAsync(new StateCommit().SetCursor("users", ResourceCursor.Initial(T0)));

        redis.StopServer();
        try
        {
            var started = DateTime.UtcNow;
            var e = await Assert.ThrowsAsync<CursorStoreUnavailableException>(() =>
                store.CommitAsync(new StateCommit().SetCursor("users", ResourceCursor.Initial(T0.AddDays(1))).SetFingerprint("users", "u1", "f")));

            Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(10));
            Assert.Contains($"127.0.0.1:{redis.Port}", e.Message);
            Assert.Contains("Nothing was committed", e.Message);
            await Assert.ThrowsAsync<CursorStoreUnavailableException>(() => store.LoadCursorsAsync());
        }
        finally
        {
            await redis.StartServerAsync();
        }

        // The store reconnects by itself; data is gone (no persistence), which the state marker reveals.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        StateMarker? marker = null;
        while (marker is null)
        {
            try
            {
                marker = await store.EnsureStateMarkerAsync(T0);
            }
            catch (CursorStoreUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }

        Assert.True(marker.CreatedNow);
        await store.CommitAsync(new StateCommit().SetCursor("users", ResourceCursor.Initial(T0.AddDays(2))).SetFingerprint("users", "u1", "f"));
        Assert.Equal(T0.AddDays(2), (await store.LoadCursorsAsync())["users"].HighWaterMark);
        Assert.Equal("f", (await store.GetFingerprintsAsync("users", ["u1"]))["u1"]);
    }
}
