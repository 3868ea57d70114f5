namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// Counts the HTTP attempts made by one flow of work (a capture pass) while passes run concurrently: the count
/// follows the async flow that opened it (<see cref="FreshchatMetrics.CountRequests"/>), so another pass's requests
/// are not counted, as a difference of the process-wide total would.
/// </summary>
public sealed class RequestTally : IDisposable
{
    private readonly AsyncLocal<RequestTally?> _slot;
    private readonly RequestTally? _outer;
    private long _count;

    internal RequestTally(AsyncLocal<RequestTally?> slot)
    {
        _slot = slot;
        _outer = slot.Value;
        slot.Value = this;
    }

    public long Count => Interlocked.Read(ref _count);

    internal void Add()
    {
        Interlocked.Increment(ref _count);
        _outer?.Add();
    }

    public void Dispose()
    {
        if (_slot.Value == this)
        {
            _slot.Value = _outer;
        }
    }
}
