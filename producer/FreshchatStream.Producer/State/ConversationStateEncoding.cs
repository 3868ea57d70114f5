using System.Globalization;

namespace FreshchatStream.Producer.State;

/// <summary>
/// The stored form of a <see cref="ConversationPollState"/> (one field per conversation in <c>{prefix}:msgcursor</c>).
/// <para>
/// Version 2, written now, is binary, typically 40–70 bytes: a version byte 0x02, a flags byte saying which
/// optional values follow, then 7-bit varints — the message high-water mark in UTC ticks, the count and
/// length-prefixed ids (<see cref="RedisIdEncoding"/>) at that instant, <c>updated_time</c> in UTC ticks, the recheck,
/// last-change and last-poll times in Unix milliseconds, and the idle poll count. A flag marks a retired
/// conversation (out of the schedule).
/// </para>
/// <para>
/// Version 1, written by earlier releases, is the JSON of a <see cref="ResourceCursor"/> whose properties
/// <c>updated_time</c>, <c>idle</c> and <c>recheck_at</c> held the schedule's values. It is still read (it begins
/// with <c>{</c>), so stored conversations keep their message position before and after the upgrade migrates them.
/// </para>
/// </summary>
public static class ConversationStateEncoding
{
    private const byte Version2 = 0x02;

    private const byte HasHighWaterMark = 1;
    private const byte HasUpdatedTime = 2;
    private const byte HasRecheckAt = 4;
    private const byte HasChangedAt = 8;
    private const byte HasPolledAt = 16;
    private const byte IsRetired = 32;

    // Property names of the version 1 JSON form.
    private const string LegacyUpdatedTime = "updated_time";
    private const string LegacyIdlePolls = "idle";
    private const string LegacyRecheckAt = "recheck_at";

    public static byte[] Encode(ConversationPollState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var buffer = new MemoryStream(64);
        using var writer = new BinaryWriter(buffer);
        var flags = (byte)((state.Messages.HighWaterMark is null ? 0 : HasHighWaterMark) | (state.UpdatedTime is null ? 0 : HasUpdatedTime)
                           | (state.RecheckAt is null ? 0 : HasRecheckAt) | (state.ChangedAt is null ? 0 : HasChangedAt) | (state.PolledAt is null ? 0 : HasPolledAt) | (state.Retired ? IsRetired : 0));
        writer.Write(Version2);
        writer.Write(flags);
        if (state.Messages.HighWaterMark is { } mark)
        {
            writer.Write7BitEncodedInt64(mark.UtcTicks);
        }

        writer.Write7BitEncodedInt(state.Messages.IdsAtHighWaterMark.Count);
        foreach (var id in state.Messages.IdsAtHighWaterMark)
        {
            var bytes = RedisIdEncoding.EncodeBytes(id);
            writer.Write7BitEncodedInt(bytes.Length);
            writer.Write(bytes);
        }

        if (state.UpdatedTime is { } updated)
        {
            writer.Write7BitEncodedInt64(updated.UtcTicks);
        }

        foreach (var time in new[] { state.RecheckAt, state.ChangedAt, state.PolledAt })
        {
            if (time is { } value)
            {
                writer.Write7BitEncodedInt64(value.ToUnixTimeMilliseconds());
            }
        }

        writer.Write7BitEncodedInt(state.IdlePolls);
        writer.Flush();
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads either stored version, or the state part of a whole <see cref="ConversationEntryEncoding"/> entry;
    /// unreadable bytes throw <see cref="FormatException"/>.
    /// </summary>
    public static ConversationPollState Decode(byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (ConversationEntryEncoding.IsCurrent(stored))
        {
            // A whole format 3 entry (fingerprint and state): its state part, or the initial state when it has none.
            var (_, state) = ConversationEntryEncoding.Split(stored);
            return state is null ? new ConversationPollState() : Decode(state);
        }

        if (stored.Length > 0 && stored[0] == Version2)
        {
            try
            {
                return DecodeVersion2(stored);
            }
            catch (EndOfStreamException e)
            {
                throw new FormatException("A stored conversation state is truncated.", e);
            }
        }

        var legacy = ResourceCursor.Load(System.Text.Encoding.UTF8.GetString(stored));
        return new ConversationPollState
        {
            Messages = ResourceCursor.Initial() with { HighWaterMark = legacy.HighWaterMark, IdsAtHighWaterMark = legacy.IdsAtHighWaterMark },
            UpdatedTime = ResourceCursor.ParseTime(legacy.Property(LegacyUpdatedTime)),
            IdlePolls = int.TryParse(legacy.Property(LegacyIdlePolls), NumberStyles.Integer, CultureInfo.InvariantCulture, out var idle) ? idle : 0,
            RecheckAt = legacy.Time(LegacyRecheckAt),
            PolledAt = legacy.UpdatedAt,
        };
    }

    /// <summary>True when <paramref name="stored"/> is in the current (binary) form.</summary>
    public static bool IsCurrent(byte[] stored) => stored.Length > 0 && stored[0] == Version2;

    private static ConversationPollState DecodeVersion2(byte[] stored)
    {
        using var reader = new BinaryReader(new MemoryStream(stored, 1, stored.Length - 1));
        var flags = reader.ReadByte();
        DateTimeOffset? mark = (flags & HasHighWaterMark) != 0 ? new DateTimeOffset(reader.Read7BitEncodedInt64(), TimeSpan.Zero) : null;
        var count = reader.Read7BitEncodedInt();
        if (count < 0 || count > stored.Length)
        {
            throw new FormatException("A stored conversation state has an impossible id count.");
        }

        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var length = reader.Read7BitEncodedInt();
            var bytes = reader.ReadBytes(length);
            if (bytes.Length != length)
            {
                throw new EndOfStreamException();
            }

            ids.Add(RedisIdEncoding.Decode(bytes));
        }

        DateTimeOffset? updated = (flags & HasUpdatedTime) != 0 ? new DateTimeOffset(reader.Read7BitEncodedInt64(), TimeSpan.Zero) : null;
        DateTimeOffset? Millis(byte flag) => (flags & flag) != 0 ? DateTimeOffset.FromUnixTimeMilliseconds(reader.Read7BitEncodedInt64()) : null;
        var recheck = Millis(HasRecheckAt);
        var changed = Millis(HasChangedAt);
        var polled = Millis(HasPolledAt);
        return new ConversationPollState
        {
            Messages = ResourceCursor.Initial() with { HighWaterMark = mark, IdsAtHighWaterMark = ids },
            UpdatedTime = updated,
            RecheckAt = recheck,
            ChangedAt = changed,
            PolledAt = polled,
            IdlePolls = reader.Read7BitEncodedInt(),
            Retired = (flags & IsRetired) != 0,
        };
    }
}
