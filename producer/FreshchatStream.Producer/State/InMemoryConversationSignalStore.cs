using System.Collections.Concurrent;

namespace FreshchatStream.Producer.State;

/// <summary>
/// <see cref="IConversationSignalStore"/> within one process, for the demo and unit tests whose state is
/// <see cref="InMemoryCursorStore"/>: there is no other instance to reach.
/// </summary>
public sealed class InMemoryConversationSignalStore : IConversationSignalStore
{
    private readonly ConcurrentDictionary<string, ConversationSignal> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Action> _subscribers = new();

    public Task RecordAsync(string conversationId, ConversationSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        _pending.AddOrUpdate(conversationId, signal, (_, pending) => IConversationSignalStore.Merge(pending, signal));
        foreach (var subscriber in _subscribers)
        {
            subscriber();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, ConversationSignal>> TakeAsync(CancellationToken cancellationToken = default)
    {
        var taken = new Dictionary<string, ConversationSignal>(StringComparer.Ordinal);
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var signal))
            {
                taken[id] = signal;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, ConversationSignal>>(taken);
    }

    public Task<bool> HasPendingAsync(CancellationToken cancellationToken = default) => Task.FromResult(!_pending.IsEmpty);

    public Task SubscribeAsync(Action recorded, CancellationToken cancellationToken = default)
    {
        _subscribers.Enqueue(recorded);
        return Task.CompletedTask;
    }
}
