using System.Collections.Concurrent;

namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>
/// Counts /v2 requests per route template ("GET /v2/users/{id}") so tests can assert how many calls a
/// capture cycle made; <see cref="Throttled"/> counts 429 answers; <see cref="ByUserAgent"/> tells which clients
/// asked, when first and when last (several producer instances on one account: only the lease holder may appear).
/// With <see cref="KeepTrace"/> set, every request is also kept with its time and full path and query, so a benchmark
/// can tell which conversation, page or report window each one was for (<see cref="Trace"/>).
/// </summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, long> _byEndpoint = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UserAgentTally> _byUserAgent = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RequestTraceEntry> _trace = new();
    private long _total;
    private long _throttled;

    /// <summary>Keep every request from now on for <see cref="Trace"/> (off by default: a long run would hold them all).</summary>
    public bool KeepTrace { get; set; }

    /// <summary>The requests kept since <see cref="KeepTrace"/> was set, in arrival order.</summary>
    public IReadOnlyList<RequestTraceEntry> Trace() => [.. _trace];

    public long Total => Interlocked.Read(ref _total);

    public long Throttled => Interlocked.Read(ref _throttled);

    public long Get(string endpoint) => _byEndpoint.TryGetValue(endpoint, out var n) ? n : 0;

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_byEndpoint, StringComparer.Ordinal);

    /// <summary>Requests per <c>User-Agent</c> header (<c>-</c> when absent), with the first and last time each was seen.</summary>
    public IReadOnlyDictionary<string, UserAgentTally> ByUserAgent() => new Dictionary<string, UserAgentTally>(_byUserAgent, StringComparer.Ordinal);

    public void Reset()
    {
        _byEndpoint.Clear();
        _byUserAgent.Clear();
        _trace.Clear();
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _throttled, 0);
    }

    internal void Count(string endpoint, string? userAgent = null, string? target = null)
    {
        if (KeepTrace)
        {
            _trace.Enqueue(new RequestTraceEntry(DateTimeOffset.UtcNow, endpoint, target ?? endpoint));
        }

        Interlocked.Increment(ref _total);
        _byEndpoint.AddOrUpdate(endpoint, 1, static (_, n) => n + 1);
        var now = DateTimeOffset.UtcNow;
        _byUserAgent.AddOrUpdate(string.IsNullOrEmpty(userAgent) ? "-" : userAgent, _ => new UserAgentTally(1, now, now),
            (_, tally) => tally with { Requests = tally.Requests + 1, Last = now });
    }

    internal void CountThrottled() => Interlocked.Increment(ref _throttled);
}
