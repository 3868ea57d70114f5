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
    private volatile bool _messagesFromTimeInclusive;
    private volatile bool _splitMessageTiesAcrossPages;
    private volatile int _messagesPerMillisecond = 1;
    private volatile bool _agentStatusWithoutId;
    private volatile bool _minimalConversations;
    private volatile bool _ignoreSortOrder;
    private volatile bool _usersNewestFirstByDefault;

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

    /// <summary>
    /// The messages <c>from_time</c> returns messages at or older than it (true) or strictly older (false, the
    /// default). Which one the real API does is UNCONFIRMED (freshchat-api.md §9).
    /// </summary>
    public bool MessagesFromTimeInclusive { get => _messagesFromTimeInclusive; set => _messagesFromTimeInclusive = value; }

    /// <summary>
    /// A messages page ends after exactly <c>items_per_page</c> messages even inside a group sharing one millisecond
    /// (true), as a plain database page would; by default (false) the emulator keeps such a group on one page.
    /// </summary>
    public bool SplitMessageTiesAcrossPages { get => _splitMessageTiesAcrossPages; set => _splitMessageTiesAcrossPages = value; }

    /// <summary>
    /// Messages come in runs of this many sharing one <c>created_time</c> millisecond: generated ones (message k takes
    /// the time of message k − k mod N) and added ones without an explicit time. 1 (the default) keeps the generated
    /// timeline, which already repeats a millisecond every 9th message.
    /// </summary>
    public int MessagesPerMillisecond { get => _messagesPerMillisecond; set => _messagesPerMillisecond = Math.Max(1, value); }

    /// <summary><c>agent_status</c> is rendered as <c>{name}</c> only, the shape Airbyte's and Fivetran's schemas suggest.</summary>
    public bool AgentStatusWithoutId { get => _agentStatusWithoutId; set => _agentStatusWithoutId = value; }

    /// <summary>
    /// GET /conversations/{id} answers the documented minimal object <c>{conversation_id, app_id, status, channel_id,
    /// skill_id}</c> (community thread 7353): no <c>updated_time</c>, no <c>user_id</c>, optional keys omitted.
    /// </summary>
    public bool MinimalConversations { get => _minimalConversations; set => _minimalConversations = value; }

    /// <summary>Lists ignore <c>sort_by</c>/<c>sort_order</c> and answer in their default order.</summary>
    public bool IgnoreSortOrder { get => _ignoreSortOrder; set => _ignoreSortOrder = value; }

    /// <summary>/users without an (honoured) <c>sort_order</c> lists newest first instead of oldest first.</summary>
    public bool UsersNewestFirstByDefault { get => _usersNewestFirstByDefault; set => _usersNewestFirstByDefault = value; }
}

/// <summary>What the emulator does with an items_per_page above <see cref="EmulatorBehaviour.MaxItemsPerPage"/>.</summary>
public enum PageSizeOverflow
{
    Clamp,
    Reject,
}
