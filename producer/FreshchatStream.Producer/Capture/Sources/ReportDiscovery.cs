using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>
/// Conversation discovery from raw report rows, and when it cannot be relied on. The CSV column names are in no
/// public source, so the conversation id column is found by name ignoring case, spaces, hyphens, underscores and other punctuation
/// (<c>conversation_id</c>, <c>Conversation ID</c>, <c>conversationId</c>). A report that answers 403 or whose rows
/// yield no conversation id is marked unusable (<see cref="MetaFields.DiscoveryReportUnusable"/>): users'
/// conversation lists are then read for every changed user, as without a discovery report. Warned once per process.
/// </summary>
public sealed class ReportDiscovery(EndpointAccess access, ILogger<ReportDiscovery> logger)
{
    /// <summary>Pseudo-resource whose <see cref="MetaFields.ForbiddenAt"/> times the retry of a forbidden discovery report.</summary>
    public const string ForbiddenKey = "discovery_report";

    private int _warnedNoIds;

    /// <summary>
    /// The normalized form of a column name: its ASCII letters and digits in lower case (so spaces, underscores,
    /// hyphens and a byte-order mark drop out), the rule the report events' convenience columns use as well.
    /// </summary>
    public static string NormalizeHeader(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return string.Concat(header.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant));
    }

    /// <summary>Whether a CSV header names the conversation id.</summary>
    public static bool IsConversationIdHeader(string header) => NormalizeHeader(header) == "conversationid";

    /// <summary>The row's conversation id, from the first column whose header names it; null when none or empty.</summary>
    public static string? ConversationIdOf(RawReportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        foreach (var (header, value) in row.Columns)
        {
            if (IsConversationIdHeader(header) && !string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }

    /// <summary>Whether a forbidden discovery report waits for <c>Capture:ReconcileInterval</c> before it is asked again.</summary>
    public static bool AwaitsRetry(CaptureContext context) =>
        MetaFields.ParseTime(context.Meta.GetValueOrDefault(MetaFields.ForbiddenAt(ForbiddenKey))) is { } at
        && context.Now - at < context.Options.ReconcileInterval;

    /// <summary>The report answered 403: discovery falls back to users' conversation lists until it answers again.</summary>
    public void Forbidden(CaptureContext context, FreshchatForbiddenException e)
    {
        access.Refused(e.Endpoint, context.Now);
        context.Batch.State.SetMeta(MetaFields.ForbiddenAt(ForbiddenKey), MetaFields.Format(context.Now))
            .SetMeta(MetaFields.Forbidden(ForbiddenKey), e.Endpoint)
            .SetMeta(MetaFields.DiscoveryReportUnusable, $"403 on {e.Endpoint} (likely scope {e.LikelyScope})");
        if (string.IsNullOrEmpty(context.Meta.GetValueOrDefault(MetaFields.ForbiddenEndpoint(e.Endpoint))))
        {
            context.Batch.State.SetMeta(MetaFields.ForbiddenEndpoint(e.Endpoint), MetaFields.Format(context.Now));
        }
    }

    /// <summary>
    /// After a window's rows were read: <paramref name="rows"/> rows of which <paramref name="withIds"/> named a
    /// conversation. Rows without any id make the report unusable for discovery (one warning); a window with ids makes
    /// it usable again. A window without rows says nothing either way.
    /// </summary>
    public void Observe(CaptureContext context, string eventName, long rows, long withIds, IReadOnlyList<string>? header)
    {
        if (context.Meta.GetValueOrDefault(MetaFields.Forbidden(ForbiddenKey)) is { Length: > 0 } endpoint)
        {
            access.Answered(endpoint);
            context.Batch.State.SetMeta(MetaFields.Forbidden(ForbiddenKey), string.Empty).SetMeta(MetaFields.ForbiddenAt(ForbiddenKey), string.Empty)
                .SetMeta(MetaFields.ForbiddenEndpoint(endpoint), string.Empty);
        }

        if (rows > 0 && withIds == 0)
        {
            var columns = header is null ? "none" : string.Join(", ", header);
            context.Batch.State.SetMeta(MetaFields.DiscoveryReportUnusable, $"{eventName} rows carry no conversation id (columns: {columns})");
            if (Interlocked.Exchange(ref _warnedNoIds, 1) == 0)
            {
                Log.ReportWithoutConversationIds(logger, eventName, rows, columns);
            }
        }
        else if (withIds > 0 || rows == 0 && context.Meta.GetValueOrDefault(MetaFields.DiscoveryReportUnusable)?.StartsWith("403", StringComparison.Ordinal) == true)
        {
            context.Batch.State.SetMeta(MetaFields.DiscoveryReportUnusable, string.Empty);
        }
    }
}
