namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>A snapshot of <see cref="PassProgress"/>'s counters.</summary>
public readonly record struct PassCounters(string Resource, string Verb, long Done, long? Known, long Found, double RequestsPerFound, int Events,
    DateTimeOffset StartedAt, long RequestsAtStart, DateTimeOffset PhaseStartedAt, long PhaseStartRequests);
