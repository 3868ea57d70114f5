using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>Every <c>[LoggerMessage]</c> of this folder, so event ids, levels and texts are read and reviewed in one place.</summary>
internal static partial class Log
{
    // CaptureProgress
    [LoggerMessage(EventId = 390, Level = LogLevel.Information, Message = "{Line}")]
    internal static partial void InFlight(ILogger logger, string line);

    [LoggerMessage(EventId = 391, Level = LogLevel.Information, Message = "{Line}")]
    internal static partial void Finished(ILogger logger, string line);

    [LoggerMessage(EventId = 392, Level = LogLevel.Information, Message = "{Estimate}")]
    internal static partial void FirstCycle(ILogger logger, string estimate);

    [LoggerMessage(EventId = 393, Level = LogLevel.Warning, Message = "Progress could not be kept in Redis for status: {Reason}")]
    internal static partial void StoreFailed(ILogger logger, string reason);

    // ProgressReporter
    [LoggerMessage(EventId = 394, Level = LogLevel.Warning, Message = "Progress report failed: {Reason}")]
    internal static partial void ReportFailed(ILogger logger, string reason);
}
