namespace FreshchatStream.Sandbox.Freshchat.Faults;

/// <summary>
/// Fixed-window request budget (the window length defaults to one minute) driven by the emulator's
/// <see cref="TimeProvider"/>, so tests with a fake clock can step over a window boundary.
/// </summary>
internal sealed class RateLimitWindow(TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _windowStartMs = long.MinValue;
    private int _used;

    /// <summary>Counts one request against <paramref name="limit"/> per <paramref name="window"/>.</summary>
    public RateLimitDecision Take(int limit, TimeSpan window)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var length = Math.Max(1, (long)window.TotalMilliseconds);
        lock (_gate)
        {
            var start = now - ((now % length) + length) % length;
            if (start != _windowStartMs)
            {
                _windowStartMs = start;
                _used = 0;
            }
            _used++;
            var resetMs = start + length;
            return new RateLimitDecision(_used <= limit, limit, Math.Max(0, limit - _used), resetMs, resetMs - now);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _windowStartMs = long.MinValue;
            _used = 0;
        }
    }
}

/// <summary>Outcome of one request against the budget; <see cref="ResetUnixMs"/> is the end of the current window.</summary>
internal readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, long ResetUnixMs, long MillisecondsToReset)
{
    public long ResetUnixSeconds => (ResetUnixMs + 999) / 1000;

    public int RetryAfterSeconds => (int)Math.Max(1, (MillisecondsToReset + 999) / 1000);
}
