namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>
/// Failures the emulator injects into /v2 calls (never into /_sandbox or report downloads): a per-window
/// request budget, random fractions of 429/5xx/malformed answers, fixed latency and a deterministic queue.
/// Thread-safe and mutable while the emulator runs.
/// </summary>
public sealed class EmulatorFaults
{
    private readonly Lock _gate = new();
    private readonly List<QueuedFault> _queue = [];
    private int? _rateLimitPerMinute;
    private TimeSpan _rateLimitWindow = TimeSpan.FromMinutes(1);
    private int _retryAfterSeconds = 1;
    private double _fraction429;
    private double _fraction5xx;
    private double _fractionMalformed;
    private TimeSpan _latency;
    private TimeSpan _timeoutHold = TimeSpan.FromSeconds(100);
    private int _failNextReportJobs;
    private Action<string>? _afterServed;

    /// <summary>Requests allowed per window (<see cref="RateLimitWindow"/>, one minute by default); null = unlimited.</summary>
    public int? RateLimitPerMinute { get { lock (_gate) return _rateLimitPerMinute; } set { lock (_gate) _rateLimitPerMinute = value; } }

    /// <summary>Length of the fixed rate-limit window; shorten it in tests so a throttled client recovers quickly.</summary>
    public TimeSpan RateLimitWindow { get { lock (_gate) return _rateLimitWindow; } set { lock (_gate) _rateLimitWindow = value > TimeSpan.Zero ? value : TimeSpan.FromMinutes(1); } }

    /// <summary>Retry-After sent with injected (random or queued) 429s; budget 429s send the time to the window's end.</summary>
    public int RetryAfterSeconds { get { lock (_gate) return _retryAfterSeconds; } set { lock (_gate) _retryAfterSeconds = Math.Max(0, value); } }

    public double Fraction429 { get { lock (_gate) return _fraction429; } set { lock (_gate) _fraction429 = value; } }

    public double Fraction5xx { get { lock (_gate) return _fraction5xx; } set { lock (_gate) _fraction5xx = value; } }

    public double FractionMalformed { get { lock (_gate) return _fractionMalformed; } set { lock (_gate) _fractionMalformed = value; } }

    public TimeSpan Latency { get { lock (_gate) return _latency; } set { lock (_gate) _latency = value; } }

    /// <summary>How long a <see cref="FaultKind.Timeout"/> holds the request when the client never gives up.</summary>
    public TimeSpan TimeoutHold { get { lock (_gate) return _timeoutHold; } set { lock (_gate) _timeoutHold = value; } }

    public int FailNextReportJobs { get { lock (_gate) return _failNextReportJobs; } set { lock (_gate) _failNextReportJobs = Math.Max(0, value); } }

    /// <summary>
    /// Called with the path and query of each /v2 request the emulator answered normally, after the answer was
    /// written: reliability tests change data mid-scan with it (an entity vanishing between list and get, a
    /// listing whose total changes between pages). Runs on the request's thread; keep it short.
    /// </summary>
    public Action<string>? AfterServed { get { lock (_gate) return _afterServed; } set { lock (_gate) _afterServed = value; } }

    /// <summary>The next <paramref name="count"/> /v2 requests whose path contains <paramref name="pathContains"/> (any path when null) get <paramref name="kind"/>.</summary>
    public void Enqueue(FaultKind kind, string? pathContains = null, int count = 1)
    {
        if (count <= 0) return;
        lock (_gate) _queue.Add(new QueuedFault(kind, pathContains, count));
    }

    /// <summary>Number of queued faults not yet consumed.</summary>
    public int PendingQueuedFaults { get { lock (_gate) return _queue.Sum(q => q.Remaining); } }

    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
            _rateLimitPerMinute = null;
            _rateLimitWindow = TimeSpan.FromMinutes(1);
            _retryAfterSeconds = 1;
            _fraction429 = _fraction5xx = _fractionMalformed = 0;
            _latency = TimeSpan.Zero;
            _failNextReportJobs = 0;
            _afterServed = null;
        }
    }

    internal FaultKind? TakeQueued(string path)
    {
        lock (_gate)
        {
            for (var i = 0; i < _queue.Count; i++)
            {
                var q = _queue[i];
                if (q.PathContains is not null && !path.Contains(q.PathContains, StringComparison.OrdinalIgnoreCase)) continue;
                q.Remaining--;
                if (q.Remaining == 0) _queue.RemoveAt(i);
                return q.Kind;
            }
            return null;
        }
    }

    internal bool TakeReportFailure()
    {
        lock (_gate)
        {
            if (_failNextReportJobs <= 0) return false;
            _failNextReportJobs--;
            return true;
        }
    }

    private sealed class QueuedFault(FaultKind kind, string? pathContains, int remaining)
    {
        public FaultKind Kind { get; } = kind;
        public string? PathContains { get; } = pathContains;
        public int Remaining { get; set; } = remaining;
    }
}

/// <summary>Kinds of injected failure.</summary>
public enum FaultKind
{
    TooManyRequests,
    ServerError,
    ServiceUnavailable,
    MalformedJson,
    TruncatedJson,
    Html,
    /// <summary>Never answers until the client gives up (bounded by <see cref="EmulatorFaults.TimeoutHold"/>).</summary>
    Timeout,
    Unauthorized,
}
