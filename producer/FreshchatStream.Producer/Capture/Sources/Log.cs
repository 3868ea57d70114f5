using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>Log messages of the capture strategies (event ids unique across the project).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 230, Level = LogLevel.Information,
        Message = "users: backfill relies on the conversation discovery report from {Horizon:O}: users created after it get no conversation-list read")]
    public static partial void BackfillRelyingOnReport(ILogger logger, DateTimeOffset horizon);

    [LoggerMessage(EventId = 231, Level = LogLevel.Warning,
        Message = "conversations: the discovery report is unusable ({Why}) before it covered the backfill; the {Count} user(s) created after {Horizon:O} are queued for their conversation lists")]
    public static partial void BackfillRequeued(ILogger logger, string why, int count, DateTimeOffset horizon);

    [LoggerMessage(EventId = 232, Level = LogLevel.Information,
        Message = "conversations: the discovery report covered the backfill from {Horizon:O} to {Until:O}")]
    public static partial void BackfillCovered(ILogger logger, DateTimeOffset horizon, DateTimeOffset until);
}
