using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture;

/// <summary>Every <c>[LoggerMessage]</c> of this folder, so event ids, levels and texts are read and reviewed in one place.</summary>
internal static partial class Log
{
    // CaptureCycle
    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "The cycle's heartbeat was not published: {Reason}")]
    internal static partial void HeartbeatFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 370, Level = LogLevel.Information, Message = "{Resource}: skipped; {Endpoint} answered 403 and is retried once Capture:ReconcileInterval has passed")]
    internal static partial void ForbiddenSkipped(ILogger logger, string resource, string endpoint);

    [LoggerMessage(EventId = 260, Level = LogLevel.Debug, Message = "{Resource}: not listed this cycle; next listing due at {Due:O} (Capture:CatalogueInterval)")]
    internal static partial void CatalogueDeferred(ILogger logger, string resource, DateTimeOffset due);

    [LoggerMessage(EventId = 371, Level = LogLevel.Warning, Message = "{Resource}: {Items} listing item(s) could not become records; {New} newly written to the dead-letter topic, the pass continued past them")]
    internal static partial void ItemsRejected(ILogger logger, string resource, int items, int @new);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "{Resource}: {Events} event(s) acknowledged ({Detail}) in {Seconds:F2} s")]
    internal static partial void PassDone(ILogger logger, string resource, int events, string detail, double seconds);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "{Resource}: pass failed ({Kind}): {Reason}; {Acknowledged} event(s) acknowledged before it; the next cycle retries")]
    internal static partial void PassFailed(ILogger logger, string resource, CaptureFailureKind kind, string reason, int acknowledged);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Cycle ({Mode}) done: {Events} event(s), {Succeeded}/{Total} resource(s) succeeded in {Seconds:F2} s")]
    internal static partial void CycleDone(ILogger logger, CaptureMode mode, int events, int succeeded, int total, double seconds);

    [LoggerMessage(EventId = 308, Level = LogLevel.Information, Message = "Push cycle done: {Events} event(s) from conversations signalled by webhooks in {Seconds:F2} s")]
    internal static partial void PushCycleDone(ILogger logger, int events, double seconds);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Cycle could not start: {Reason}")]
    internal static partial void CycleNotStarted(ILogger logger, string reason);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "{Resource}: could not acknowledge the events already published ({Reason}); they will be repeated")]
    internal static partial void FlushFailed(ILogger logger, string resource, string reason);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "{Resource} has failed {Failures} consecutive cycles (last success: {LastSuccess}); its lag is growing")]
    internal static partial void Stalled(ILogger logger, string resource, int failures, string lastSuccess);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "{Resource}: unexpected failure")]
    internal static partial void PassUnexpected(ILogger logger, Exception exception, string resource);

    // CaptureWorker
    [LoggerMessage(EventId = 785, Level = LogLevel.Information, Message = "standby: account {Account} is captured by {Holder} (epoch {Epoch})")]
    internal static partial void Standby(ILogger logger, string account, string holder, long epoch);

    [LoggerMessage(EventId = 786, Level = LogLevel.Warning, Message = "Account {Account}: capture stopped, the lease is no longer held by this instance; standing by")]
    internal static partial void BackToStandby(ILogger logger, string account);

    [LoggerMessage(EventId = 787, Level = LogLevel.Warning, Message = "Account {Account}: the lease could not be read or released: {Reason}")]
    internal static partial void LeaseUnreachable(ILogger logger, string account, string reason);

    [LoggerMessage(EventId = 330, Level = LogLevel.Information, Message = "Capture starting: mode {Mode}, resources {Resources}, {Cadence}")]
    internal static partial void CaptureStarting(ILogger logger, CaptureMode mode, string resources, string cadence);

    [LoggerMessage(EventId = 331, Level = LogLevel.Warning, Message = "Schema registration or topic creation deferred: {Reason}; batches retry it")]
    internal static partial void InitializationDeferred(ILogger logger, string reason);

    [LoggerMessage(EventId = 332, Level = LogLevel.Critical, Message = "Capture stopped: {Reason}")]
    internal static partial void CaptureFatal(ILogger logger, string reason);

    [LoggerMessage(EventId = 333, Level = LogLevel.Error, Message = "Capture loop failed unexpectedly")]
    internal static partial void LoopUnexpected(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 334, Level = LogLevel.Warning, Message = "{Count} record(s) still unacknowledged when the flush timeout (Kafka:FlushTimeout) ran out; they were not committed and will be repeated")]
    internal static partial void FlushIncomplete(ILogger logger, int count);

    // ConversationSignals
    [LoggerMessage(EventId = 615, Level = LogLevel.Warning,
        Message = "Push signals could not be read from the state store ({Reason}); the next regular cycle takes them")]
    internal static partial void SignalStoreUnreachable(ILogger logger, string reason);

    // StateLossRecovery
    [LoggerMessage(EventId = 311, Level = LogLevel.Warning,
        Message = "The capture state in Redis is missing, but this deployment's topics already hold {Captured} or more of its events: the state was lost " +
                  "(Redis restarted without persistence, flushed, or failed over to an empty replica; or Redis:KeyPrefix changed). " +
                  "Re-capturing every resource from the start as a snapshot (op r); unchanged versions keep their __event_id, so consumers deduplicate them.")]
    internal static partial void StateLost(ILogger logger, long captured);
}
