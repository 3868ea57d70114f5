using System.Collections.Concurrent;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// The hook for push signals (webhooks, later): a conversation id signalled here is polled — conversation and
/// messages — in the next cycle regardless of its schedule. Signals live in memory until a cycle takes them;
/// once taken, a signal is turned into a schedule entry due at once, committed before the poll, so a crash
/// afterwards still polls the conversation.
/// </summary>
public sealed class ConversationSignals
{
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);

    public void Signal(string conversationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        _pending[conversationId] = 0;
    }

    /// <summary>Takes every pending signal.</summary>
    public IReadOnlyCollection<string> Drain()
    {
        var taken = new List<string>();
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out _))
            {
                taken.Add(id);
            }
        }

        return taken;
    }
}
