using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.Freshchat.Pagination;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// The typed Freshchat API v2 client (<see cref="IFreshchatClient"/>). Lists are streamed page by page following
/// <c>links.next_page.href</c> (<c>link.href</c> for messages) and stop at whichever documented signal comes
/// first: no next link, <c>current_page ≥ total_pages</c>, or an empty page. Where the API's behaviour is
/// unconfirmed both readings are accepted and the one met is logged once.
/// </summary>
public sealed class FreshchatClient(FreshchatTransport transport, FreshchatOptions options, TimeProvider time, ILogger<FreshchatClient> logger,
    ListingRejects? rejects = null, ListingTotals? listings = null)
    : IFreshchatClient
{
    /// <summary>The documented maximum, used when the server rejects a larger page size.</summary>
    public const int SafeItemsPerPage = 50;

    private readonly HashSet<string> _readingsLogged = new(StringComparer.Ordinal);

    public int MaxConcurrency => options.MaxConcurrency;
    private volatile int _itemsPerPage = options.ItemsPerPage;
    private int _pageSizeLowered;
    private readonly SemaphoreSlim _pageSizeProbe = new(1, 1);
    private volatile bool _pageSizeSettled = options.ItemsPerPage <= SafeItemsPerPage;
    private volatile bool _userSortRejected;

    public async Task<AccountConfiguration> GetAccountConfigurationAsync(CancellationToken cancellationToken = default)
    {
        const string endpoint = "GET /v2/accounts/configuration";
        using var document = await transport.GetAsync("accounts/configuration", endpoint, cancellationToken)
            ?? throw new FreshchatRequestException($"{endpoint}: Freshchat answered 404; check Freshchat:BaseUrl.", endpoint, 404, null);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("configuration", out var wrapped) && wrapped.ValueKind == JsonValueKind.Object)
        {
            Reading("account-configuration", "account configuration is wrapped in {\"configuration\":…}");
            return new AccountConfiguration(wrapped.Clone());
        }

        return new AccountConfiguration(Object(root, endpoint).Clone());
    }

    public IAsyncEnumerable<FreshchatUser> ListUsersAsync(UserQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!query.HasFilter)
        {
            throw new ArgumentException("Freshchat refuses to list users without a filter: set CreatedFrom, CreatedTo, UpdatedFrom, UpdatedTo, Email or ReferenceId.", nameof(query));
        }

        return query.SortBy is null && query.SortOrder is null
            ? PageAsync(UsersPath(query, sorted: false), "users", "GET /v2/users", json => new FreshchatUser(json), notFoundIsEmpty: false, cancellationToken)
            : SortedUsersAsync(query, cancellationToken);
    }

    /// <summary>
    /// A sorted user scan. <c>sort_by</c> values are UNCONFIRMED: a server that rejects the sort with 400 is asked
    /// once more without it (logged once, and not asked with a sort again), so the scan never dies on it.
    /// </summary>
    private async IAsyncEnumerable<FreshchatUser> SortedUsersAsync(UserQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sorted = !_userSortRejected;
        // Enumerators start nothing until read: the unsorted one costs a request only after a rejection.
        await using var sortedPages = PageAsync(UsersPath(query, sorted), "users", "GET /v2/users", json => new FreshchatUser(json), notFoundIsEmpty: false, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        await using var unsortedPages = PageAsync(UsersPath(query, sorted: false), "users", "GET /v2/users", json => new FreshchatUser(json), notFoundIsEmpty: false, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        var current = sortedPages;
        bool any;
        try
        {
            any = await current.MoveNextAsync();
        }
        catch (FreshchatRequestException e) when (sorted && e.StatusCode == 400)
        {
            _userSortRejected = true;
            Reading("users-sort", $"GET /v2/users rejects sort_by={query.SortBy}&sort_order={query.SortOrder} (400); user scans use the server's default order");
            current = unsortedPages;
            any = await current.MoveNextAsync();
        }

        while (any)
        {
            yield return current.Current;
            any = await current.MoveNextAsync();
        }
    }

    private static string UsersPath(UserQuery query, bool sorted)
    {
        var path = new StringBuilder("users?");
        Append(path, "created_from", query.CreatedFrom);
        Append(path, "created_to", query.CreatedTo);
        Append(path, "updated_from", query.UpdatedFrom);
        Append(path, "updated_to", query.UpdatedTo);
        Append(path, "email", query.Email);
        Append(path, "reference_id", query.ReferenceId);
        if (sorted)
        {
            Append(path, "sort_by", query.SortBy);
            Append(path, "sort_order", query.SortOrder);
        }

        return path.ToString();
    }

    public async Task<FreshchatUser?> GetUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        using var document = await transport.GetAsync($"users/{Escape(userId)}", "GET /v2/users/{id}", cancellationToken);
        return document is null ? null : new FreshchatUser(Object(document.RootElement, "GET /v2/users/{id}").Clone());
    }

    public async Task<IReadOnlyList<string>?> GetUserConversationIdsAsync(string userId, CancellationToken cancellationToken = default)
    {
        const string endpoint = "GET /v2/users/{id}/conversations";
        using var document = await transport.GetAsync($"users/{Escape(userId)}/conversations", endpoint, cancellationToken);
        if (document is null)
        {
            return null;
        }

        var ids = new List<string>();
        foreach (var item in Items(document.RootElement, "conversations", endpoint))
        {
            var record = new FreshchatRecord(item);
            if ((record.GetString("id") ?? record.GetString("conversation_id")) is { } id && !ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    public async Task<FreshchatConversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        const string endpoint = "GET /v2/conversations/{id}";
        using var document = await transport.GetAsync($"conversations/{Escape(conversationId)}", endpoint, cancellationToken);
        if (document is null)
        {
            return null;
        }

        // Asked again, the server answers the same poison: set it aside like a listing item, and let the caller move on.
        if (ListingRejects.ReasonToReject(document.RootElement, "conversation_id") is { } reason)
        {
            Log.ItemSetAside(logger, endpoint, reason);
            rejects?.Add(ListingRejects.Create("conversations", endpoint, reason, document.RootElement));
            throw new FreshchatRejectedItemException(endpoint, reason);
        }

        return new FreshchatConversation(document.RootElement.Clone());
    }

    /// <summary>
    /// Newest first, following <c>link.href</c>. When the link pages by <c>from_time</c>, its value is replaced by
    /// the rule of <see cref="MessagePageWalk"/> (oldest time on the page + 1 ms, repeats dropped), which is exact
    /// whether the server's <c>from_time</c> includes its boundary or not; a page-number link is followed as given.
    /// </summary>
    public async IAsyncEnumerable<FreshchatMessage> ListMessagesAsync(string conversationId, MessageBoundary? stopAt = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const string endpoint = "GET /v2/conversations/{id}/messages";
        var walk = new MessagePageWalk();
        var requested = new HashSet<string>(StringComparer.Ordinal);
        var crowdLogged = false;
        string? path = $"conversations/{Escape(conversationId)}/messages?items_per_page={Math.Min(_itemsPerPage, SafeItemsPerPage)}";
        while (path is not null && requested.Add(path))
        {
            using var document = await transport.GetAsync(path, endpoint, cancellationToken);
            if (document is null)
            {
                yield break; // the conversation is gone: nothing to read
            }

            var root = document.RootElement;
            DateTimeOffset? oldest = null;
            var count = 0;
            var progressed = false;
            foreach (var item in ListPage.AllItems(root, "messages", endpoint))
            {
                count++;
                if (SetAside(item, "messages", "id", endpoint))
                {
                    continue;
                }

                var message = new FreshchatMessage(item.Clone());
                var created = message.CreatedTime;
                if (created is { } time && (oldest is null || time < oldest))
                {
                    oldest = time;
                }

                if (!walk.FirstRead(message.Id))
                {
                    continue; // the boundary millisecond, asked for again
                }

                progressed = true;
                if (stopAt is not null && created is { } at && stopAt.Covers(at, message.Id))
                {
                    continue; // captured by an earlier pass
                }

                yield return message;
            }

            // Newest first: once a page reaches below the boundary instant, everything further down was captured
            // before. A page ending exactly at that instant may be followed by more messages sharing it.
            if (count == 0 || stopAt is not null && oldest is { } reached && reached < stopAt.CreatedTime)
            {
                yield break;
            }

            // The singular link.href (or a links.next_page, should the API ever use the list envelope here).
            var next = ListPage.NextHref(root);
            if (next is not null && oldest is { } pageOldest && MessageLinks.HasFromTime(next))
            {
                next = MessageLinks.WithFromTime(next, Iso(walk.NextFromTime(pageOldest, progressed)));
                if (walk.Crowded && !crowdLogged)
                {
                    crowdLogged = true;
                    Log.CrowdedMessages(logger, conversationId, pageOldest);
                }
            }

            path = next;
        }
    }

    public async Task<IReadOnlyList<FreshchatRecord>> GetConversationFieldsAsync(CancellationToken cancellationToken = default)
    {
        const string endpoint = "GET /v2/conversations/fields";
        using var document = await transport.GetAsync("conversations/fields", endpoint, cancellationToken);
        if (document is null)
        {
            return [];
        }

        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object)
        {
            Reading("conversation-fields", "conversation fields arrive wrapped in an object");
        }

        return [.. Items(root, null, endpoint).Select(item => new FreshchatRecord(item.Clone()))];
    }

    public IAsyncEnumerable<FreshchatAgent> ListAgentsAsync(AgentQuery? query = null, CancellationToken cancellationToken = default)
    {
        var path = new StringBuilder("agents?");
        Append(path, "groups", query?.GroupId);
        Append(path, "is_deactivated", query?.IsDeactivated is { } deactivated ? (deactivated ? "true" : "false") : null);
        Append(path, "availability_status", query?.AvailabilityStatus);
        var filtered = query?.GroupId is not null || query?.IsDeactivated is not null || query?.AvailabilityStatus is not null;
        return PageAsync(path.ToString(), "agents", "GET /v2/agents", json => new FreshchatAgent(json), notFoundIsEmpty: filtered, cancellationToken);
    }

    public async Task<FreshchatAgent?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default)
    {
        using var document = await transport.GetAsync($"agents/{Escape(agentId)}", "GET /v2/agents/{id}", cancellationToken);
        return document is null ? null : new FreshchatAgent(Object(document.RootElement, "GET /v2/agents/{id}").Clone());
    }

    public async Task<IReadOnlyList<AgentStatusDefinition>?> GetAgentStatusesAsync(CancellationToken cancellationToken = default)
    {
        const string endpoint = "GET /v2/agents/status";
        using var document = await transport.GetAsync("agents/status", endpoint, cancellationToken);
        if (document is null)
        {
            Reading("agent-statuses", "the agent status catalogue endpoint does not exist (404)");
            return null;
        }

        return [.. Items(document.RootElement, "states", endpoint).Select(item => new AgentStatusDefinition(item.Clone()))];
    }

    public IAsyncEnumerable<FreshchatGroup> ListGroupsAsync(CancellationToken cancellationToken = default) =>
        PageAsync("groups?", "groups", "GET /v2/groups", json => new FreshchatGroup(json), notFoundIsEmpty: false, cancellationToken);

    public IAsyncEnumerable<FreshchatChannel> ListChannelsAsync(CancellationToken cancellationToken = default) =>
        PageAsync("channels?", "channels", "GET /v2/channels", json => new FreshchatChannel(json), notFoundIsEmpty: false, cancellationToken);

    public IAsyncEnumerable<FreshchatRole> ListRolesAsync(CancellationToken cancellationToken = default) =>
        PageAsync("roles?", "roles", "GET /v2/roles", json => new FreshchatRole(json), notFoundIsEmpty: false, cancellationToken);

    public async IAsyncEnumerable<OutboundMessage> ListOutboundMessagesAsync(string? requestId = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const string endpoint = "GET /v2/outbound-messages";
        var path = new StringBuilder("outbound-messages?");
        Append(path, "request_id", requestId);
        IAsyncEnumerable<OutboundMessage> pages;
        try
        {
            // The first page is read eagerly so a "request_id is required" answer becomes one clear exception.
            pages = await FirstPageCheckedAsync(path.ToString(), endpoint, cancellationToken);
        }
        catch (FreshchatRequestException e) when (requestId is null && e.StatusCode == 400)
        {
            Reading("outbound-messages", "outbound messages can only be listed for a request_id");
            throw new FreshchatRequestIdRequiredException(endpoint, 400);
        }

        await foreach (var message in pages.WithCancellation(cancellationToken))
        {
            yield return message;
        }
    }

    public async Task<RawReportJob> CreateRawReportAsync(RawReportRequest request, CancellationToken cancellationToken = default)
    {
        const string endpoint = "POST /v2/reports/raw";
        var body = new Dictionary<string, object>
        {
            ["start"] = Iso(request.Start),
            ["end"] = Iso(request.End),
            ["event"] = request.Event,
            ["format"] = "csv",
        };
        if (request.ExcludePii is { } exclude)
        {
            body["should_exclude_pii"] = exclude;
        }

        using var document = await transport.SendAsync(HttpMethod.Post, "reports/raw", endpoint, JsonSerializer.Serialize(body), cancellationToken)
            ?? throw new FreshchatRequestException($"{endpoint}: Freshchat answered 404 (raw reports are not available on this account or host).", endpoint, 404, null);
        return new RawReportJob(Object(document.RootElement, endpoint).Clone());
    }

    public async Task<RawReportJob> GetRawReportAsync(string reportId, CancellationToken cancellationToken = default)
    {
        const string endpoint = "GET /v2/reports/raw/{id}";
        using var document = await transport.GetAsync($"reports/raw/{Escape(reportId)}", endpoint, cancellationToken)
            ?? throw new FreshchatRequestException($"{endpoint}: report {reportId} not found.", endpoint, 404, "REPORT_NOT_FOUND");
        return new RawReportJob(Object(document.RootElement, endpoint).Clone());
    }

    public IAsyncEnumerable<RawReportRow> ReadRawReportRowsAsync(RawReportJob job, CancellationToken cancellationToken = default) =>
        new RawReportDownloader(transport).ReadRowsAsync(job, cancellationToken);

    public async Task<UpdatedFilterSupport> ProbeUpdatedFilterAsync(CancellationToken cancellationToken = default)
    {
        const string endpoint = "GET /v2/users";
        // No user can have been updated tomorrow: any user in the answer means the filter was ignored.
        var path = $"users?updated_from={Uri.EscapeDataString(Iso(time.GetUtcNow().AddDays(1)))}&items_per_page=1";
        UpdatedFilterSupport support;
        try
        {
            using var document = await transport.GetAsync(path, endpoint, cancellationToken);
            support = document is not null && ListPage.Items(document.RootElement, "users", endpoint).Any()
                ? UpdatedFilterSupport.Ignored
                : UpdatedFilterSupport.Honoured;
        }
        catch (FreshchatRequestException e) when (e.StatusCode == 400)
        {
            support = UpdatedFilterSupport.Rejected;
        }

        Log.UpdatedFilterProbed(logger, support);
        return support;
    }

    private async Task<IAsyncEnumerable<OutboundMessage>> FirstPageCheckedAsync(string path, string endpoint, CancellationToken cancellationToken)
    {
        var first = await transport.GetAsync(WithPageSize(path), endpoint, cancellationToken);
        return Continue(first, path, endpoint, cancellationToken);

        async IAsyncEnumerable<OutboundMessage> Continue(JsonDocument? document, string firstPath, string name, [EnumeratorCancellation] CancellationToken token)
        {
            await foreach (var item in LinkedPages.FollowAsync(document, transport.GetPageAsync(name), "outbound_messages", name, token))
            {
                if (!SetAside(item, "outbound_messages", "message_id", name))
                {
                    yield return new OutboundMessage(item);
                }
            }
        }
    }

    /// <param name="notFoundIsEmpty">
    /// Only for a filtered agents list, the one list known to answer 404 for "no match" (Pipedream). A 404 on a
    /// listing of everything (groups, channels, roles, agents without a filter) cannot mean "none": it is an error
    /// for the resource, retried next cycle, never an empty list that would make every known id look deleted.
    /// </param>
    private async IAsyncEnumerable<T> PageAsync<T>(string path, string itemsProperty, string endpoint, Func<JsonElement, T> create, bool notFoundIsEmpty,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JsonDocument? first;
        if (_pageSizeSettled)
        {
            first = await FirstPageAsync(path, endpoint, cancellationToken);
        }
        else
        {
            // Until one listing showed whether the server takes the configured page size, first pages go one at a
            // time: concurrent catalogue passes would otherwise each spend a 400 on a server that rejects it. Those
            // that queued behind the one that settled it go at once, together, instead of still one by one.
            await _pageSizeProbe.WaitAsync(cancellationToken);
            var probing = !_pageSizeSettled;
            if (!probing)
            {
                _pageSizeProbe.Release();
            }

            try
            {
                first = await FirstPageAsync(path, endpoint, cancellationToken);
                if (probing)
                {
                    _pageSizeSettled = first is not null;
                }
            }
            finally
            {
                if (probing)
                {
                    _pageSizeProbe.Release();
                }
            }
        }

        if (first is null && notFoundIsEmpty)
        {
            Reading($"404-list:{endpoint}", $"{endpoint} answers 404 for a filtered list without matches");
            yield break;
        }

        if (first is null)
        {
            // The resource's pass fails and the next cycle retries; its state (and so its known ids) stays as it was.
            throw new FreshchatRequestException(
                $"{endpoint}: Freshchat answered 404 for the listing; read as an error, never as an empty list (check Freshchat:BaseUrl if it persists).",
                endpoint, 404, null);
        }

        LogPageSizeOnce(endpoint, first.RootElement);
        listings?.FirstPage(endpoint, ListPage.TotalItems(first.RootElement), ListPage.ItemsPerPage(first.RootElement));
        await foreach (var item in LinkedPages.FollowAsync(first, transport.GetPageAsync(endpoint), itemsProperty, endpoint, cancellationToken))
        {
            if (!SetAside(item, itemsProperty, "id", endpoint))
            {
                yield return create(item);
            }
        }
    }

    /// <summary>
    /// True when a listing item cannot become a record (not an object, no id): it goes to <see cref="ListingRejects"/>
    /// for the dead-letter topic and the walk continues past it.
    /// </summary>
    private bool SetAside(JsonElement item, string resource, string idProperty, string endpoint)
    {
        if (ListingRejects.ReasonToReject(item, idProperty) is not { } reason)
        {
            return false;
        }

        Log.ItemSetAside(logger, endpoint, reason);
        if (rejects is null)
        {
            throw new InvalidDataException($"{endpoint} listed an item that is {reason}.");
        }

        rejects.Add(ListingRejects.Create(resource, endpoint, reason, item));
        return true;
    }

    private static IEnumerable<JsonElement> Items(JsonElement root, string? property, string endpoint) => ListPage.Items(root, property, endpoint);

    private static JsonElement Object(JsonElement root, string endpoint) =>
        root.ValueKind == JsonValueKind.Object
            ? root
            : throw new FreshchatResponseException($"{endpoint} returned {root.ValueKind} where an object was expected.", endpoint, 200);

    /// <summary>The first page of a listing at the current page size, falling back to the documented 50 when the server rejects a larger one.</summary>
    private async Task<JsonDocument?> FirstPageAsync(string path, string endpoint, CancellationToken cancellationToken)
    {
        // The size this request asks for: the retry depends on what this request sent, not on what the shared field
        // holds by the time its 400 arrives.
        var pageSize = _itemsPerPage;
        try
        {
            return await transport.GetAsync(WithPageSize(path, pageSize), endpoint, cancellationToken);
        }
        catch (FreshchatRequestException e) when (e.StatusCode == 400 && pageSize > SafeItemsPerPage)
        {
            // items_per_page above the documented 50 is clamped by some servers and rejected by others (UNCONFIRMED).
            _itemsPerPage = SafeItemsPerPage;
            if (Interlocked.Exchange(ref _pageSizeLowered, 1) == 0)
            {
                Log.PageSizeRejected(logger, endpoint, options.ItemsPerPage, SafeItemsPerPage);
            }

            return await transport.GetAsync(WithPageSize(path, SafeItemsPerPage), endpoint, cancellationToken);
        }
    }

    private string WithPageSize(string path) => WithPageSize(path, _itemsPerPage);

    private static string WithPageSize(string path, int itemsPerPage) =>
        $"{path}{(path.EndsWith('?') || path.EndsWith('&') ? string.Empty : "&")}items_per_page={itemsPerPage}";

    private static void Append(StringBuilder path, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            Append(path, name, Iso(time));
        }
    }

    private static void Append(StringBuilder path, string name, string? value)
    {
        if (value is not null)
        {
            path.Append(name).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        }
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string id) => Uri.EscapeDataString(id);

    private void Reading(string key, string description)
    {
        lock (_readingsLogged)
        {
            if (!_readingsLogged.Add(key))
            {
                return;
            }
        }

        Log.ReadingChosen(logger, description);
    }

    /// <summary>Logs once which page size the server applies: the one asked for, or a smaller one it clamped to.</summary>
    private void LogPageSizeOnce(string endpoint, JsonElement firstPage)
    {
        var asked = _itemsPerPage;
        var applied = ListPage.ItemsPerPage(firstPage);
        if (applied is { } size && size < asked)
        {
            Reading("page-size", $"the server clamps items_per_page={asked} to {size}");
        }
        else
        {
            Reading("page-size", $"list pages are read with items_per_page={asked} (first seen on {endpoint})");
        }
    }
}
