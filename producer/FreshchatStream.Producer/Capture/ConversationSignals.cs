using System.Collections.Concurrent;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Push signals (verified webhooks): a conversation id signalled here is polled — conversation and messages —
/// by a push cycle that <see cref="CaptureWorker"/> starts at once between its regular cycles (or by the next
/// regular cycle, in <c>run --once</c>) regardless of its schedule. Signals live in memory until a cycle takes
/// them; once taken, a signal is turned into a schedule entry due at once, committed before the poll, so a crash
/// afterwards still polls the conversation. A messages-only signal (a <c>message_create</c> webhook) about a known
/// conversation reads just its new messages instead — one request instead of two, the conversation object left to
/// its schedule, whose next poll sees <c>updated_time</c> moved and re-reads the messages if the push failed.
/// </summary>
public sealed class ConversationSignals
{
    /// <summary>Conversation id → messages only.</summary>
    private readonly ConcurrentDictionary<string, bool> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _arrived = new(0, 1);

    public bool HasPending => !_pending.IsEmpty;

    public void Signal(string conversationId, bool messagesOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        _pending.AddOrUpdate(conversationId, messagesOnly, (_, pending) => pending && messagesOnly);
        try
        {
            _arrived.Release();
        }
        catch (SemaphoreFullException)
        {
            // a wake-up is already pending; it will take this signal too
        }
    }

    /// <summary>Completes when a signal is pending (at once if one already is).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        while (_pending.IsEmpty)
        {
            await _arrived.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Takes every pending signal: conversation id → whether only its messages were signalled.</summary>
    public IReadOnlyDictionary<string, bool> Drain()
    {
        var taken = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var messagesOnly))
            {
                taken[id] = messagesOnly;
            }
        }

        return taken;
    }
}
