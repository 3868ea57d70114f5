using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Commands;

/// <summary>Every <c>[LoggerMessage]</c> of this folder, so event ids, levels and texts are read and reviewed in one place.</summary>
internal static partial class Log
{
    // DependencyProbes
    [LoggerMessage(EventId = 340, Level = LogLevel.Warning, Message = "Waiting for {Dependency} at start: {Reason}")]
    internal static partial void WaitingForDependency(ILogger logger, string dependency, string reason);
}
