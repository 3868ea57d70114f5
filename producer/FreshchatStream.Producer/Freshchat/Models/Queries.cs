namespace FreshchatStream.Producer.Freshchat.Models;

/// <summary>Filters of <c>GET /users</c>; the API demands at least one.</summary>
public sealed record UserQuery
{
    public DateTimeOffset? CreatedFrom { get; init; }
    public DateTimeOffset? CreatedTo { get; init; }
    public DateTimeOffset? UpdatedFrom { get; init; }
    public DateTimeOffset? UpdatedTo { get; init; }
    public string? Email { get; init; }
    public string? ReferenceId { get; init; }
    /// <summary>The field to sort by, e.g. <c>created_time</c> (accepted values UNCONFIRMED); null leaves the server default.</summary>
    public string? SortBy { get; init; }
    /// <summary><c>asc</c> or <c>desc</c>; null leaves the server default.</summary>
    public string? SortOrder { get; init; }

    public bool HasFilter => CreatedFrom is not null || CreatedTo is not null || UpdatedFrom is not null || UpdatedTo is not null
        || Email is not null || ReferenceId is not null;
}

/// <summary>Filters of <c>GET /agents</c>.</summary>
public sealed record AgentQuery
{
    public string? GroupId { get; init; }
    public bool? IsDeactivated { get; init; }
    public string? AvailabilityStatus { get; init; }
}

/// <summary>
/// The last message already captured in a conversation: its <c>created_time</c> and the ids of every message
/// captured at that instant, so equal timestamps neither duplicate nor drop a message.
/// </summary>
public sealed record MessageBoundary(DateTimeOffset CreatedTime, IReadOnlySet<string> IdsAtCreatedTime)
{
    /// <summary>True when <paramref name="message"/> was captured before (at or older than the boundary).</summary>
    public bool Covers(DateTimeOffset createdTime, string id) =>
        createdTime < CreatedTime || (createdTime == CreatedTime && IdsAtCreatedTime.Contains(id));
}

/// <summary>What the <c>updated_from</c> probe found.</summary>
public enum UpdatedFilterSupport
{
    /// <summary>A request with <c>updated_from</c> in the future returned no users: the filter is applied.</summary>
    Honoured,
    /// <summary>It returned users anyway: the filter is silently ignored, changes need reconciliation scans.</summary>
    Ignored,
    /// <summary>The server rejected the parameter (4xx).</summary>
    Rejected,
}
