using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// What every attempt of one Freshchat client (one account) passes before it is sent, besides the token bucket:
/// at most <c>Freshchat:MaxConcurrency</c> requests in flight, a global pause while the server says the account's
/// window is exhausted (<c>X-RateLimit-Remaining</c> at or below <c>Freshchat:RateLimitHeadroom</c>, until
/// <c>X-RateLimit-Reset</c>), and pacing as the remaining budget approaches that floor, so a full window is spread
/// to its reset instead of being spent at once and answered with 429s. One instance per client, never shared
/// between accounts: the budget it protects is the account's.
/// <para>
/// With a budget (<c>Freshchat:RequestsPerMinute</c>) it also keeps the last <c>budget</c> send times: an attempt
/// is sent only once the one <c>budget</c> attempts before it is a minute old, so no 60-second interval — and so no
/// fixed one-minute window of the server — ever holds more attempts than the budget. That exact bound is what lets
/// the token bucket bank a burst (<see cref="FreshchatResilience.CreateLimiter"/>): tokens saved while a cycle runs
/// a few requests one after another are spent once it runs many at once, never beyond the minute's budget.
/// </para>
/// </summary>
public sealed class FreshchatRequestGate : IDisposable
{
    private static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(1);
    private readonly ConcurrencyLimiter _inFlight;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _headroom;
    private readonly int _slowBelow;
    private readonly Lock _pace = new();
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;
    private TimeSpan _spacing;
    private DateTimeOffset _spacingUntil = DateTimeOffset.MinValue;
    private int _active;

    // Send times (UTC ticks) of the last RequestsPerMinute attempts, oldest at _oldest; null without a budget.
    private readonly long[]? _sent;
    private static readonly long WindowTicks = (TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(250)).Ticks;
    private readonly Lock _window = new();
    private int _oldest;
    private long _lastSent = long.MinValue;

    public FreshchatRequestGate(int maxConcurrency, int headroom, TimeProvider time, ILogger logger, int requestsPerMinute = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requestsPerMinute);
        if (requestsPerMinute > 0)
        {
            _sent = new long[requestsPerMinute];
            Array.Fill(_sent, long.MinValue);
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _inFlight = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = maxConcurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _time = time;
        _logger = logger;
        _headroom = headroom;
        // Pacing starts while a few rounds of full concurrency still fit in the window: early enough to spread the
        // rest, late enough that an account using a fraction of its limit never notices.
        _slowBelow = headroom + 4 * maxConcurrency;
        MaxConcurrency = maxConcurrency;
    }

    public int MaxConcurrency { get; }

    /// <summary><c>Freshchat:RateLimitHeadroom</c>: the remaining budget treated as an exhausted window.</summary>
    public int Headroom => _headroom;

    /// <summary>Requests in flight now (for metrics and tests).</summary>
    public int InFlight => Volatile.Read(ref _active);

    /// <summary>Until when every request waits because the account's window is exhausted (<see cref="DateTimeOffset.MinValue"/> when not paused).</summary>
    public DateTimeOffset PausedUntil
    {
        get
        {
            lock (_pace)
            {
                return _pausedUntil;
            }
        }
    }

