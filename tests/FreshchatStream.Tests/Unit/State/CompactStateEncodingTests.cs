using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.State;
using StackExchange.Redis;

namespace FreshchatStream.Tests.Unit.State;

/// <summary>
/// The stored forms of state formats 2 and 3 (docs/state.md): ids, fingerprints and conversation states round-trip, the
/// forms of earlier releases are still read with the same meaning, and the sizes stay what the sizing relies on.
/// </summary>
[Trait("Issue", "#21")]
public sealed class CompactStateEncodingTests
{
    private const string Uuid = "3f2b8c1e-9a4d-4c1e-8f00-0123456789ab";
    private static readonly DateTimeOffset T0 = new(2025, 7, 3, 21, 31, 59, 88, TimeSpan.Zero);

    [Theory]
    [InlineData(Uuid, 17)]
    [InlineData("3F2B8C1E-9A4D-4C1E-8F00-0123456789AB", 36)] // uppercase would not come back identical: kept as text
    [InlineData("12345", 5)]
    [InlineData("not-a-uuid-but-exactly-36-characters", 36)]
    [InlineData("ünïcode", 9)]
    public void RedisIdEncoding_AnyId_RoundTripsAndCompactsOnlyLowercaseUuids(string id, int storedBytes)
    {
        var stored = RedisIdEncoding.Encode(id);

        Assert.Equal(storedBytes, ((byte[])stored!).Length);
        Assert.Equal(id, RedisIdEncoding.Decode(stored));
        Assert.True(RedisIdEncoding.IsCompact(stored));
    }

    [Fact]
    public void RedisIdEncoding_TextUuidOfAnEarlierRelease_IsReadAsTheSameIdAndIsNotCompact()
    {
        RedisValue legacy = Uuid;

        Assert.Equal(Uuid, RedisIdEncoding.Decode(legacy));
        Assert.False(RedisIdEncoding.IsCompact(legacy));
    }

    [Fact]
    public void RedisFingerprintEncoding_Sha256Hex_Stores13BytesThatMatchTheComputedFingerprint()
    {
        var computed = Fingerprint.Compute(System.Text.Json.JsonDocument.Parse("""{"id":"u1","name":"Ann"}""").RootElement);

        var stored = RedisFingerprintEncoding.Encode(computed);
        var read = RedisFingerprintEncoding.Decode(stored);

        Assert.Equal(13, ((byte[])stored!).Length);
        Assert.Equal(computed[..24], read);
        Assert.True(Fingerprint.Matches(read, computed));
        Assert.True(Fingerprint.Matches(computed, computed)); // the 64-hex form of an earlier release
        var other = Fingerprint.Compute(System.Text.Json.JsonDocument.Parse("""{"id":"u1","name":"Bob"}""").RootElement);
        Assert.False(Fingerprint.Matches(read, other));
        Assert.False(Fingerprint.Matches(computed[..8], computed)); // too short a prefix never matches
    }

    [Fact]
    public void RedisFingerprintEncoding_IsCompact_OnlyA64HexTextIsRewrittenByTheUpgrade()
    {
        Assert.False(RedisFingerprintEncoding.IsCompact(new string('a', 64)));
        Assert.True(RedisFingerprintEncoding.IsCompact(RedisFingerprintEncoding.Encode(new string('a', 64))));
        Assert.True(RedisFingerprintEncoding.IsCompact("unacknowledged"));
        Assert.True(RedisFingerprintEncoding.IsCompact(new byte[] { 0x02, 0xFF, 0xC3, 0x28 })); // binary that is not UTF-8 stays untouched
    }

    [Theory]
    [InlineData("unacknowledged")]
    [InlineData("2025-07-03T21:31:59.0880000Z")]
    [InlineData("""{"availability_status":"AVAILABLE"}""")]
    [InlineData("F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0")] // not lowercase: not a fingerprint
    public void RedisFingerprintEncoding_OtherValues_StayText(string value)
    {
        var stored = RedisFingerprintEncoding.Encode(value);

        Assert.Equal(value, (string?)stored);
        Assert.Equal(value, RedisFingerprintEncoding.Decode(stored));
    }

