using System.Collections.Concurrent;

namespace FreshchatStream.Producer.State;

/// <summary>
/// <see cref="IConversationSignalStore"/> within one process, for the demo and unit tests whose state is
/// <see cref="InMemoryCursorStore"/>: there is no other instance to reach.
/// </summary>
public sealed class InMemoryConversationSignalStore : IConversationSignalStore
{
    private readonly ConcurrentDictionary<string, bool> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Action> _subscribers = new();

    public Task RecordAsync(string conversationId, bool messagesOnly, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        _pending.AddOrUpdate(conversationId, messagesOnly, (_, pending) => IConversationSignalStore.Merge(pending, messagesOnly));
        foreach (var subscriber in _subscribers)
        {
            subscriber();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, bool>> TakeAsync(CancellationToken cancellationToken = default)
    {
        var taken = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var messagesOnly))
            {
                taken[id] = messagesOnly;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, bool>>(taken);
    }

    public Task<bool> HasPendingAsync(CancellationToken cancellationToken = default) => Task.FromResult(!_pending.IsEmpty);

    public Task SubscribeAsync(Action recorded, CancellationToken cancellationToken = default)
    {
        _subscribers.Enqueue(recorded);
        return Task.CompletedTask;
    }
}