    /// <summary>
    /// Waits for the end of a global pause, for this request's paced slot and for a free concurrency slot; dispose
    /// the result when the response (or failure) is in. Returns how long it waited for the server's window.
    /// </summary>
    public async ValueTask<(IDisposable Slot, TimeSpan ServerWait)> EnterAsync(CancellationToken cancellationToken)
    {
        var start = _time.GetUtcNow();
        var waitUntil = ReserveSlot(start);
        var serverWait = waitUntil - start;
        if (serverWait > TimeSpan.Zero)
        {
            await Task.Delay(serverWait > MaxPause ? MaxPause : serverWait, _time, cancellationToken);
        }
        else
        {
            serverWait = TimeSpan.Zero;
        }

        var lease = await _inFlight.AcquireAsync(1, cancellationToken);
        try
        {
            // Reserved after the concurrency slot, right before the send: the time recorded is when the server sees
            // the attempt, not when it started queueing, so queued attempts cannot bunch up past the minute's budget.
            var now = _time.GetUtcNow();
            var (slot, at) = ReserveInWindow(now);
            if (at > now.UtcTicks)
            {
                await Task.Delay(TimeSpan.FromTicks(at - now.UtcTicks), _time, cancellationToken);
                SentLate(slot, at, _time.GetUtcNow().UtcTicks);
            }
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        Interlocked.Increment(ref _active);
        return (new Slot(this, lease), serverWait);
    }

    /// <summary>
    /// Records one attempt in the minute window and returns its place in the ring and when it may be sent (UTC
    /// ticks): once the attempt <c>RequestsPerMinute</c> places earlier is a minute old, plus a margin for the
    /// server's clock reading arrivals a little later than we send them. Reserved times never go backwards, so the
    /// ring holds the last <c>RequestsPerMinute</c> attempts in order.
    /// </summary>
    private (int Slot, long At) ReserveInWindow(DateTimeOffset now)
    {
        if (_sent is null)
        {
            return (-1, now.UtcTicks);
        }

        lock (_window)
        {
            var at = Math.Max(now.UtcTicks, _lastSent);
            var oldest = _sent[_oldest];
            if (oldest != long.MinValue && oldest + WindowTicks > at)
            {
                at = oldest + WindowTicks;
            }

            var slot = _oldest;
            _sent[slot] = at;
            _oldest = (_oldest + 1) % _sent.Length;
            _lastSent = at;
            return (slot, at);
        }
    }

    /// <summary>A timer fires late: the window counts the attempt from when it really left, not from when it was due.</summary>
    private void SentLate(int slot, long reserved, long sent)
    {
        lock (_window)
        {
            if (_sent![slot] == reserved && sent > reserved)
            {
                _sent[slot] = sent;
            }
        }
    }

    /// <summary>
    /// Reads what a response said about the account's window. <paramref name="remaining"/> at or below the headroom
    /// with a <paramref name="resetUnixSeconds"/> pauses every request until the reset; a low remaining spaces
    /// requests evenly up to the reset; a response without the headers changes nothing.
    /// </summary>
    public void Observe(long? remaining, long? resetUnixSeconds)
    {
        if (remaining is not { } left || resetUnixSeconds is not { } reset)
        {
            return;
        }

        var now = _time.GetUtcNow();
        // X-RateLimit-Reset has whole-second resolution and comes from the server's clock: one second of margin
        // keeps a rounded-down or skewed reset from landing the next request in the exhausted window.
        var resetAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(reset, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds() - 2) + 1);
        var cap = now + MaxPause;
        if (resetAt > cap)
        {
            resetAt = cap;
        }

        lock (_pace)
        {
            if (left <= _headroom)
            {
                if (resetAt > _pausedUntil)
                {
                    var wasPaused = _pausedUntil > now;
                    _pausedUntil = resetAt;
                    if (!wasPaused)
                    {
                        Log.WindowExhausted(_logger, left, resetAt - now);
                    }
                }

                return;
            }

            if (left < _slowBelow && resetAt > now)
            {
                _spacing = (resetAt - now) / (left - _headroom);
                _spacingUntil = resetAt;
            }
            else
            {
                _spacing = TimeSpan.Zero;
            }
        }
    }

    private DateTimeOffset ReserveSlot(DateTimeOffset now)
    {
        lock (_pace)
        {
            var at = _pausedUntil > now ? _pausedUntil : now;
            if (_spacing > TimeSpan.Zero && at < _spacingUntil)
            {
                if (_nextSlot > at)
                {
                    at = _nextSlot;
                }

                _nextSlot = at + _spacing;
            }

            return at;
        }
    }

    public void Dispose() => _inFlight.Dispose();

    private sealed class Slot(FreshchatRequestGate gate, RateLimitLease lease) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref gate._active);
                lease.Dispose();
            }
        }
    }
}
