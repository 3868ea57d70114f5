using System.Runtime.CompilerServices;
using System.Text.Json;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// An in-memory <see cref="IFreshchatClient"/> for the per-strategy unit tests: the test sets what each endpoint
/// holds, the client answers from it (filters applied the way the API documents them) and records the queries it
/// was asked. An endpoint a test did not script throws, so a strategy reading something unexpected fails the test.
/// </summary>
internal sealed class ScriptedFreshchatClient : IFreshchatClient
{
    /// <summary>Users as the server holds them, by id; <c>GET /users/{id}</c> answers from here (absent → 404).</summary>
    public Dictionary<string, string> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, the listing returns these ids only (a listing that skipped items); GETs still see <see cref="Users"/>.</summary>
    public IReadOnlyCollection<string>? UsersListed { get; set; }

    public List<UserQuery> UserQueries { get; } = [];

    public List<string> UserGets { get; } = [];

    public UpdatedFilterSupport UpdatedFilter { get; set; } = UpdatedFilterSupport.Ignored;

    /// <summary>Successive answers of <c>GET /groups</c>: each listing takes the next; the last one repeats.</summary>
    public Queue<string[]> GroupListings { get; } = new();

    private string[] _lastGroups = [];

    public int GroupListingCount { get; private set; }

    public Dictionary<string, string> Agents { get; } = new(StringComparer.Ordinal);

    /// <summary>Conversations by id; <c>GET /conversations/{id}</c> answers from here (absent → 404).</summary>
    public Dictionary<string, string> Conversations { get; } = new(StringComparer.Ordinal);

    public List<string> ConversationGets { get; } = [];

    /// <summary>What <see cref="IFreshchatClient.MaxConcurrency"/> answers: strategies read this many items at once.</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>
    /// Awaited before a conversation's messages are answered (by conversation id), so a test can make reads
    /// complete in another order than they started; reads of different conversations then overlap.
    /// </summary>
    public Func<string, Task>? BeforeMessages { get; set; }

    /// <summary>Conversation ids of users' conversation lists (<c>GET /users/{id}/conversations</c>); absent → 404.</summary>
    public Dictionary<string, string[]> UserConversations { get; } = new(StringComparer.Ordinal);

    /// <summary>Most message reads that were in progress at the same time.</summary>
    public int MaxMessageReadsInFlight => Volatile.Read(ref _maxInFlight);

    private int _inFlight;
    private int _maxInFlight;
    private readonly Lock _record = new();

    /// <summary>Messages per conversation id, in any order.</summary>
    public Dictionary<string, List<string>> Messages { get; } = new(StringComparer.Ordinal);

    public string? AccountConfigurationJson { get; set; }

    public Dictionary<string, string> Channels { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Roles { get; } = new(StringComparer.Ordinal);

    /// <summary>Outbound messages by <c>message_id</c>.</summary>
    public Dictionary<string, string> OutboundMessages { get; } = new(StringComparer.Ordinal);

    /// <summary>The account's API lists outbound messages only for a given <c>request_id</c>.</summary>
    public bool OutboundRequiresRequestId { get; set; }

    /// <summary>How many times outbound messages were listed (asked, whether answered or refused).</summary>
    public int OutboundListings { get; private set; }

    public List<RawReportRequest> ReportRequests { get; } = [];

    /// <summary>The exception a report request throws instead of creating a job (null: it creates one).</summary>
    public Func<RawReportRequest, Exception?>? ReportRequestFails { get; set; }

    /// <summary><c>POST /reports/raw</c> answers 403 (the token lacks <c>reports:extract</c>).</summary>
    public bool ReportsForbidden { get; set; }

    /// <summary>Raw report jobs by id as <c>GET /reports/raw/{id}</c> answers them; a created job starts PENDING.</summary>
    public Dictionary<string, string> ReportJobs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<RawReportRow>> ReportRows { get; } = new(StringComparer.Ordinal);

    public List<string> ReportDownloads { get; } = [];

    /// <summary>Every message read: the conversation and the boundary asked for.</summary>
    public List<(string ConversationId, MessageBoundary? StopAt)> MessageReads { get; } = [];

    public Task<IReadOnlyList<AgentStatusDefinition>?> GetAgentStatusesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AgentStatusDefinition>?>(null);

    public async IAsyncEnumerable<FreshchatUser> ListUsersAsync(UserQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        UserQueries.Add(query);
        await Task.Yield();
        var users = Users.Where(u => UsersListed is null || UsersListed.Contains(u.Key))
            .Select(u => new FreshchatUser(Parse(u.Value)))
            .Where(u => query.CreatedFrom is not { } from || u.CreatedTime >= from)
            .Where(u => query.UpdatedFrom is not { } updated || u.UpdatedTime >= updated)
            .OrderBy(u => u.CreatedTime)
            .ToList();
        foreach (var user in users)
        {
            yield return user;
        }
    }

    public Task<FreshchatUser?> GetUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        UserGets.Add(userId);
        return Task.FromResult(Users.TryGetValue(userId, out var json) ? new FreshchatUser(Parse(json)) : null);
    }

