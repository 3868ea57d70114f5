using FreshchatStream.Producer.Freshchat.Models;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>Every <c>[LoggerMessage]</c> of this folder, so event ids, levels and texts are read and reviewed in one place.</summary>
internal static partial class Log
{
    // ConversationsCapture
    [LoggerMessage(EventId = 344, Level = LogLevel.Information, Message = "conversations: {Discovered} discovered, {Due} due of {Scheduled} scheduled")]
    internal static partial void ConversationsCycle(ILogger logger, int discovered, int due, long scheduled);

    [LoggerMessage(EventId = 345, Level = LogLevel.Warning, Message = "conversations: {ConversationId} answered an item that is {Reason}; it went to the dead-letter topic and is polled again in {RetryIn}")]
    internal static partial void ConversationRejected(ILogger logger, string conversationId, string reason, TimeSpan retryIn);

    [LoggerMessage(EventId = 341, Level = LogLevel.Information, Message = "conversations: {ConversationId} answered 404; it is no longer polled")]
    internal static partial void ConversationVanished(ILogger logger, string conversationId);

    [LoggerMessage(EventId = 343, Level = LogLevel.Information, Message = "conversations: push cycle for {Count} conversation(s) signalled by webhooks")]
    internal static partial void ConversationsPush(ILogger logger, int count);

    [LoggerMessage(EventId = 273, Level = LogLevel.Debug,
        Message = "conversations: push reads {MessagesOnly} conversation(s)' new messages only and polls {Polled}: {Status} status signal(s) ({Messages} their messages), {Other} other or merged signal(s), {Retired} retired and {Unknown} not yet known conversation(s) with a new message")]
    internal static partial void ConversationsPushPolls(ILogger logger, int messagesOnly, int polled, int status, string messages, int other, int retired, int unknown);

    [LoggerMessage(EventId = 342, Level = LogLevel.Information, Message = "conversations: snapshot of {Count} conversation(s) starting after {After}")]
    internal static partial void ConversationsSnapshot(ILogger logger, int count, string after);

    [LoggerMessage(EventId = 346, Level = LogLevel.Debug, Message = "conversations: {ConversationId} is resolved and quiet since {LastActivity:O}; it leaves the schedule until a webhook, report row or its user's conversation list names it")]
    internal static partial void ConversationRetired(ILogger logger, string conversationId, DateTimeOffset lastActivity);

    // FingerprintScanCapture
    [LoggerMessage(EventId = 373, Level = LogLevel.Warning,
        Message = "{Resource}: a complete listing misses {Candidates} of {Known} known id(s), more than half; their deletion waits for a second listing that agrees, at least Capture:PollInterval ({PollInterval}) after {Since:O}")]
    internal static partial void DeletionsHeld(ILogger logger, string resource, int candidates, int known, DateTimeOffset since, TimeSpan pollInterval);

