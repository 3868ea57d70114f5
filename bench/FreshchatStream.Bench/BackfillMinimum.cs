using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Bench;

/// <summary>
/// The fewest Freshchat requests (as the emulator counts them, report downloads included) that capture a whole
/// account from nothing, as "minimum the API allows" is derived for steady state: every users
/// page at the largest page size; the catalogue lists, one page each per 50 items, plus the account configuration;
/// the discovery report from the horizon to now in windows the API accepts, each one <c>POST</c>, the status polls
/// until the job is ready and one download per link; one conversation list per user created before the horizon (the report cannot name their
/// older conversations); one <c>GET /conversations/{id}</c> per conversation (report rows and lists name ids only); and
/// one messages page per 50 messages per conversation (at least one).
/// </summary>
internal sealed record BackfillMinimum(long UsersPages, long Catalogue, long ReportRequests, long ReportDownloads, long ConversationLists, long ConversationGets, long MessagePages)
{
    public long Total => UsersPages + Catalogue + ReportRequests + ReportDownloads + ConversationLists + ConversationGets + MessagePages;

    /// <param name="horizon">Start of the discovery report; null when the report is not used (every user's list is read).</param>
    public static BackfillMinimum Of(FreshchatDataStore data, EmulatorBehaviour behaviour, DateTimeOffset now, DateTimeOffset? horizon, TimeSpan window)
    {
        var pageSize = behaviour.MaxItemsPerPage;
        long Pages(long items) => Math.Max(1, (items + pageSize - 1) / pageSize);

        var created = data.EnumerateUsers().Select(u => DateTimeOffset.Parse((string)u["created_time"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var conversations = data.EnumerateConversationIds().ToList();
        var windows = horizon is { } h ? (long)Math.Ceiling((now - h) / window) : 0;
        // The emulator splits a job into one link per UTC day it touches, each one download (the real split is "optimal", UNCONFIRMED).
        long downloads = 0;
        for (var start = horizon ?? now; start < now; start += window)
        {
            var end = start + window < now ? start + window : now;
            downloads += (end.UtcDateTime.Date - start.UtcDateTime.Date).Days + (end.UtcDateTime == end.UtcDateTime.Date ? 0 : 1);
        }

        return new BackfillMinimum(
            Pages(created.Count),
            Pages(data.GetAgents().Count) + Pages(data.GetGroups().Count) + Pages(data.GetChannels().Count) + Pages(data.GetRoles().Count) + 1,
            windows * (1 + behaviour.ReportPendingPolls + 1),
            downloads,
            horizon is { } before ? created.Count(c => c <= before) : created.Count,
            conversations.Count,
            conversations.Sum(id => Pages(data.GetMessages(id)!.Count)));
    }

    public override string ToString() =>
        $"{Total:N0} = users pages {UsersPages:N0} + catalogue {Catalogue:N0} + report jobs and polls {ReportRequests:N0} + report downloads {ReportDownloads:N0} + conversation lists {ConversationLists:N0} + conversation GETs {ConversationGets:N0} + message pages {MessagePages:N0}";
}
