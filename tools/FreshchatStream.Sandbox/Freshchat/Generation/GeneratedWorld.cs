namespace FreshchatStream.Sandbox.Freshchat.Generation;

/// <summary>
/// The shape of the generated history as pure functions of (seed, index): when each user was created, which
/// user owns which conversation, how many messages a conversation has and when each was sent. Nothing is
/// stored per entity; user and message times are non-decreasing in their index so time ranges are binary searches.
/// </summary>
internal sealed class GeneratedWorld
{
    private const long Day = 86_400_000L;
    private static readonly string[] Statuses = ["new", "assigned", "resolved", "reopened", "waiting on customer", "waiting on internal team"];

    private readonly long _userStepMs;
    private long _totalMessages = -1;

    public GeneratedWorld(FreshchatEmulatorOptions options)
    {
        Seed = options.Seed;
        UserCount = Math.Max(0, options.Users);
        ConversationCount = (int)Math.Min(int.MaxValue / 2, Math.Round(UserCount * Math.Max(0, options.ConversationsPerUser)));
        if (UserCount == 0) ConversationCount = 0;
        MeanMessages = Math.Max(0, options.MessagesPerConversation);
        AgentCount = Math.Max(0, options.Agents);
        GroupCount = Math.Max(0, options.Groups);
        ChannelCount = Math.Max(1, options.Channels);
        EpochMs = options.EffectiveEpoch.ToUnixTimeMilliseconds();
        HistoryStartMs = EpochMs - 730 * Day;
        _userStepMs = Math.Max(2, (EpochMs - 2 * Day - HistoryStartMs) / Math.Max(1, UserCount));
        Ids = new EntityIds(Seed);
        AppId = Ids.Encode(HashStream.AppId, 0);
    }

    public int Seed { get; }
    public int UserCount { get; }
    public int ConversationCount { get; }
    public int MeanMessages { get; }
    public int AgentCount { get; }
    public int GroupCount { get; }
    public int ChannelCount { get; }
    public long EpochMs { get; }
    public long HistoryStartMs { get; }
    public EntityIds Ids { get; }
    public string AppId { get; }

    public ulong Hash(HashStream stream, long index, int salt = 0) => DeterministicHash.Of(Seed, (int)stream, index, salt);

    // ---- users ----

    /// <summary>Every 7th user shares its predecessor's created_time, so equal timestamps occur across page boundaries.</summary>
    public long UserCreatedMs(int i)
    {
        var slot = i % 7 == 6 ? i - 1 : i;
        return HistoryStartMs + slot * _userStepMs + DeterministicHash.Below(Hash(HashStream.UserTime, slot), _userStepMs / 2);
    }

    public long UserUpdatedMs(int i)
    {
        var created = UserCreatedMs(i);
        var h = Hash(HashStream.UserTime, i, 1);
        if (DeterministicHash.Percent(h, 30)) return created;
        return created + DeterministicHash.Below(h >> 8, EpochMs - Day - created);
    }

    /// <summary>Smallest index whose created_time is ≥ <paramref name="ms"/> (UserCount when none).</summary>
    public int FirstUserAtOrAfter(long ms) => LowerBound(0, UserCount, i => UserCreatedMs(i) >= ms);

    /// <summary>Smallest index whose created_time is &gt; <paramref name="ms"/>.</summary>
    public int FirstUserAfter(long ms) => LowerBound(0, UserCount, i => UserCreatedMs(i) > ms);

    // ---- conversations ----

    /// <summary>
    /// With fewer conversations than users, conversation j belongs to a pseudo-random user inside its own slot
    /// [j·U/C, (j+1)·U/C), so owners look irregular yet the mapping stays invertible; otherwise users own runs.
    /// </summary>
    public int ConversationOwner(int j)
    {
        if (ConversationCount > UserCount) return (int)((long)j * UserCount / ConversationCount);
        var start = (long)j * UserCount / ConversationCount;
        var end = (long)(j + 1) * UserCount / ConversationCount;
        return (int)(start + DeterministicHash.Below(Hash(HashStream.Conversation, j, 11), end - start));
    }