    [Fact]
    public void ConversationStateEncoding_FullState_RoundTripsInUnder72Bytes()
    {
        var state = new ConversationPollState
        {
            Messages = ResourceCursor.Initial().Advance(T0, [Uuid]),
            UpdatedTime = T0.AddTicks(1234),
            IdlePolls = 7,
            RecheckAt = T0.AddHours(6),
            ChangedAt = T0.AddDays(-3),
            PolledAt = T0,
        };

        var stored = ConversationStateEncoding.Encode(state);
        var read = ConversationStateEncoding.Decode(stored);

        Assert.True(stored.Length <= 72, $"{stored.Length} bytes");
        Assert.True(ConversationStateEncoding.IsCurrent(stored));
        Assert.Equal(state.Messages.HighWaterMark, read.Messages.HighWaterMark);
        Assert.Equal(state.Messages.IdsAtHighWaterMark, read.Messages.IdsAtHighWaterMark);
        Assert.Equal(state with { Messages = read.Messages }, read);
    }

    [Fact]
    public void ConversationStateEncoding_RetiredState_KeepsOnlyPositionAndLastChange()
    {
        var state = new ConversationPollState
        {
            Messages = ResourceCursor.Initial().Advance(T0, ["m1", "m2"]),
            UpdatedTime = T0, IdlePolls = 3, RecheckAt = T0, ChangedAt = T0.AddDays(-100), PolledAt = T0,
        }.Retire();

        var read = ConversationStateEncoding.Decode(ConversationStateEncoding.Encode(state));

        Assert.True(read.Retired);
        Assert.Equal(T0, read.Messages.HighWaterMark);
        Assert.Equal(["m1", "m2"], read.Messages.IdsAtHighWaterMark);
        Assert.Equal(T0.AddDays(-100), read.ChangedAt);
        Assert.Null(read.UpdatedTime);
        Assert.Null(read.RecheckAt);
        Assert.Null(read.PolledAt);
        Assert.True(ConversationStateEncoding.Encode(state).Length < 40);
    }

    [Fact]
    public void ConversationStateEncoding_MessageCursorJsonOfAnEarlierRelease_IsReadWithTheSameMeaning()
    {
        // Exactly what releases before state format 2 wrote in {prefix}:msgcursor.
        const string legacy = """{"version":1,"high_water_mark":"2025-07-03T21:31:59.0880000Z","ids_at_high_water_mark":["m1","m2"],"properties":{"idle":"4","recheck_at":"2025-07-04T03:31:59.0880000Z","updated_time":"2025-07-03T21:30:00.000Z"},"updated_at":"2025-07-03T21:32:00.0000000Z"}""";

        var read = ConversationStateEncoding.Decode(System.Text.Encoding.UTF8.GetBytes(legacy));

        Assert.Equal(T0, read.Messages.HighWaterMark);
        Assert.Equal(["m1", "m2"], read.Messages.IdsAtHighWaterMark);
        Assert.Equal(4, read.IdlePolls);
        Assert.Equal(T0.AddHours(6), read.RecheckAt);
        Assert.Equal(new DateTimeOffset(2025, 7, 3, 21, 30, 0, TimeSpan.Zero), read.UpdatedTime);
        Assert.Equal(new DateTimeOffset(2025, 7, 3, 21, 32, 0, TimeSpan.Zero), read.PolledAt);
        Assert.False(read.Retired);
        Assert.False(ConversationStateEncoding.IsCurrent(System.Text.Encoding.UTF8.GetBytes(legacy)));
    }

    [Fact]
    public void ConversationStateEncoding_TruncatedBytes_ThrowFormatException()
    {
        var stored = ConversationStateEncoding.Encode(new ConversationPollState { Messages = ResourceCursor.Initial().Advance(T0, [Uuid]), PolledAt = T0 });

        Assert.Throws<FormatException>(() => ConversationStateEncoding.Decode(stored[..^5]));
    }

