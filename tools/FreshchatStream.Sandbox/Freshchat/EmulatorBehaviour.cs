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
    private volatile string _forbiddenScopes = "";
    private volatile bool _catalogueListsAs404;
    private volatile string _reportConversationIdHeader = "conversation_id";
    private volatile int _reportLinkPendingPolls;
    private volatile bool _reportLinkFails;
    private volatile string _poisonItems = "";
    private volatile string _poisonListing = "users";
    private volatile int _poisonOversizedBytes = 1_100_000;
    private volatile string _nonObjectConversations = "";

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

    /// <summary>
    /// Comma-separated token scopes the API key lacks, e.g. <c>reports:extract,role:read,outboundmessage:get</c>:
    /// every endpoint needing one answers 403 (scopes per endpoint: <see cref="EndpointScopes"/>). <c>*</c> forbids
    /// every endpoint, as a host of another datacenter does. Empty (the default) forbids nothing.
    /// </summary>
    public string ForbiddenScopes { get => _forbiddenScopes; set => _forbiddenScopes = value ?? ""; }

    /// <summary>The unfiltered /groups, /channels, /roles and /agents lists answer 404 (a fault no client may read as "empty").</summary>
    public bool CatalogueListsAs404 { get => _catalogueListsAs404; set => _catalogueListsAs404 = value; }

    /// <summary>
    /// Header of the conversation id column in raw report CSVs (UNCONFIRMED; e.g. <c>conversation_id</c>,
    /// <c>Conversation ID</c>, <c>conversationId</c>); a name that is none of these models a report without the column.
    /// </summary>
    public string ReportConversationIdHeader { get => _reportConversationIdHeader; set => _reportConversationIdHeader = string.IsNullOrWhiteSpace(value) ? "conversation_id" : value; }

    /// <summary>
    /// The job reads COMPLETED up to this many polls before its last link does: the last link stays PENDING until
    /// poll max(<see cref="ReportPendingPolls"/>, this), so with the default one pending poll a value of 1 costs no extra poll.
    /// </summary>
    public int ReportLinkPendingPolls { get => _reportLinkPendingPolls; set => _reportLinkPendingPolls = Math.Max(0, value); }

    /// <summary>The last link of every report job is FAILED while the job reads COMPLETED.</summary>
    public bool ReportLinkFails { get => _reportLinkFails; set => _reportLinkFails = value; }

    /// <summary>
    /// Comma-separated poison items added to the first page of <see cref="PoisonListing"/>: <c>not_object</c> (a JSON
    /// string), <c>missing_id</c>, <c>unconvertible</c> (a field of the wrong type) and <c>oversized</c>
    /// (<see cref="PoisonOversizedBytes"/> of text). Empty (the default) adds none.
    /// </summary>
    public string PoisonItems { get => _poisonItems; set => _poisonItems = value ?? ""; }

    /// <summary>The listing poison items go into: <c>users</c> (default), <c>agents</c>, <c>groups</c>, <c>channels</c> or <c>roles</c>.</summary>
    public string PoisonListing { get => _poisonListing; set => _poisonListing = string.IsNullOrWhiteSpace(value) ? "users" : value.Trim(); }

    /// <summary>Size of the oversized poison item's text field (default 1.1 MB, over librdkafka's default message.max.bytes).</summary>
    public int PoisonOversizedBytes { get => _poisonOversizedBytes; set => _poisonOversizedBytes = Math.Max(1, value); }

    /// <summary>
    /// Comma-separated conversation ids whose GET /conversations/{id} answers 200 with a JSON array instead of the
    /// object (a poison by-id answer; asking again returns the same). Empty (the default) poisons none.
    /// </summary>
    public string NonObjectConversations { get => _nonObjectConversations; set => _nonObjectConversations = value ?? ""; }
}

/// <summary>What the emulator does with an items_per_page above <see cref="EmulatorBehaviour.MaxItemsPerPage"/>.</summary>
public enum PageSizeOverflow
{
    Clamp,
    Reject,
}
