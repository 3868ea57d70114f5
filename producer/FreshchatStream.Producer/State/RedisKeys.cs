namespace FreshchatStream.Producer.State;

/// <summary>
/// The Redis key layout under <c>Redis:KeyPrefix</c> (documented in docs/state.md). Entity ids in fields and
/// members are written by <see cref="RedisIdEncoding"/>, fingerprints by <see cref="RedisFingerprintEncoding"/>.
/// </summary>
public sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>Hash: resource → cursor JSON.</summary>
    public string Cursors => $"{Prefix}:cursors";

    /// <summary>Hash: entity id → fingerprint (13 bytes: marker and the first 96 bits of the SHA-256).</summary>
    public string Fingerprints(string resource) => $"{Prefix}:fp:{resource}";

    /// <summary>
    /// Hash: conversation id → the conversation's fingerprint and poll state in one value (<see cref="ConversationEntryEncoding"/>,
    /// binary; state format 3). Conversations have no entry in <c>fp:conversations</c> any more.
    /// </summary>
    public string MessageCursors => $"{Prefix}:msgcursor";

    /// <summary>Sorted set: conversation id scored by next due poll (unix milliseconds).</summary>
    public string ConversationSchedule => $"{Prefix}:schedule:conversations";

    /// <summary>Sorted set: user id whose conversation list must be read, scored by when it was queued (unix milliseconds).</summary>
    public string DiscoveryQueue => $"{Prefix}:discovery:users";

    /// <summary>Where releases before state format 2 kept the discovery queue (a fingerprint hash); moved by the upgrade.</summary>
    public string LegacyDiscoveryQueue => Fingerprints(ICursorStore.DiscoveryQueue);

    /// <summary>Hash: meta field → value (state marker, state format, probe results, cadence due times).</summary>
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

    /// <summary>
    /// Hash: conversation id → <c>1</c> (only its new messages) or <c>0</c> (conversation and messages): push signals
    /// recorded by any instance's webhook ingress, taken by the instance that captures the account.
    /// </summary>
    public string Signals => $"{Prefix}:signals";

    /// <summary>Pub/sub channel: a conversation id published when a signal is recorded, to wake the capturing instance at once.</summary>
    public string SignalsChannel => $"{Prefix}:signals:wake";

    /// <summary>String with a TTL (<c>Webhooks:DedupTtl</c>): set once Kafka acknowledged the webhook with this id.</summary>
    public string AcknowledgedWebhook(string webhookId) => $"{Prefix}:webhook:acked:{webhookId}";

    public const string StateCreatedAtField = "state_created_at";

    /// <summary>
    /// Meta field: the layout version the stored values are in (absent: version 1, before compact state; 2: compact ids,
    /// fingerprints and states; 3: a conversation's fingerprint folded into its state entry).
    /// </summary>
    public const string StateFormatField = "state_format";

    public const int CurrentStateFormat = 3;
}
