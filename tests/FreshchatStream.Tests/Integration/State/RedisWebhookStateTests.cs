using FreshchatStream.Producer.State;
using FreshchatStream.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FreshchatStream.Tests.Integration.State;

/// <summary>Push signals and acknowledged webhook ids in a real Redis, as two replicas of one account see them.</summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#19")]
[Collection(RedisCollection.Name)]
public sealed class RedisWebhookStateTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();
    private RedisCursorStore _replicaA = null!;
    private RedisCursorStore _replicaB = null!;

    private IDatabase Db => redis.Connection.GetDatabase();

    public Task InitializeAsync()
    {
        _replicaA = Store(_prefix);
        _replicaB = Store(_prefix);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _replicaA.DisposeAsync();
        await _replicaB.DisposeAsync();
    }

    [Fact]
    public async Task Signals_RecordedOnOneReplica_WakeAndAreTakenOnTheOther_MergedOnceAndTakenOnce()
    {
        var ingress = new RedisConversationSignalStore(_replicaA);
        var capturer = new RedisConversationSignalStore(_replicaB);
        var woken = new SemaphoreSlim(0);
        await capturer.SubscribeAsync(() => woken.Release());
        Assert.False(await capturer.HasPendingAsync());

        await ingress.RecordAsync("a", ConversationSignal.Messages);
        Assert.True(await woken.WaitAsync(TimeSpan.FromSeconds(5)), "no wake-up reached the other replica");
        await ingress.RecordAsync("a", ConversationSignal.Messages);
        await ingress.RecordAsync("b", ConversationSignal.Messages);
        await ingress.RecordAsync("b", ConversationSignal.Full);
        await ingress.RecordAsync("c", ConversationSignal.Full);
        await ingress.RecordAsync("c", ConversationSignal.Messages);
        Assert.Equal("1", (string?)await Db.HashGetAsync($"{_prefix}:signals", "a"));
        Assert.True(await capturer.HasPendingAsync());

        await ingress.RecordAsync("d", ConversationSignal.Status);
        await ingress.RecordAsync("d", ConversationSignal.Status);
        await ingress.RecordAsync("e", ConversationSignal.Status);
        await ingress.RecordAsync("e", ConversationSignal.Messages);
        Assert.Equal("2", (string?)await Db.HashGetAsync($"{_prefix}:signals", "d"));
        var taken = await capturer.TakeAsync();

        Assert.Equal(new Dictionary<string, ConversationSignal>
        {
            ["a"] = ConversationSignal.Messages, ["b"] = ConversationSignal.Full, ["c"] = ConversationSignal.Full, ["d"] = ConversationSignal.Status, ["e"] = ConversationSignal.Full,
        }, taken);
        Assert.Empty(await ingress.TakeAsync());
        Assert.False(await Db.KeyExistsAsync($"{_prefix}:signals"));
    }

    [Fact]
    public async Task TakeAsync_TwoTakersRacingRecords_NeitherSplitsNorRepeatsASignal()
    {
        var ingress = new RedisConversationSignalStore(_replicaA);
        var takers = new[] { new RedisConversationSignalStore(_replicaA), new RedisConversationSignalStore(_replicaB) };
        var ids = Enumerable.Range(0, 300).Select(i => $"conv-{i}").ToList();

        var recording = Task.WhenAll(ids.Select(id => ingress.RecordAsync(id, ConversationSignal.Full)));
        var taken = new List<string>();
        while (!recording.IsCompleted || await ingress.HasPendingAsync())
        {
            var rounds = await Task.WhenAll(takers.Select(t => t.TakeAsync()));
            taken.AddRange(rounds.SelectMany(r => r.Keys));
        }

        await recording;
        taken.AddRange((await ingress.TakeAsync()).Keys);
        Assert.Equal(ids.Order(StringComparer.Ordinal), taken.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Acknowledged_MarkedWithTheTtlUnderTheAccountPrefix_SeenByTheOtherReplica_NotByAnotherAccount()
    {
        var replicaA = new RedisAcknowledgedWebhookStore(_replicaA, TimeProvider.System);
        var replicaB = new RedisAcknowledgedWebhookStore(_replicaB, TimeProvider.System);
        await using var otherAccountState = Store(RedisServerFixture.NewKeyPrefix());
        var otherAccount = new RedisAcknowledgedWebhookStore(otherAccountState, TimeProvider.System);
        Assert.False(await replicaB.IsAcknowledgedAsync("w1"));

        await replicaA.MarkAcknowledgedAsync("w1", TimeSpan.FromHours(24));
        var ttl = await Db.KeyTimeToLiveAsync($"{_prefix}:webhook:acked:w1");
        await replicaB.MarkAcknowledgedAsync("w1", TimeSpan.FromMinutes(1)); // NX: the first mark's expiry stands

        Assert.True(await replicaB.IsAcknowledgedAsync("w1"));
        Assert.False(await otherAccount.IsAcknowledgedAsync("w1"));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
        Assert.True(await Db.KeyTimeToLiveAsync($"{_prefix}:webhook:acked:w1") > TimeSpan.FromHours(23.9));

        await Db.KeyDeleteAsync($"{_prefix}:webhook:acked:w1"); // as the TTL would
        Assert.False(await replicaA.IsAcknowledgedAsync("w1"));
    }

    private RedisCursorStore Store(string prefix) =>
        new(Options.Create(new RedisOptions { Configuration = redis.Configuration, KeyPrefix = prefix }), NullLogger<RedisCursorStore>.Instance);
}
