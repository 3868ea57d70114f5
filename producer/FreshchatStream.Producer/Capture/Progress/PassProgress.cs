namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>
/// The live counters of one resource pass, reported into by its strategy at natural points (an entity listed, a
/// conversation polled, a report window done) and read by <see cref="CaptureProgress"/>. A pass may have phases
/// (conversations: first users' conversation lists, then polls); each phase has its own done/known and its own
/// request rate. Thread-safe: strategies write, the reporter reads.
/// </summary>
public sealed class PassProgress
{
    /// <summary>A pass nobody reads (strategies run outside a cycle, e.g. in unit tests).</summary>
    public static PassProgress None => new("-", TimeProvider.System, () => 0, null);

    private readonly Lock _gate = new();
    private readonly Action<PassProgress>? _sampled;
    private readonly TimeProvider _time;
    private readonly Func<long> _requestsSent;
    private string _verb = "listed";
    private long _done;
    private long? _known;
    private long _found;
    private double _requestsPerFound;
    private int _events;
    private DateTimeOffset _phaseStartedAt;
    private long _phaseStartRequests;
    private bool _sampleReported;

    /// <param name="requestsSent">The process's running count of Freshchat requests.</param>
    /// <param name="sampled">Called once per discovery phase when its sample is complete (the first-cycle estimate).</param>
    public PassProgress(string resource, TimeProvider time, Func<long> requestsSent, Action<PassProgress>? sampled)
    {
        Resource = resource;
        _time = time;
        _requestsSent = requestsSent;
        StartedAt = time.GetUtcNow();
        RequestsAtStart = requestsSent();
        _phaseStartedAt = StartedAt;
        _phaseStartRequests = RequestsAtStart;
        _sampled = sampled;
    }

    /// <summary>The pass name as logged (<c>users</c>, <c>conversations+messages</c>).</summary>
    public string Resource { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>The process's Freshchat request count when the pass began.</summary>
    public long RequestsAtStart { get; }

    /// <summary>How many first-listed items a discovery phase samples before the first-cycle estimate is made.</summary>
    public const int DiscoverySample = 20;

    /// <summary>
    /// Starts a phase: <paramref name="known"/> items to do (null: unknown), each counted with <see cref="Advance"/>.
    /// <paramref name="requestsPerFound"/> &gt; 0 makes it a discovery phase: what each advance finds costs that many
    /// requests later in the pass, and counts toward the estimate.
    /// </summary>
    public void StartPhase(string verb, long? known, double requestsPerFound = 0)
    {
        var now = _time.GetUtcNow();
        var requestsSent = _requestsSent();
        lock (_gate)
        {
            _verb = verb;
            _known = known;
            _done = 0;
            _found = 0;
            _requestsPerFound = requestsPerFound;
            _phaseStartedAt = now;
            _phaseStartRequests = requestsSent;
            _sampleReported = false;
        }
    }

    /// <summary>A listing announced <paramref name="items"/> more items (its <c>total_items</c>).</summary>
    public void AddKnown(long items)
    {
        lock (_gate)
        {
            _known = (_known ?? 0) + items;
        }
    }

    /// <summary>One item done (<paramref name="found"/>: what a discovery step found).</summary>
    public void Advance(long found = 0)
    {
        bool sampled;
        lock (_gate)
        {
            _done++;
            _found += found;
            sampled = _requestsPerFound > 0 && !_sampleReported && (_done >= DiscoverySample || _done >= _known);
            _sampleReported |= sampled;
        }

        if (sampled)
        {
            _sampled?.Invoke(this);
        }
    }

    /// <summary>Whether the pass completed (its final line says "done" rather than "stopped").</summary>
    public bool Succeeded { get; private set; }

    /// <summary>The pass completed and its last batch was acknowledged.</summary>
    public void Succeed() => Succeeded = true;

    /// <summary>Events acknowledged by Kafka so far in this pass (a running total).</summary>
    public void Acknowledged(int events)
    {
        lock (_gate)
        {
            _events = events;
        }
    }

    /// <summary>A consistent copy of the counters.</summary>
    public PassCounters Read()
    {
        lock (_gate)
        {
            return new PassCounters(Resource, _verb, _done, _known, _found, _requestsPerFound, _events, StartedAt, RequestsAtStart, _phaseStartedAt, _phaseStartRequests);
        }
    }
}
