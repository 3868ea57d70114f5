namespace FreshchatStream.Sandbox.Freshchat.Reports;

/// <summary>One raw-report (Extract API) job: its request, whether it is destined to fail, and how often it was polled.</summary>
internal sealed class ReportJob(string id, DateTimeOffset start, DateTimeOffset end, string eventName, bool excludePii, bool fails)
{
    public string Id { get; } = id;
    public DateTimeOffset Start { get; } = start;
    public DateTimeOffset End { get; } = end;
    public string Event { get; } = eventName;
    public bool ExcludePii { get; } = excludePii;
    public bool Fails { get; } = fails;
    public int Polls { get; set; }
    public bool Completed { get; set; }

    /// <summary>The job's range split at UTC day boundaries, one sub-report (and download link) per day.</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Parts()
    {
        var parts = new List<(DateTimeOffset, DateTimeOffset)>();
        var from = Start;
        while (from < End)
        {
            var nextDay = new DateTimeOffset(from.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
            var to = nextDay < End ? nextDay.AddSeconds(-1) : End;
            parts.Add((from, to));
            from = nextDay;
        }
        return parts;
    }
}
