using FreshchatStream.Bench;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.State;
using FreshchatStream.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FreshchatStream.Tests.Integration.State;

/// <summary>
/// State written by a release before state format 2, read and upgraded by <see cref="RedisCursorStore"/> against a
/// real Redis: readable as it is, rewritten compactly by <see cref="RedisCursorStore.UpgradeAsync"/> with the same
/// meaning (fingerprints still match, cursors keep their position, the discovery queue keeps its users), and smaller.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#21")]
[Collection(RedisCollection.Name)]
public sealed class RedisStateUpgradeTests(RedisServerFixture redis) : IAsyncLifetime
{
    private const string User1 = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    private const string User2 = "7a1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    private const string Conversation1 = "0c1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    private const string Message1 = "9e1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    private static readonly DateTimeOffset T0 = new(2025, 7, 3, 21, 31, 59, 88, TimeSpan.Zero);

    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();
    private RedisCursorStore _store = null!;

    private IDatabase Db => redis.Connection.GetDatabase();

    private RedisKeys Keys => _store.Keys;

    public Task InitializeAsync()
    {
        _store = new RedisCursorStore(Options.Create(new RedisOptions { Configuration = redis.Configuration, KeyPrefix = _prefix }), NullLogger<RedisCursorStore>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task UpgradeAsync_StateInTheEarlierLayout_IsReadTheSameBeforeAndAfterAndRewrittenCompactly()
    {
        var (user1, user2, conversation) = (Full("user 1"), Full("user 2"), Full("conversation 1"));
        await WriteEarlierLayoutAsync(user1, user2, conversation);
        var usersBytesBefore = await MemoryAsync(Keys.Fingerprints("users"));

        await AssertSameMeaningAsync(user1, conversation, legacyQueue: true);
        var rewritten = await _store.UpgradeAsync();
        await AssertSameMeaningAsync(user1, conversation, legacyQueue: false);

        Assert.Equal(7, rewritten); // 2 user and 1 conversation fingerprints, 1 availability value, 1 state, 1 schedule member, 1 queued user
        Assert.Equal("2", (string?)await Db.HashGetAsync(Keys.Meta, RedisKeys.StateFormatField));
        Assert.Equal(0, await _store.UpgradeAsync()); // recorded: not scanned again

        // The stored forms are the compact ones (docs/state.md), and the availability value, not a fingerprint, stayed text.
        var fingerprint = (byte[]?)await Db.HashGetAsync(Keys.Fingerprints("users"), RedisIdEncoding.Encode(User1));
        Assert.Equal(13, fingerprint!.Length);
        Assert.False(await Db.HashExistsAsync(Keys.Fingerprints("users"), User1));
        Assert.Equal("""{"availability_status":"AVAILABLE"}""", (string?)await Db.HashGetAsync(Keys.Fingerprints("agent_availability"), RedisIdEncoding.Encode(User2)));
        Assert.True(ConversationStateEncoding.IsCurrent((byte[])(await Db.HashGetAsync(Keys.MessageCursors, RedisIdEncoding.Encode(Conversation1)))!));
        Assert.Equal(T0.AddMinutes(5).ToUnixTimeMilliseconds(), await Db.SortedSetScoreAsync(Keys.ConversationSchedule, RedisIdEncoding.Encode(Conversation1)));
        Assert.False(await Db.KeyExistsAsync(Keys.LegacyDiscoveryQueue));
        Assert.True(await MemoryAsync(Keys.Fingerprints("users")) < usersBytesBefore);
    }

    [Fact]
    public async Task UpgradeAsync_Interrupted_ResumesAndTheMixtureReadsTheSame()
    {
        var (user1, user2, conversation) = (Full("user 1"), Full("user 2"), Full("conversation 1"));
        await WriteEarlierLayoutAsync(user1, user2, conversation);
        // Half-done: one user already compact (an upgrade stopped between pages), the other still in the earlier form.
        await Db.HashDeleteAsync(Keys.Fingerprints("users"), User2);
        await Db.HashSetAsync(Keys.Fingerprints("users"), RedisIdEncoding.Encode(User2), RedisFingerprintEncoding.Encode(user2));

        var stored = await _store.GetFingerprintsAsync("users", [User1, User2]);
        Assert.True(Fingerprint.Matches(stored[User1], user1));
        Assert.True(Fingerprint.Matches(stored[User2], user2));

        Assert.Equal(6, await _store.UpgradeAsync());
        Assert.Equal(2, await Db.HashLengthAsync(Keys.Fingerprints("users")));
        Assert.All(await Db.HashGetAllAsync(Keys.Fingerprints("users")), e => Assert.Equal(13, ((byte[])e.Value!).Length));
    }

    private async Task WriteEarlierLayoutAsync(string user1, string user2, string conversation)
    {
        await Db.HashSetAsync(Keys.Meta, RedisKeys.StateCreatedAtField, T0.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        await Db.HashSetAsync(Keys.Fingerprints("users"), [new HashEntry(User1, user1), new HashEntry(User2, user2)]);
        await Db.HashSetAsync(Keys.Fingerprints("conversations"), Conversation1, conversation);
        await Db.HashSetAsync(Keys.Fingerprints("agent_availability"), User2, """{"availability_status":"AVAILABLE"}""");
        await Db.HashSetAsync(Keys.MessageCursors, Conversation1, LegacyStateLayout.MessageCursorJson(new ConversationPollState
        {
            Messages = ResourceCursor.Initial().Advance(T0, [Message1]),
            UpdatedTime = T0,
            IdlePolls = 2,
            RecheckAt = T0.AddHours(6),
            PolledAt = T0.AddMinutes(1),
        }));
        await Db.SortedSetAddAsync(Keys.ConversationSchedule, Conversation1, T0.AddMinutes(5).ToUnixTimeMilliseconds());
        await Db.HashSetAsync(Keys.LegacyDiscoveryQueue, User1, T0.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task AssertSameMeaningAsync(string user1, string conversation, bool legacyQueue)
    {
        var users = await _store.GetFingerprintsAsync("users", [User1, "unknown"]);
        Assert.True(Fingerprint.Matches(users[User1], user1), "an unchanged user would be re-published as u");
        Assert.False(Fingerprint.Matches(users[User1], Full("user 1, edited")));
        Assert.True(Fingerprint.Matches((await _store.GetFingerprintsAsync("conversations", [Conversation1]))[Conversation1], conversation));
        Assert.Contains(User1, await ScanAsync("users"));

        var state = (await _store.GetConversationStatesAsync([Conversation1]))[Conversation1];
        Assert.Equal(T0, state.Messages.HighWaterMark);
        Assert.Equal([Message1], state.Messages.IdsAtHighWaterMark);
        Assert.Equal(2, state.IdlePolls);
        Assert.Equal(T0, state.UpdatedTime);
        Assert.Equal(T0.AddHours(6), state.RecheckAt);
        Assert.Equal([Conversation1], await _store.GetDueConversationsAsync(T0.AddMinutes(5), 10));
        Assert.Empty(await _store.GetDueConversationsAsync(T0.AddMinutes(4), 10));

        // Before the upgrade the queue is in the earlier key, which only the upgrade moves.
        Assert.Equal(legacyQueue ? [] : [User1], await _store.GetQueuedDiscoveriesAsync(10));
    }

    private async Task<List<string>> ScanAsync(string resource)
    {
        var ids = new List<string>();
        await foreach (var (id, _) in _store.ScanFingerprintsAsync(resource))
        {
            ids.Add(id);
        }

        return ids;
    }

    private async Task<long> MemoryAsync(string key) => (long)await Db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0");

    private static string Full(string text) => Fingerprint.Compute(System.Text.Json.Nodes.JsonNode.Parse($$"""{"text":"{{text}}"}""")!);
}
