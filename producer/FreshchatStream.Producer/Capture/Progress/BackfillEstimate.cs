using System.Globalization;

namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>
/// What a backfill or snapshot still has to request, from what the state and the running pass know, and how long
/// that takes at 200, 500 and 1,000 requests a minute: users pages left in the listing in flight, users queued for a
/// conversation-list read (one request each), conversations not read yet (one <c>GET</c> plus at least one messages
/// page each: <see cref="FirstCycleEstimate.MessagePagesPerConversation"/>), and the discovery report's windows
/// between its last completed window and now (one <c>POST</c> and two status polls each). Conversations that lists
/// and report windows still to be read will reveal are unknown, so it is a lower bound: an estimate, said so.
/// </summary>
public sealed record BackfillEstimate(long UserPages, long ConversationLists, long Conversations, long ReportWindows)
{
    /// <summary>The request rates the estimate is given at (per minute).</summary>
    public static readonly IReadOnlyList<int> Rates = [200, 500, 1000];

    /// <summary>Requests per report window: the <c>POST</c>, a poll that finds it pending, one that finds it ready.</summary>
    public const int RequestsPerReportWindow = 3;

    public long Requests => UserPages + ConversationLists + Conversations * (1 + FirstCycleEstimate.MessagePagesPerConversation) + ReportWindows * RequestsPerReportWindow;

    public TimeSpan At(int requestsPerMinute) => TimeSpan.FromMinutes((double)Requests / Math.Max(1, requestsPerMinute));

    /// <param name="progress">The pass in flight, if any (its users listing's pages left are counted).</param>
    /// <param name="usersPerPage">Page size of the users listing.</param>
    /// <param name="queuedUsers">Users waiting for a conversation-list read.</param>
    /// <param name="unreadConversations">Conversations to read: due now during a backfill, or left to re-emit in a snapshot.</param>
    /// <param name="reportFrom">Where the discovery report goes on from (its last window end, or the backfill's horizon); null when it is not used.</param>
    /// <param name="reportUntil">Where it stops: now minus the settle delay.</param>
    /// <param name="reportWindow">Its longest window.</param>
    public static BackfillEstimate Derive(InFlightProgress? progress, int usersPerPage, long queuedUsers, long unreadConversations,
        DateTimeOffset? reportFrom, DateTimeOffset reportUntil, TimeSpan reportWindow)
    {
        var usersLeft = progress?.Passes.Where(p => p.Resource == CaptureCatalogue.Users && p.Known is not null).Sum(p => Math.Max(0, p.Known!.Value - p.Done)) ?? 0;
        var pages = usersLeft > 0 ? (usersLeft + Math.Max(1, usersPerPage) - 1) / Math.Max(1, usersPerPage) : 0;
        var windows = reportFrom is { } from && reportUntil > from && reportWindow > TimeSpan.Zero ? (long)Math.Ceiling((reportUntil - from) / reportWindow) : 0;
        return new BackfillEstimate(pages, Math.Max(0, queuedUsers), Math.Max(0, unreadConversations), windows);
    }

    /// <summary>
    /// <c>backfill left (estimate): at least 12,345 requests (…); at 200/min about 1 h 02 min, at 500/min about 25 min, at 1,000/min about 12 min</c>.
    /// </summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (UserPages > 0)
        {
            parts.Add($"{ProgressLine.Number(UserPages)} users page(s)");
        }

        parts.Add($"{ProgressLine.Number(ConversationLists)} conversation list(s)");
        parts.Add($"{ProgressLine.Number(Conversations)} conversation(s) to read, each 1 + at least {FirstCycleEstimate.MessagePagesPerConversation} message page");
        if (ReportWindows > 0)
        {
            parts.Add($"{ProgressLine.Number(ReportWindows)} report window(s)");
        }

        var times = string.Join(", ", Rates.Select(rate => $"at {ProgressLine.Number(rate)}/min about {ProgressLine.Duration(At(rate))}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"backfill left (estimate): at least {ProgressLine.Number(Requests)} requests ({string.Join(", ", parts)}; conversations not found yet are not counted); {times}");
    }
}
