using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>The log messages of the capture strategies (one class per folder; event ids are unique project-wide).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 240, Level = LogLevel.Debug, Message = "conversation hints {Event}: {Named} conversation(s) named, {Due} made due now")]
    public static partial void Hinted(ILogger logger, string @event, int named, int due);

    [LoggerMessage(EventId = 241, Level = LogLevel.Warning,
        Message = "conversation hints {Event}: {Reason}; left out of the hints (the schedule alone covers its changes, status shows it) and asked again in {RetryIn}")]
    public static partial void HintLeftOut(ILogger logger, string @event, string reason, TimeSpan retryIn);

    [LoggerMessage(EventId = 242, Level = LogLevel.Information, Message = "conversation hints {Event}: not read this cycle ({Reason}); tried again next cycle")]
    public static partial void HintUnavailable(ILogger logger, string @event, string reason);
}