    [LoggerMessage(EventId = 374, Level = LogLevel.Warning, Message = "{Resource}: a second listing agrees that {Candidates} id(s) held since {Since:O} are gone; confirming their deletion")]
    internal static partial void DeletionsAgreed(ILogger logger, string resource, int candidates, DateTimeOffset since);

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "{Resource}: {Candidates} id(s) missing from a complete listing, {Confirmed} confirmed deleted")]
    internal static partial void DeletionsConfirmed(ILogger logger, string resource, int candidates, int confirmed);

    // OutboundMessagesCapture
    [LoggerMessage(EventId = 360, Level = LogLevel.Warning, Message = "outbound_messages cannot be captured on this account: {Reason} (logged once; status shows it)")]
    internal static partial void OutboundUnsupported(ILogger logger, string reason);

    // RawReportWindow
    [LoggerMessage(EventId = 350, Level = LogLevel.Information, Message = "raw report {Event}: requested {Start:O}..{End:O} (job {JobId})")]
    internal static partial void ReportRequested(ILogger logger, string @event, DateTimeOffset start, DateTimeOffset end, string jobId);

    [LoggerMessage(EventId = 351, Level = LogLevel.Information, Message = "raw report {Event}: job {JobId} not ready ({Status}, {Done}/{Links} link(s) done); polled again next cycle, the window is not committed")]
    internal static partial void ReportPending(ILogger logger, string @event, string jobId, string status, int done, int links);

    [LoggerMessage(EventId = 352, Level = LogLevel.Warning, Message = "raw report {Event}: job {JobId} {Outcome} ({Failures} time(s)); the window is requested again in {Backoff}")]
    internal static partial void ReportFailed(ILogger logger, string @event, string jobId, string outcome, int failures, TimeSpan backoff);

    [LoggerMessage(EventId = 353, Level = LogLevel.Information, Message = "raw report {Event}: {Rows} row(s); window done up to {End:O}")]
    internal static partial void ReportCompleted(ILogger logger, string @event, long rows, DateTimeOffset end);

    // ReportDiscovery
    [LoggerMessage(EventId = 372, Level = LogLevel.Warning,
        Message = "raw report {Event}: {Rows} row(s) but no conversation id column among [{Columns}]; conversations are discovered through users' conversation lists instead (logged once; status shows it)")]
    internal static partial void ReportWithoutConversationIds(ILogger logger, string @event, long rows, string columns);

    // UsersCapture
    [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "users: {Kind} listing with created_from {CreatedFrom:O}")]
    internal static partial void UsersListing(ILogger logger, string kind, DateTimeOffset createdFrom);

    [LoggerMessage(EventId = 321, Level = LogLevel.Information, Message = "users: the server's updated_from filter is {Support}; changes to existing users are read {How}")]
    internal static partial void UpdatedFilter(ILogger logger, UpdatedFilterSupport support, string how);

    internal static void UpdatedFilter(ILogger logger, UpdatedFilterSupport support) =>
        UpdatedFilter(logger, support, support == UpdatedFilterSupport.Honoured
            ? "every cycle with updated_from"
            : "by the reconciliation listing at Capture:ReconcileInterval");

    // ReportHints
    [LoggerMessage(EventId = 240, Level = LogLevel.Debug, Message = "conversation hints {Event}: {Named} conversation(s) named, {Due} made due now")]
    internal static partial void Hinted(ILogger logger, string @event, int named, int due);

    [LoggerMessage(EventId = 241, Level = LogLevel.Warning,
        Message = "conversation hints {Event}: {Reason}; left out of the hints (the schedule alone covers its changes, status shows it) and asked again in {RetryIn}")]
    internal static partial void HintLeftOut(ILogger logger, string @event, string reason, TimeSpan retryIn);

    [LoggerMessage(EventId = 242, Level = LogLevel.Information, Message = "conversation hints {Event}: not read this cycle ({Reason}); tried again next cycle")]
    internal static partial void HintUnavailable(ILogger logger, string @event, string reason);

    // BackfillDiscovery (users skipped during a backfill, the report that covers them)
    [LoggerMessage(EventId = 230, Level = LogLevel.Information,
        Message = "users: backfill relies on the conversation discovery report from {Horizon:O}: {Skipped} user(s) created after it get no conversation-list read")]
    internal static partial void BackfillRelyingOnReport(ILogger logger, DateTimeOffset horizon, string skipped);

    [LoggerMessage(EventId = 233, Level = LogLevel.Information,
        Message = "users: backfill reads the conversation lists of all users: the {Skipped} created after the discovery report's horizon cost less than the report back to it (about {Cost} requests)")]
    internal static partial void BackfillReportNotWorthIt(ILogger logger, int skipped, long cost);

    [LoggerMessage(EventId = 231, Level = LogLevel.Warning,
        Message = "conversations: the discovery report is unusable ({Why}) before it covered the backfill; the {Count} user(s) created after {Horizon:O} are queued for their conversation lists")]
    internal static partial void BackfillRequeued(ILogger logger, string why, int count, DateTimeOffset horizon);

    [LoggerMessage(EventId = 232, Level = LogLevel.Information,
        Message = "conversations: the discovery report covered the backfill from {Horizon:O} to {Until:O}")]
    internal static partial void BackfillCovered(ILogger logger, DateTimeOffset horizon, DateTimeOffset until);
}
