using System.Collections.Concurrent;

namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>
/// Counts /v2 requests per route template ("GET /v2/users/{id}") so tests can assert how many calls a
/// capture cycle made; <see cref="Throttled"/> counts 429 answers.
/// </summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, long> _byEndpoint = new(StringComparer.Ordinal);
    private long _total;
    private long _throttled;

    public long Total => Interlocked.Read(ref _total);

    public long Throttled => Interlocked.Read(ref _throttled);

    public long Get(string endpoint) => _byEndpoint.TryGetValue(endpoint, out var n) ? n : 0;

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_byEndpoint, StringComparer.Ordinal);

    public void Reset()
    {
        _byEndpoint.Clear();
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _throttled, 0);
    }

    internal void Count(string endpoint)
    {
        Interlocked.Increment(ref _total);
        _byEndpoint.AddOrUpdate(endpoint, 1, static (_, n) => n + 1);
    }

    internal void CountThrottled() => Interlocked.Increment(ref _throttled);
}
