namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>
/// Switches for every behaviour of the real API that freshchat-api.md marks UNCONFIRMED, so the producer can be
/// tested against each reading. Mutable while the emulator runs; every property is read per request.
/// </summary>
public sealed class EmulatorBehaviour
{
    private volatile bool _honourUpdatedFilters = true;
    private volatile PageSizeOverflow _pageSizeOverflow = PageSizeOverflow.Clamp;
    private volatile int _maxItemsPerPage = 50;
    private volatile int _defaultItemsPerPage = 20;
    private volatile bool _emptyAgentListAs404;
    private volatile bool _wrapAccountConfiguration;
    private volatile bool _deleteUserRemovesConversations;
    private volatile bool _sendRetryAfter = true;
    private volatile bool _sendRateLimitHeaders = true;
    private volatile bool _outboundMessagesRequireRequestId = true;
    private volatile bool _wrongHostHtml;
    private volatile int _reportPendingPolls = 1;
    private volatile bool _messagesPageByNumber;
    private volatile bool _onlyNextPageLink;
    private volatile int _reportCreatedStatusCode = 200;

    /// <summary>updated_from/updated_to on /users and /channels honoured (true) or silently ignored (false).</summary>
    public bool HonourUpdatedFilters { get => _honourUpdatedFilters; set => _honourUpdatedFilters = value; }

    public PageSizeOverflow PageSizeOverflow { get => _pageSizeOverflow; set => _pageSizeOverflow = value; }

    public int MaxItemsPerPage { get => _maxItemsPerPage; set => _maxItemsPerPage = Math.Max(1, value); }

    public int DefaultItemsPerPage { get => _defaultItemsPerPage; set => _defaultItemsPerPage = Math.Max(1, value); }

    /// <summary>A filtered /agents list without matches answers 404 instead of an empty array (Pipedream's reading).</summary>
    public bool EmptyAgentListAs404 { get => _emptyAgentListAs404; set => _emptyAgentListAs404 = value; }

    /// <summary>/accounts/configuration answers <c>{"configuration":{...}}</c> instead of the bare object.</summary>
    public bool WrapAccountConfiguration { get => _wrapAccountConfiguration; set => _wrapAccountConfiguration = value; }

    public bool DeleteUserRemovesConversations { get => _deleteUserRemovesConversations; set => _deleteUserRemovesConversations = value; }

    public bool SendRetryAfter { get => _sendRetryAfter; set => _sendRetryAfter = value; }

    /// <summary>X-RateLimit-Limit/Remaining/Reset on every /v2 response while a rate limit is configured (always on 429).</summary>
    public bool SendRateLimitHeaders { get => _sendRateLimitHeaders; set => _sendRateLimitHeaders = value; }

    public bool OutboundMessagesRequireRequestId { get => _outboundMessagesRequireRequestId; set => _outboundMessagesRequireRequestId = value; }

    /// <summary>Every /v2 call answers 200 text/html, as a wrong (portal) host does.</summary>
    public bool WrongHostHtml { get => _wrongHostHtml; set => _wrongHostHtml = value; }

    public int ReportPendingPolls { get => _reportPendingPolls; set => _reportPendingPolls = Math.Max(0, value); }

    /// <summary>The messages <c>link.href</c> carries <c>page=N+1</c> (no from_time), as getkarta and Airbyte page.</summary>
    public bool MessagesPageByNumber { get => _messagesPageByNumber; set => _messagesPageByNumber = value; }

    /// <summary>Emit only <c>links.next_page</c> instead of next/previous/first/last.</summary>
    public bool OnlyNextPageLink { get => _onlyNextPageLink; set => _onlyNextPageLink = value; }

    /// <summary>HTTP status of POST /reports/raw (200 or 202; the real one is UNCONFIRMED).</summary>
    public int ReportCreatedStatusCode { get => _reportCreatedStatusCode; set => _reportCreatedStatusCode = value; }
}

/// <summary>What the emulator does with an items_per_page above <see cref="EmulatorBehaviour.MaxItemsPerPage"/>.</summary>
public enum PageSizeOverflow
{
    Clamp,
    Reject,
}
