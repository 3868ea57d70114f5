namespace FreshchatStream.Producer.State;

/// <summary>
/// The offset context of one conversation: where its messages were captured up to, and what the schedule needs
/// to decide the next poll. Serialized only inside <c>State/</c> (<see cref="ConversationStateEncoding"/>): the
/// capture code reads and writes typed values, never strings.
/// </summary>
public sealed record ConversationPollState
{
    /// <summary>Message position: latest <c>created_time</c> captured and the message ids at exactly that instant.</summary>
    public ResourceCursor Messages { get; init; } = ResourceCursor.Initial();

    /// <summary>The conversation's <c>updated_time</c> at the last poll (null: absent or unreadable, so messages are probed every poll).</summary>
    public DateTimeOffset? UpdatedTime { get; init; }

    /// <summary>Consecutive polls without a change (drives the backoff).</summary>
    public int IdlePolls { get; init; }

    /// <summary>When messages are read next even if <see cref="UpdatedTime"/> did not move.</summary>
    public DateTimeOffset? RecheckAt { get; init; }

    /// <summary>When a poll last saw the conversation change (or first saw it); a retired conversation keeps it.</summary>
    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>When the conversation was last polled.</summary>
    public DateTimeOffset? PolledAt { get; init; }

    /// <summary>
    /// True when the conversation left the schedule: only what detects a change when it comes back is kept (the
    /// message position and <see cref="ChangedAt"/>; the fingerprint lives beside it).
    /// </summary>
    public bool Retired { get; init; }

    /// <summary>The state a retired conversation keeps.</summary>
    public ConversationPollState Retire() => new()
    {
        Messages = ResourceCursor.Initial() with { HighWaterMark = Messages.HighWaterMark, IdsAtHighWaterMark = Messages.IdsAtHighWaterMark },
        ChangedAt = ChangedAt,
        Retired = true,
    };
}
