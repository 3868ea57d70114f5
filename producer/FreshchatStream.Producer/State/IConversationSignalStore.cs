namespace FreshchatStream.Producer.State;

/// <summary>
/// Where push signals ("poll this conversation") wait for the instance that captures the account. Recording and
/// taking are separate so the webhook ingress of any replica can record while only the capturing one takes. A
/// conversation signalled more than once is polled once: messages only when every signal asked for just that.
/// Implementations throw <see cref="CursorStoreUnavailableException"/> when the backing store cannot be reached.
/// </summary>
public interface IConversationSignalStore
{
    /// <summary>Records a signal (merged with a pending one) and wakes whoever subscribed, on any instance.</summary>
    Task RecordAsync(string conversationId, bool messagesOnly, CancellationToken cancellationToken = default);

    /// <summary>Atomically reads and removes every pending signal: conversation id → messages only.</summary>
    Task<IReadOnlyDictionary<string, bool>> TakeAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether any signal is pending.</summary>
    Task<bool> HasPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="recorded"/> whenever a signal may have been recorded (a wake-up may be spurious or
    /// coalesced, never missed while subscribed). Subscribing again replaces nothing: each call adds a subscriber.
    /// </summary>
    Task SubscribeAsync(Action recorded, CancellationToken cancellationToken = default);

    /// <summary>The merge rule: a conversation stays messages-only only while every signal for it is messages-only.</summary>
    public static bool Merge(bool pendingMessagesOnly, bool messagesOnly) => pendingMessagesOnly && messagesOnly;
}
