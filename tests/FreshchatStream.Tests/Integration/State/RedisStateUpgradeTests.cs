using FreshchatStream.Bench;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.State;
using FreshchatStream.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FreshchatStream.Tests.Integration.State;

/// <summary>
/// State written by a release before state format 2, and by main's format 2, read and upgraded to format 3 by
/// <see cref="RedisCursorStore"/> against a real Redis: readable as it is, rewritten compactly by
/// <see cref="RedisCursorStore.UpgradeAsync"/> with the same meaning (fingerprints still match, cursors keep their
/// position, the discovery queue keeps its users, conversation fingerprints folded into their state entries), and smaller.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#21")]
[Collection(RedisCollection.Name)]
public sealed class RedisStateUpgradeTests(RedisServerFixture redis) : IAsyncLifetime
{
    private const string User1 = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    private const string User2 = "7a1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    private const string Conversation1 = "0c1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    private const string Conversation2 = "1c1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    private const string Conversation3 = "2c1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
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
        Assert.Equal("3", (string?)await Db.HashGetAsync(Keys.Meta, RedisKeys.StateFormatField));
        Assert.Equal(0, await _store.UpgradeAsync()); // recorded: not scanned again

        // The stored forms are the compact ones (docs/state.md), and the availability value, not a fingerprint, stayed text.
        var fingerprint = (byte[]?)await Db.HashGetAsync(Keys.Fingerprints("users"), RedisIdEncoding.Encode(User1));
        Assert.Equal(13, fingerprint!.Length);
        Assert.False(await Db.HashExistsAsync(Keys.Fingerprints("users"), User1));
        Assert.Equal("""{"availability_status":"AVAILABLE"}""", (string?)await Db.HashGetAsync(Keys.Fingerprints("agent_availability"), RedisIdEncoding.Encode(User2)));
        var entry = ConversationEntryEncoding.Split((byte[])(await Db.HashGetAsync(Keys.MessageCursors, RedisIdEncoding.Encode(Conversation1)))!);
        Assert.Equal(13, entry.Fingerprint!.Length);
        Assert.True(ConversationStateEncoding.IsCurrent(entry.State!));
        Assert.False(await Db.KeyExistsAsync(Keys.Fingerprints("conversations")));
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

    [Fact]
    public async Task UpgradeAsync_StateFormat2_FoldsConversationFingerprintsIntoTheirEntriesWithTheSameMeaning()
    {
        var (user1, conversation, other) = (Full("user 1"), Full("conversation 1"), Full("conversation 2"));
        var states = await WriteFormat2Async(user1, conversation, other);

        await AssertFormat2MeaningAsync(user1, conversation, other, states);
        Assert.Equal(4, await _store.UpgradeAsync()); // 2 conversation fingerprints folded, 2 states rewrapped; users were compact already
        await AssertFormat2MeaningAsync(user1, conversation, other, states);

        Assert.Equal("3", (string?)await Db.HashGetAsync(Keys.Meta, RedisKeys.StateFormatField));
        Assert.False(await Db.KeyExistsAsync(Keys.Fingerprints("conversations")));
        Assert.Equal(3, await Db.HashLengthAsync(Keys.MessageCursors));
        Assert.All(await Db.HashValuesAsync(Keys.MessageCursors), v => Assert.True(ConversationEntryEncoding.IsCurrent((byte[])v!)));
        Assert.Equal(0, await _store.UpgradeAsync());

        // After the upgrade a commit changes either half of the folded entry, and the other stays.
        await _store.CommitAsync(new StateCommit().SetConversationState(Conversation1, states[Conversation1] with { IdlePolls = 9 }));
        Assert.True(Fingerprint.Matches((await _store.GetFingerprintsAsync("conversations", [Conversation1]))[Conversation1], conversation));
    }

