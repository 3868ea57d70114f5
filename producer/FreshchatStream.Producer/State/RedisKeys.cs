namespace FreshchatStream.Producer.State;

/// <summary>The Redis key layout under <c>Redis:KeyPrefix</c> (documented in docs/state.md).</summary>
public sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>Hash: resource → cursor JSON.</summary>
    public string Cursors => $"{Prefix}:cursors";

    /// <summary>Hash: entity id → fingerprint (64 hex characters).</summary>
    public string Fingerprints(string resource) => $"{Prefix}:fp:{resource}";

    /// <summary>Hash: conversation id → message cursor JSON.</summary>
    public string MessageCursors => $"{Prefix}:msgcursor";

    /// <summary>Sorted set: conversation id scored by next due poll (unix milliseconds).</summary>
    public string ConversationSchedule => $"{Prefix}:schedule:conversations";

    /// <summary>Hash: meta field → value (state marker, probe results, cadence due times).</summary>
    public string Meta => $"{Prefix}:meta";

    /// <summary>String with a TTL: the running instance's in-flight progress as JSON (read by <c>status</c>; gone after the cycle).</summary>
    public string Progress => $"{Prefix}:progress";

    /// <summary>
    /// Hash <c>holder</c>, <c>epoch</c>, <c>expires_at</c> (unix ms): the account's single-writer lease (design's
    /// <c>{KeyPrefix}lease</c>). Never expires as a whole, so the fencing epoch only grows.
    /// </summary>
    public string Lease => $"{Prefix}:lease";

    /// <summary>Pub/sub channel: the holder announces a release here so a standby takes over at once.</summary>
    public string LeaseReleased => $"{Prefix}:lease:released";

    public const string StateCreatedAtField = "state_created_at";
}
