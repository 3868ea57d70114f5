namespace FreshchatStream.Producer.State;

/// <summary>
/// Where push signals ("poll this conversation") wait for the instance that captures the account. Recording and
/// taking are separate so the webhook ingress of any replica can record while only the capturing one takes. A
/// conversation signalled more than once is polled once, for the kind every signal asked for, or in full when they differ.
/// Implementations throw <see cref="CursorStoreUnavailableException"/> when the backing store cannot be reached.
/// </summary>
public interface IConversationSignalStore
{
    /// <summary>Records a signal (merged with a pending one) and wakes whoever subscribed, on any instance.</summary>
    Task RecordAsync(string conversationId, ConversationSignal signal, CancellationToken cancellationToken = default);

    /// <summary>Atomically reads and removes every pending signal: conversation id → what was signalled.</summary>
    Task<IReadOnlyDictionary<string, ConversationSignal>> TakeAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether any signal is pending.</summary>
    Task<bool> HasPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="recorded"/> whenever a signal may have been recorded (a wake-up may be spurious or
    /// coalesced, never missed while subscribed). Subscribing again replaces nothing: each call adds a subscriber.
    /// </summary>
    Task SubscribeAsync(Action recorded, CancellationToken cancellationToken = default);

    /// <summary>The merge rule: a conversation keeps its kind only while every signal for it is of that kind.</summary>
    public static ConversationSignal Merge(ConversationSignal pending, ConversationSignal arriving) => pending == arriving ? pending : ConversationSignal.Full;
}
