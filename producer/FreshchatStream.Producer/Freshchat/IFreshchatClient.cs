using FreshchatStream.Producer.Freshchat.Models;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// The producer's only window onto the Freshchat REST API v2: one method per read endpoint of
/// <c>freshchat-api.md</c> §2. Lists are streamed page by page (never held whole in memory); a missing entity
/// is <c>null</c>, not an exception. Failures surface as <see cref="FreshchatException"/> subtypes that say
/// whether retrying later can help.
/// </summary>
public interface IFreshchatClient
{
    /// <summary>
    /// How many independent calls a capture strategy may have in flight on this client at once
    /// (<c>Freshchat:MaxConcurrency</c>); the client's own gate enforces it across all strategies.
    /// </summary>
    int MaxConcurrency => 1;

    /// <summary><c>GET /accounts/configuration</c> (bare object or <c>{"configuration":{...}}</c>; both accepted).</summary>
    Task<AccountConfiguration> GetAccountConfigurationAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /users</c> with at least one filter (the API refuses a bare list), all pages.</summary>
    IAsyncEnumerable<FreshchatUser> ListUsersAsync(UserQuery query, CancellationToken cancellationToken = default);

    /// <summary><c>GET /users/{id}</c>; null when the user does not exist (404).</summary>
    Task<FreshchatUser?> GetUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /users/{id}/conversations</c> (ids only, unpaginated); null when the user does not exist.</summary>
    Task<IReadOnlyList<string>?> GetUserConversationIdsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /conversations/{id}</c>; null when the conversation does not exist (404).</summary>
    Task<FreshchatConversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /conversations/{id}/messages</c>, newest first, following <c>link.href</c>. With
    /// <paramref name="stopAt"/> only messages newer than the boundary are yielded and paging stops at the
    /// first page that reaches it, so a quiet conversation costs one request. A conversation that does not
    /// exist yields nothing.
    /// </summary>
    IAsyncEnumerable<FreshchatMessage> ListMessagesAsync(string conversationId, MessageBoundary? stopAt = null, CancellationToken cancellationToken = default);

    /// <summary><c>GET /conversations/fields</c> (bare array or wrapped; both accepted).</summary>
    Task<IReadOnlyList<FreshchatRecord>> GetConversationFieldsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /agents</c> with optional filters, all pages. A 404 on a filtered list reads as "no agents"; on the
    /// unfiltered list it is an error (<see cref="FreshchatRequestException"/>), never an empty list.
    /// </summary>
    IAsyncEnumerable<FreshchatAgent> ListAgentsAsync(AgentQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary><c>GET /agents/{id}</c>; null when the agent does not exist (404).</summary>
    Task<FreshchatAgent?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary>The agent status catalogue (<c>GET /agents/status</c>, UNCONFIRMED path); null when the API has none (404).</summary>
    Task<IReadOnlyList<AgentStatusDefinition>?> GetAgentStatusesAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /groups</c>, all pages; a 404 is an error, never an empty list.</summary>
    IAsyncEnumerable<FreshchatGroup> ListGroupsAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /channels</c> (topics), all pages.</summary>
    IAsyncEnumerable<FreshchatChannel> ListChannelsAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /roles</c>, all pages.</summary>
    IAsyncEnumerable<FreshchatRole> ListRolesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /outbound-messages</c>, optionally for one <c>request_id</c>. Without one, an account whose API
    /// requires it raises <see cref="FreshchatRequestIdRequiredException"/>.
    /// </summary>
    IAsyncEnumerable<OutboundMessage> ListOutboundMessagesAsync(string? requestId = null, CancellationToken cancellationToken = default);

    /// <summary><c>POST /reports/raw</c>: asks for a raw report of one event over a time window.</summary>
    Task<RawReportJob> CreateRawReportAsync(RawReportRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>GET /reports/raw/{id}</c>: the job's status and, once completed, its download links.</summary>
    Task<RawReportJob> GetRawReportAsync(string reportId, CancellationToken cancellationToken = default);

    /// <summary>Downloads every link of a completed job (a ZIP holding one CSV each) and streams its rows.</summary>
    IAsyncEnumerable<RawReportRow> ReadRawReportRowsAsync(RawReportJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the server honours <c>updated_from</c> on <c>/users</c> (UNCONFIRMED in the docs): a request with
    /// <c>updated_from</c> in the future must return nothing. The result is logged.
    /// </summary>
    Task<UpdatedFilterSupport> ProbeUpdatedFilterAsync(CancellationToken cancellationToken = default);
}