    /// <summary>Generated conversations owned by user u (inverse of <see cref="ConversationOwner"/>).</summary>
    public IEnumerable<int> OwnedConversations(int u)
    {
        if (ConversationCount == 0 || u < 0 || u >= UserCount) yield break;
        if (ConversationCount > UserCount)
        {
            var start = (int)(((long)u * ConversationCount + UserCount - 1) / UserCount);
            var end = Math.Min(ConversationCount, (int)(((long)(u + 1) * ConversationCount + UserCount - 1) / UserCount));
            for (var j = start; j < end; j++) yield return j;
            yield break;
        }
        var slot = (int)((long)u * ConversationCount / UserCount);
        for (var j = Math.Max(0, slot - 1); j <= Math.Min(ConversationCount - 1, slot + 1); j++)
            if (ConversationOwner(j) == u) yield return j;
    }

    /// <summary>About one conversation in 12 is shared with the owner's successor (a second participant).</summary>
    public int SharedWith(int j)
    {
        if (UserCount < 2 || !DeterministicHash.Percent(Hash(HashStream.Conversation, j, 7), 8)) return -1;
        return (ConversationOwner(j) + 1) % UserCount;
    }

    /// <summary>Generated conversations listed under user <paramref name="u"/>: owned ones, then ones shared by the predecessor.</summary>
    public IEnumerable<int> GeneratedConversationsOf(int u)
    {
        foreach (var j in OwnedConversations(u)) yield return j;
        if (UserCount < 2) yield break;
        foreach (var j in OwnedConversations((u - 1 + UserCount) % UserCount))
            if (SharedWith(j) == u) yield return j;
    }

    public int MessageCount(int j) =>
        MeanMessages == 0 ? 0 : 1 + DeterministicHash.Below(Hash(HashStream.Conversation, j, 1), 2 * MeanMessages - 1);

    public long TotalGeneratedMessages
    {
        get
        {
            if (_totalMessages >= 0) return _totalMessages;
            long sum = 0;
            for (var j = 0; j < ConversationCount; j++) sum += MessageCount(j);
            return _totalMessages = sum;
        }
    }

    private long GapMs(int j) => 20_000 + DeterministicHash.Below(Hash(HashStream.Conversation, j, 2), 90L * 60_000);

    public long ConversationCreatedMs(int j)
    {
        var owner = UserCreatedMs(ConversationOwner(j));
        var natural = owner + DeterministicHash.Below(Hash(HashStream.Conversation, j, 3), 3 * Day);
        var latest = EpochMs - (MessageCount(j) + 2) * GapMs(j) - 3_600_000;
        return Math.Min(natural, latest);
    }

    /// <summary>Message k (0 = oldest). Every 9th message shares its predecessor's time.</summary>
    public long MessageMs(int j, int k)
    {
        var gap = GapMs(j);
        var slot = k % 9 == 5 ? k - 1 : k;
        return ConversationCreatedMs(j) + (slot + 1L) * gap + DeterministicHash.Below(Hash(HashStream.Message, ((long)j << 20) | (uint)slot, 4), gap / 2);
    }

    public long ConversationUpdatedMs(int j)
    {
        var n = MessageCount(j);
        return n == 0 ? ConversationCreatedMs(j) : MessageMs(j, n - 1);
    }

    public string ConversationStatus(int j)
    {
        var p = DeterministicHash.Below(Hash(HashStream.Conversation, j, 5), 100);
        return p switch
        {
            < 15 => Statuses[0],
            < 35 => Statuses[1],
            < 75 => Statuses[2],
            < 83 => Statuses[3],
            < 93 => Statuses[4],
            _ => Statuses[5],
        };
    }

    /// <summary>Agent index assigned to conversation j, or -1 when it is new or there are no agents.</summary>
    public int AssignedAgent(int j) =>
        AgentCount == 0 || ConversationStatus(j) == "new" ? -1 : DeterministicHash.Below(Hash(HashStream.Conversation, j, 6), AgentCount);

    public int AssignedGroup(int j) =>
        GroupCount == 0 || AssignedAgent(j) < 0 ? -1 : DeterministicHash.Below(Hash(HashStream.Conversation, j, 8), GroupCount);

    public int ConversationChannel(int j) => DeterministicHash.Below(Hash(HashStream.Conversation, j, 9), ChannelCount);

    public static long MessageKey(int conversation, int k) => ((long)conversation << 20) | (uint)k;

    private static int LowerBound(int lo, int hi, Func<int, bool> isAtOrAfter)
    {
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (isAtOrAfter(mid)) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
