using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Push signals (verified webhooks): a conversation id signalled here is polled — conversation and messages —
/// by a push cycle that <see cref="CaptureWorker"/> starts at once between its regular cycles (or by the next
/// regular cycle, in <c>run --once</c>) regardless of its schedule. Signals wait in the account's
/// <see cref="IConversationSignalStore"/> (Redis in production), so the webhook ingress of any replica reaches the
/// instance that captures: a local signal wakes this instance's worker directly, one recorded elsewhere through
/// the store's subscription. Once taken, a signal is turned into a schedule entry due at once, committed before
/// the poll, so a crash afterwards still polls the conversation. A messages-only signal (a <c>message_create</c>
/// webhook) about a known conversation reads just its new messages instead — one request instead of two, the
/// conversation object left to its schedule, whose next poll sees <c>updated_time</c> moved and re-reads the
/// messages if the push failed. A status signal (resolution, reopen, assignment) polls the conversation, and reads
/// its messages only while <c>message_create</c> webhooks are not known to arrive
/// (<see cref="Webhooks.WebhookActivity.MessagesPushed"/>): the status change moved <c>updated_time</c>, and a message
/// added meanwhile comes as its own signal.
/// </summary>
public sealed class ConversationSignals
{
    private readonly IConversationSignalStore _store;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _arrived = new(0, 1);
    private readonly Lock _gate = new();
    private Task<bool>? _subscription;

    // 1 while the store may hold signals this instance has not looked for; set by every wake-up and at start
    // (signals recorded while nobody captured), cleared just before the store is asked, so no wake-up is lost.
    private int _maybePending = 1;

    /// <summary>Signals within this process only (unit tests).</summary>
    public ConversationSignals()
        : this(new InMemoryConversationSignalStore(), NullLogger<ConversationSignals>.Instance)
    {
    }

    public ConversationSignals(IConversationSignalStore store, ILogger<ConversationSignals> logger)
    {
        _store = store;
        _logger = logger;
    }

    /// <summary>Records a signal in the store (where every instance sees it) and wakes this instance's worker at once.</summary>
    public async Task SignalAsync(string conversationId, ConversationSignal signal, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        await _store.RecordAsync(conversationId, signal, cancellationToken);
        Wake();
    }

    /// <summary>
    /// Completes when a signal is pending (at once if one already is). Never fails but for cancellation: a store
    /// that cannot be reached leaves the signals to the next wake-up or regular cycle.
    /// </summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        Subscribe();
        while (true)
        {
            if (Interlocked.Exchange(ref _maybePending, 0) == 1)
            {
                try
                {
                    if (await _store.HasPendingAsync(cancellationToken))
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.SignalStoreUnreachable(_logger, e.Message);
                }
            }

            await _arrived.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Takes every pending signal: conversation id → what was signalled.</summary>
    public Task<IReadOnlyDictionary<string, ConversationSignal>> TakeAsync(CancellationToken cancellationToken) => _store.TakeAsync(cancellationToken);

    private void Wake()
    {
        Interlocked.Exchange(ref _maybePending, 1);
        try
        {
            _arrived.Release();
        }
        catch (SemaphoreFullException)
        {
            // a wake-up is already pending; it will take this signal too
        }
    }

    /// <summary>Subscribes once; a failed attempt is retried at the next wait.</summary>
    private void Subscribe()
    {
        lock (_gate)
        {
            if (_subscription is null || _subscription is { IsCompleted: true, Result: false })
            {
                _subscription = SubscribeAsync();
            }
        }
    }

    private async Task<bool> SubscribeAsync()
    {
        try
        {
            await _store.SubscribeAsync(Wake);
            Wake(); // anything recorded before the subscription took effect
            return true;
        }
        catch (Exception e)
        {
            Log.SignalStoreUnreachable(_logger, e.Message);
            return false;
        }
    }
}
