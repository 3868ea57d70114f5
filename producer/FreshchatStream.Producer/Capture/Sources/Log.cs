using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>Log messages of the capture strategies (event ids unique across the project).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 230, Level = LogLevel.Information,
        Message = "users: backfill relies on the conversation discovery report from {Horizon:O}: {Skipped} user(s) created after it get no conversation-list read")]
    public static partial void BackfillRelyingOnReport(ILogger logger, DateTimeOffset horizon, string skipped);

    [LoggerMessage(EventId = 233, Level = LogLevel.Information,
        Message = "users: backfill reads the conversation lists of all users: the {Skipped} created after the discovery report's horizon cost less than the report back to it (about {Cost} requests)")]
    public static partial void BackfillReportNotWorthIt(ILogger logger, int skipped, long cost);

    [LoggerMessage(EventId = 231, Level = LogLevel.Warning,
        Message = "conversations: the discovery report is unusable ({Why}) before it covered the backfill; the {Count} user(s) created after {Horizon:O} are queued for their conversation lists")]
    public static partial void BackfillRequeued(ILogger logger, string why, int count, DateTimeOffset horizon);

    [LoggerMessage(EventId = 232, Level = LogLevel.Information,
        Message = "conversations: the discovery report covered the backfill from {Horizon:O} to {Until:O}")]
    public static partial void BackfillCovered(ILogger logger, DateTimeOffset horizon, DateTimeOffset until);
}