    [Fact]
    public void ConversationEntryEncoding_FingerprintAndState_SplitBackExactlyAndCostFifteenBytesMore()
    {
        var fingerprint = (byte[])RedisFingerprintEncoding.Encode(new string('c', 64))!;
        var state = ConversationStateEncoding.Encode(new ConversationPollState { Messages = ResourceCursor.Initial().Advance(T0, [Uuid]), PolledAt = T0 });

        var entry = ConversationEntryEncoding.Encode(fingerprint, state)!;

        Assert.Equal(state.Length + 15, entry.Length); // 0x03, the length, 13 fingerprint bytes
        Assert.True(ConversationEntryEncoding.IsCurrent(entry));
        var (readFingerprint, readState) = ConversationEntryEncoding.Split(entry);
        Assert.Equal(fingerprint, readFingerprint);
        Assert.Equal(state, readState);
        Assert.Equal([Uuid], ConversationStateEncoding.Decode(entry).Messages.IdsAtHighWaterMark); // the whole entry decodes as its state
    }

    [Fact]
    public void ConversationEntryEncoding_EitherHalfAlone_OrAnEntryOfAnEarlierFormat_SplitsWithTheOtherHalfAbsent()
    {
        var marker = System.Text.Encoding.UTF8.GetBytes("unacknowledged");
        var state = ConversationStateEncoding.Encode(new ConversationPollState { PolledAt = T0 });

        var fingerprintOnly = ConversationEntryEncoding.Split(ConversationEntryEncoding.Encode(marker, null)!);
        Assert.Equal(marker, fingerprintOnly.Fingerprint);
        Assert.Null(fingerprintOnly.State);
        var stateOnly = ConversationEntryEncoding.Split(ConversationEntryEncoding.Encode(null, state)!);
        Assert.Null(stateOnly.Fingerprint);
        Assert.Equal(state, stateOnly.State);
        Assert.Null(ConversationEntryEncoding.Encode(null, []));
        // A state of format 2 (binary) or 1 (JSON) is all state: its fingerprint is still in fp:conversations.
        Assert.Null(ConversationEntryEncoding.Split(state).Fingerprint);
        Assert.Equal(state, ConversationEntryEncoding.Split(state).State);
        Assert.False(ConversationEntryEncoding.IsCurrent(state));
        Assert.Equal(new ConversationPollState(), ConversationStateEncoding.Decode(ConversationEntryEncoding.Encode(marker, null)!));
        Assert.Throws<FormatException>(() => ConversationEntryEncoding.Split([0x03, 13, 0xFD, 1, 2]));
        Assert.Throws<ArgumentException>(() => ConversationEntryEncoding.Encode(new byte[256], state));
    }

    [Fact]
    public void ReportWindowState_ReadsAndWritesThePropertyLayoutOfEarlierReleases()
    {
        var legacy = ResourceCursor.Initial()
            .WithProperty("Conversation-Created:window_end", "2025-07-03T21:31:59.0880000Z")
            .WithProperty("Conversation-Created:job", "job-1")
            .WithProperty("Conversation-Created:job_start", "2025-07-03T21:31:59.0880000Z")
            .WithProperty("Conversation-Created:job_end", "2025-07-03T22:31:59.0880000Z")
            .WithProperty("Conversation-Created:failures", "2")
            .WithProperty("Message-Sent:window_end", "2025-07-01T00:00:00.0000000Z");

        var state = ReportWindowState.Of(legacy, "Conversation-Created");

        Assert.Equal(new ReportWindowState { WindowEnd = T0, JobId = "job-1", JobStart = T0, JobEnd = T0.AddHours(1), Failures = 2 }, state);
        Assert.Equal(legacy, state.ApplyTo(legacy, "Conversation-Created"));

        var completed = state.Completed(T0.AddHours(1)).ApplyTo(legacy, "Conversation-Created");
        Assert.Equal(new ReportWindowState { WindowEnd = T0.AddHours(1) }, ReportWindowState.Of(completed, "Conversation-Created"));
        Assert.Equal(["Conversation-Created:window_end", "Message-Sent:window_end"], completed.Properties.Keys.Order());

        var failed = state.Failed(T0.AddDays(1));
        Assert.Equal((null, 3, T0.AddDays(1)), (failed.JobId, failed.Failures, failed.RetryAt));
    }
}
