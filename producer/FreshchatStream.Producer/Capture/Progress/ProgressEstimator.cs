namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>
/// Turns a pass's counters into a reading with an estimate of the time left. The estimate is the work known to
/// remain, in requests (items left × requests per item achieved in the current phase, plus what a discovery phase
/// found and projects to find, at <see cref="PassCounters.RequestsPerFound"/> each), divided by the request rate
/// actually achieved in the phase: it already reflects the budget, latency and throttling. Without a known total,
/// a finished item or a second of history it is unknown, never a guess.
/// </summary>
public static class ProgressEstimator
{
    /// <summary>History needed before a rate is trusted.</summary>
    public static readonly TimeSpan MinimumSample = TimeSpan.FromSeconds(1);

    public static ProgressReading Read(PassCounters counters, DateTimeOffset now, long requestsSent, int budgetPerMinute)
    {
        var requests = Math.Max(0, requestsSent - counters.RequestsAtStart);
        var elapsed = now - counters.StartedAt;
        double? used = elapsed >= MinimumSample && requests > 0 && budgetPerMinute > 0
            ? requests / elapsed.TotalMinutes / budgetPerMinute
            : null;
        return new ProgressReading(counters.Resource, counters.Verb, counters.Done, counters.Known, counters.Events, requests, budgetPerMinute, used,
            EstimateLeft(counters, now, requestsSent), now, elapsed);
    }

    /// <summary>The time left, or null when unknown.</summary>
    public static TimeSpan? EstimateLeft(PassCounters counters, DateTimeOffset now, long requestsSent)
    {
        if (counters.Known is not { } known || counters.Done <= 0)
        {
            return null;
        }

        var phaseElapsed = now - counters.PhaseStartedAt;
        var phaseRequests = requestsSent - counters.PhaseStartRequests;
        if (phaseElapsed < MinimumSample || phaseRequests <= 0)
        {
            return null;
        }

        var remaining = Math.Max(0, known - counters.Done);
        var perItem = (double)phaseRequests / counters.Done;
        var following = counters.RequestsPerFound > 0
            ? (counters.Found + (double)counters.Found / counters.Done * remaining) * counters.RequestsPerFound
            : 0;
        var rate = phaseRequests / phaseElapsed.TotalSeconds;
        return TimeSpan.FromSeconds(Math.Round((remaining * perItem + following) / rate));
    }
}
