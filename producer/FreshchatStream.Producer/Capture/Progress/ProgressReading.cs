namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>
/// One pass's progress as shown (log line, <c>status</c>, metrics): done of known, events acknowledged, requests
/// spent, the share of the request budget achieved, and the estimated time left (null: unknown) as of <see cref="EstimatedAt"/>.
/// </summary>
public sealed record ProgressReading(string Resource, string Verb, long Done, long? Known, int Events, long Requests, int BudgetPerMinute,
    double? BudgetUsed, TimeSpan? Left, DateTimeOffset EstimatedAt, TimeSpan Elapsed);
