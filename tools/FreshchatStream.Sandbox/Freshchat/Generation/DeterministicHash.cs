namespace FreshchatStream.Sandbox.Freshchat.Generation;

/// <summary>
/// Stateless hashing of (seed, stream, index, salt) into well-mixed 64-bit values. Every generated field is a
/// pure function of these, which is what lets the emulator serve millions of entities without storing them.
/// </summary>
internal static class DeterministicHash
{
    public static ulong Of(int seed, int stream, long index, int salt = 0)
    {
        var x = Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)stream << 40);
        x = Mix(x ^ (ulong)index * 0xBF58476D1CE4E5B9UL);
        return Mix(x ^ (ulong)(uint)salt * 0x94D049BB133111EBUL);
    }

    /// <summary>A value in [0, bound).</summary>
    public static int Below(ulong hash, int bound) => bound <= 1 ? 0 : (int)(hash % (ulong)bound);

    public static long Below(ulong hash, long bound) => bound <= 1 ? 0 : (long)(hash % (ulong)bound);

    public static T Pick<T>(ulong hash, IReadOnlyList<T> items) => items[Below(hash, items.Count)];

    /// <summary>True with probability percent/100.</summary>
    public static bool Percent(ulong hash, int percent) => (int)(hash % 100) < percent;

    private static ulong Mix(ulong z)
    {
        z = (z ^ z >> 30) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ z >> 27) * 0x94D049BB133111EBUL;
        return z ^ z >> 31;
    }
}

/// <summary>Independent hash streams, one per generated concern, so adding a field never shifts another.</summary>
internal enum HashStream
{
    UserId = 1, ConversationId, MessageId, AgentId, GroupId, ChannelId, RoleId, StatusId, ReportId, OutboundId, AppId,
    UserTime, UserProfile, Conversation, Message, Catalogue,
}
