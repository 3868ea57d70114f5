namespace FreshchatStream.Producer.State;

/// <summary>
/// One conversation's whole entry in <c>{prefix}:msgcursor</c> since state format 3: its fingerprint and its poll
/// state in one hash field, instead of a second field in <c>{prefix}:fp:conversations</c> (a Redis hash entry costs
/// about 65 bytes more than the 15 bytes it takes to carry the fingerprint here).
/// <para>
/// Layout: <c>0x03</c>, the fingerprint's length <c>L</c> (one byte, 0 when none), the fingerprint as
/// <see cref="RedisFingerprintEncoding"/> stores it (13 bytes, or the text of a marker such as
/// <c>unacknowledged</c>), then the poll state as <see cref="ConversationStateEncoding"/> writes it (empty when none).
/// The commit script merges a new fingerprint or state into an entry with the same byte layout
/// (<see cref="RedisCursorStore"/>), so either half can change without the other being read first.
/// </para>
/// <para>
/// A value that does not start with <c>0x03</c> is an entry of an earlier format: a poll state alone (binary version 2
/// or JSON), whose fingerprint is still in <c>fp:conversations</c> until the upgrade folds it in.
/// </para>
/// </summary>
public static class ConversationEntryEncoding
{
    public const byte Version3 = 0x03;

    /// <summary>The stored entry of a fingerprint (stored form, or null) and a poll state (encoded, or null); null when both are absent.</summary>
    public static byte[]? Encode(byte[]? fingerprint, byte[]? state)
    {
        fingerprint ??= [];
        state ??= [];
        if (fingerprint.Length > byte.MaxValue)
        {
            throw new ArgumentException($"A conversation fingerprint of {fingerprint.Length} bytes does not fit a state entry (at most {byte.MaxValue}).", nameof(fingerprint));
        }

        if (fingerprint.Length == 0 && state.Length == 0)
        {
            return null;
        }

        var entry = new byte[2 + fingerprint.Length + state.Length];
        entry[0] = Version3;
        entry[1] = (byte)fingerprint.Length;
        fingerprint.CopyTo(entry, 2);
        state.CopyTo(entry, 2 + fingerprint.Length);
        return entry;
    }

    /// <summary>
    /// The fingerprint (stored form) and the encoded poll state of an entry, each null when absent. An entry of an
    /// earlier format is all state. A truncated entry throws <see cref="FormatException"/>.
    /// </summary>
    public static (byte[]? Fingerprint, byte[]? State) Split(byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!IsCurrent(stored))
        {
            return (null, stored.Length == 0 ? null : stored);
        }

        if (stored.Length < 2 || stored.Length < 2 + stored[1])
        {
            throw new FormatException("A stored conversation entry is truncated.");
        }

        var length = stored[1];
        return (length == 0 ? null : stored[2..(2 + length)], stored.Length == 2 + length ? null : stored[(2 + length)..]);
    }

    /// <summary>True when <paramref name="stored"/> is in the format 3 layout (fingerprint and state together).</summary>
    public static bool IsCurrent(byte[] stored) => stored.Length > 0 && stored[0] == Version3;
}