    public Task<UpdatedFilterSupport> ProbeUpdatedFilterAsync(CancellationToken cancellationToken = default) => Task.FromResult(UpdatedFilter);

    public async IAsyncEnumerable<FreshchatGroup> ListGroupsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        GroupListingCount++;
        await Task.Yield();
        if (GroupListings.TryDequeue(out var next))
        {
            _lastGroups = next;
        }

        foreach (var json in _lastGroups)
        {
            yield return new FreshchatGroup(Parse(json));
        }
    }

    public async IAsyncEnumerable<FreshchatAgent> ListAgentsAsync(AgentQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var json in Agents.Values)
        {
            yield return new FreshchatAgent(Parse(json));
        }
    }

    public Task<FreshchatAgent?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Agents.TryGetValue(agentId, out var json) ? new FreshchatAgent(Parse(json)) : null);

    public Task<AccountConfiguration> GetAccountConfigurationAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new AccountConfiguration(Parse(AccountConfigurationJson ?? throw Unscripted())));

    public async Task<IReadOnlyList<string>?> GetUserConversationIdsAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (UserConversations.Count == 0)
        {
            throw Unscripted();
        }

        await Task.Yield();
        return UserConversations.TryGetValue(userId, out var ids) ? ids : null;
    }

    public Task<FreshchatConversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        lock (_record)
        {
            ConversationGets.Add(conversationId);
        }

        return Task.FromResult(Conversations.TryGetValue(conversationId, out var json) ? new FreshchatConversation(Parse(json)) : null);
    }

    /// <summary>Newest first, as the API answers; messages the boundary covers are left out, as the real client's walk does.</summary>
    public async IAsyncEnumerable<FreshchatMessage> ListMessagesAsync(string conversationId, MessageBoundary? stopAt = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        lock (_record)
        {
            MessageReads.Add((conversationId, stopAt));
        }

        await Task.Yield();
        var inFlight = Interlocked.Increment(ref _inFlight);
        var seen = Volatile.Read(ref _maxInFlight);
        while (inFlight > seen && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
        {
            seen = Volatile.Read(ref _maxInFlight);
        }

        try
        {
            if (BeforeMessages is { } before)
            {
                await before(conversationId);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        var messages = Messages.GetValueOrDefault(conversationId, []).Select(m => new FreshchatMessage(Parse(m)))
            .OrderByDescending(m => m.CreatedTime)
            .Where(m => stopAt is null || m.CreatedTime is not { } created || !stopAt.Covers(created, m.Id))
            .ToList();
        foreach (var message in messages)
        {
            yield return message;
        }
    }

    public Task<IReadOnlyList<FreshchatRecord>> GetConversationFieldsAsync(CancellationToken cancellationToken = default) => throw Unscripted();

    public async IAsyncEnumerable<FreshchatChannel> ListChannelsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var json in Channels.Values.ToList())
        {
            yield return new FreshchatChannel(Parse(json));
        }
    }

    public async IAsyncEnumerable<FreshchatRole> ListRolesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var json in Roles.Values.ToList())
        {
            yield return new FreshchatRole(Parse(json));
        }
    }

    public async IAsyncEnumerable<OutboundMessage> ListOutboundMessagesAsync(string? requestId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        OutboundListings++;
        await Task.Yield();
        if (OutboundRequiresRequestId && requestId is null)
        {
            throw new FreshchatRequestIdRequiredException("/v2/outbound-messages", 400);
        }

        foreach (var json in OutboundMessages.Values.ToList())
        {
            yield return new OutboundMessage(Parse(json));
        }
    }

    public Task<RawReportJob> CreateRawReportAsync(RawReportRequest request, CancellationToken cancellationToken = default)
    {
        if (ReportsForbidden)
        {
            throw new FreshchatForbiddenException("POST /v2/reports/raw");
        }

        if (ReportRequestFails?.Invoke(request) is { } failure)
        {
            return Task.FromException<RawReportJob>(failure);
        }

        ReportRequests.Add(request);
        var id = $"job-{ReportRequests.Count}";
        ReportJobs.TryAdd(id, $$"""{"id":"{{id}}","status":"PENDING"}""");
        return Task.FromResult(new RawReportJob(Parse($$"""{"id":"{{id}}","status":"PENDING"}""")));
    }

    public Task<RawReportJob> GetRawReportAsync(string reportId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new RawReportJob(Parse(ReportJobs[reportId])));

    public async IAsyncEnumerable<RawReportRow> ReadRawReportRowsAsync(RawReportJob job, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ReportDownloads.Add(job.Id);
        await Task.Yield();
        foreach (var row in ReportRows.GetValueOrDefault(job.Id, []))
        {
            yield return row;
        }
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static NotSupportedException Unscripted([CallerMemberName] string member = "") =>
        new($"{member} was not scripted for this test");
}
