using FreshchatStream.Producer.Freshchat.Models;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>Every <c>[LoggerMessage]</c> of this folder, so event ids, levels and texts are read and reviewed in one place.</summary>
internal static partial class Log
{
    // EndpointAccess
    [LoggerMessage(EventId = 271, Level = LogLevel.Warning,
        Message = "Freshchat answered 403 on {Endpoint}: the API token most likely lacks the scope {Scope}. What needs this endpoint is skipped and retried every Capture:ReconcileInterval; everything else is captured (logged once; status and the freshchat_stream.endpoint.forbidden metric show it)")]
    internal static partial void EndpointForbidden(ILogger logger, string endpoint, string scope);

    [LoggerMessage(EventId = 272, Level = LogLevel.Information, Message = "Freshchat answers {Endpoint} again: no longer forbidden")]
    internal static partial void EndpointAllowed(ILogger logger, string endpoint);

    // FreshchatClient
    [LoggerMessage(EventId = 270, Level = LogLevel.Warning, Message = "{Endpoint} listed an item that is {Reason}: set aside for the dead-letter topic; the listing continues")]
    internal static partial void ItemSetAside(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Freshchat updated_from filter on /users: {Support}")]
    internal static partial void UpdatedFilterProbed(ILogger logger, UpdatedFilterSupport support);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Freshchat API reading chosen at run time: {Description}")]
    internal static partial void ReadingChosen(ILogger logger, string description);

    [LoggerMessage(EventId = 215, Level = LogLevel.Warning, Message = "conversation {ConversationId}: more than a page of messages lie within 2 ms of {Time:O}; from_time paging cannot step through them, so some of them may be missed")]
    internal static partial void CrowdedMessages(ILogger logger, string conversationId, DateTimeOffset time);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "{Endpoint} rejected items_per_page={Requested}; using {Used} from now on")]
    internal static partial void PageSizeRejected(ILogger logger, string endpoint, int requested, int used);

    // FreshchatRequestGate
    [LoggerMessage(EventId = 205, Level = LogLevel.Warning,
        Message = "Freshchat reports the account's request window exhausted ({Remaining} remaining): every request waits {Pause} for X-RateLimit-Reset")]
    internal static partial void WindowExhausted(ILogger logger, long remaining, TimeSpan pause);

    // FreshchatTransport
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "{Endpoint} returned {Bytes} bytes that are not valid JSON")]
    internal static partial void MalformedJson(ILogger logger, string endpoint, int bytes);

    // FreshchatUrlWarning
    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Freshchat:BaseUrl uses plain http:// to {Host}: the API key is sent unencrypted. Use https:// outside a local sandbox.")]
    internal static partial void PlainHttp(ILogger logger, string host);
}