    [Fact]
    public async Task UpgradeAsync_Format2Interrupted_ResumesAndTheMixtureReadsTheSame()
    {
        var (user1, conversation, other) = (Full("user 1"), Full("conversation 1"), Full("conversation 2"));
        var states = await WriteFormat2Async(user1, conversation, other);
        // Half-done: conversation 1's fingerprint already folded (an upgrade stopped between pages), conversation 2's not.
        await Db.HashSetAsync(Keys.MessageCursors, RedisIdEncoding.Encode(Conversation1), ConversationEntryEncoding.Encode(
            (byte[])RedisFingerprintEncoding.Encode(conversation)!, ConversationStateEncoding.Encode(states[Conversation1])));
        await Db.HashDeleteAsync(Keys.Fingerprints("conversations"), RedisIdEncoding.Encode(Conversation1));

        await AssertFormat2MeaningAsync(user1, conversation, other, states);
        Assert.Equal(2, await _store.UpgradeAsync()); // conversation 3's state rewrapped, conversation 2's fingerprint folded
        await AssertFormat2MeaningAsync(user1, conversation, other, states);
        Assert.False(await Db.KeyExistsAsync(Keys.Fingerprints("conversations")));
    }

    /// <summary>
    /// State exactly as main's format 2 wrote it: compact ids and fingerprints, conversation fingerprints in
    /// <c>fp:conversations</c>, binary states alone in <c>msgcursor</c>. Conversation 1 has both, conversation 2 a
    /// fingerprint only (it was never polled), conversation 3 a state only (its fingerprint was removed).
    /// </summary>
    private async Task<Dictionary<string, ConversationPollState>> WriteFormat2Async(string user1, string conversation, string other)
    {
        var states = new Dictionary<string, ConversationPollState>
        {
            [Conversation1] = new() { Messages = ResourceCursor.Initial().Advance(T0, [Message1]), UpdatedTime = T0, IdlePolls = 2, RecheckAt = T0.AddHours(6), PolledAt = T0.AddMinutes(1) },
            [Conversation3] = new ConversationPollState { Messages = ResourceCursor.Initial().Advance(T0.AddDays(-200), [Message1]), ChangedAt = T0.AddDays(-200) }.Retire(),
        };
        await Db.HashSetAsync(Keys.Meta, [new HashEntry(RedisKeys.StateCreatedAtField, T0.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            new HashEntry(RedisKeys.StateFormatField, "2")]);
        await Db.HashSetAsync(Keys.Fingerprints("users"), RedisIdEncoding.Encode(User1), RedisFingerprintEncoding.Encode(user1));
        await Db.HashSetAsync(Keys.Fingerprints("conversations"), [new HashEntry(RedisIdEncoding.Encode(Conversation1), RedisFingerprintEncoding.Encode(conversation)),
            new HashEntry(RedisIdEncoding.Encode(Conversation2), RedisFingerprintEncoding.Encode(other))]);
        await Db.HashSetAsync(Keys.MessageCursors, [.. states.Select(s => new HashEntry(RedisIdEncoding.Encode(s.Key), ConversationStateEncoding.Encode(s.Value)))]);
        await Db.SortedSetAddAsync(Keys.ConversationSchedule, RedisIdEncoding.Encode(Conversation1), T0.AddMinutes(5).ToUnixTimeMilliseconds());
        await _store.LoadMetaAsync(); // as a cycle does before the upgrade: the store now knows the state is not in the current format
        return states;
    }

    private async Task AssertFormat2MeaningAsync(string user1, string conversation, string other, Dictionary<string, ConversationPollState> states)
    {
        Assert.True(Fingerprint.Matches((await _store.GetFingerprintsAsync("users", [User1]))[User1], user1));
        var fingerprints = await _store.GetFingerprintsAsync("conversations", [Conversation1, Conversation2, Conversation3]);
        Assert.Equal([Conversation1, Conversation2], fingerprints.Keys.Order());
        Assert.True(Fingerprint.Matches(fingerprints[Conversation1], conversation), "an unchanged conversation would be re-published as u");
        Assert.True(Fingerprint.Matches(fingerprints[Conversation2], other));
        Assert.False(Fingerprint.Matches(fingerprints[Conversation1], other));
        Assert.Equal([Conversation1, Conversation2], (await ScanAsync("conversations")).Order());

        var read = await _store.GetConversationStatesAsync([Conversation1, Conversation2, Conversation3]);
        Assert.Equal([Conversation1, Conversation3], read.Keys.Order());
        foreach (var (id, state) in states)
        {
            Assert.Equal(state.Messages.HighWaterMark, read[id].Messages.HighWaterMark);
            Assert.Equal(state.Messages.IdsAtHighWaterMark, read[id].Messages.IdsAtHighWaterMark);
            Assert.Equal(state with { Messages = read[id].Messages }, read[id]);
        }

        Assert.Equal([Conversation1], await _store.GetDueConversationsAsync(T0.AddMinutes(5), 10));
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
