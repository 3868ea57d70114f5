namespace FreshchatStream.Producer.Freshchat.Pagination;

/// <summary>
/// The paging rule of one newest-first walk through a conversation's messages, exact whether the server's
/// <c>from_time</c> is inclusive or exclusive of its boundary (UNCONFIRMED) and when several messages share the
/// boundary millisecond. The next page is asked for at the oldest time on the page <b>+ 1 ms</b>, so both readings
/// return the whole boundary millisecond again; ids already read in this walk are dropped. Each request's
/// <c>from_time</c> is strictly older than the previous one, so the walk always ends. Only when more than a whole
/// page of messages lies within 2 ms can a strictly older request pass some of them by; <see cref="Crowded"/>
/// reports that case so it is logged.
/// </summary>
public sealed class MessagePageWalk
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastFromTime;

    /// <summary>True the first time <paramref name="id"/> is met in this walk; false for a repeat from an overlapping page.</summary>
    public bool FirstRead(string id) => _read.Add(id);

    /// <summary>Messages read so far in this walk.</summary>
    public int Read => _read.Count;

    /// <summary>Set once a page was full of messages within 2 ms, so the walk had to step past some unread ones.</summary>
    public bool Crowded { get; private set; }

    /// <summary>
    /// The <c>from_time</c> of the next request after a page whose oldest message is at <paramref name="oldest"/>.
    /// <paramref name="progressed"/> says whether that page held any message not read before: if not, the
    /// boundary millisecond has been read through and the next request may start at it.
    /// </summary>
    public DateTimeOffset NextFromTime(DateTimeOffset oldest, bool progressed)
    {
        var next = progressed ? oldest.AddMilliseconds(1) : oldest;
        if (_lastFromTime is { } last && next >= last)
        {
            // The same request again would return the same page: step one millisecond older to stay finite.
            next = last.AddMilliseconds(-1);
            Crowded = true;
        }

        _lastFromTime = next;
        return next;
    }
}
