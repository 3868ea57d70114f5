using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Bench;

/// <summary>
/// The fewest Freshchat requests (the ones the emulator counts: <c>/v2</c>; report downloads go to pre-signed URLs)
/// that capture a whole account from nothing, as "minimum the API allows" is derived for steady state: every users
/// page at the largest page size; the catalogue lists, one page each per 50 items, plus the account configuration;
/// the discovery report from the horizon to now in windows the API accepts, each one <c>POST</c> and the status polls
/// until the job is ready; one conversation list per user created before the horizon (the report cannot name their
/// older conversations); one <c>GET /conversations/{id}</c> per conversation (report rows and lists name ids only); and
/// one messages page per 50 messages per conversation (at least one).
/// </summary>
internal sealed record BackfillMinimum(long UsersPages, long Catalogue, long ReportRequests, long ConversationLists, long ConversationGets, long MessagePages)
{
    public long Total => UsersPages + Catalogue + ReportRequests + ConversationLists + ConversationGets + MessagePages;

    /// <param name="horizon">Start of the discovery report; null when the report is not used (every user's list is read).</param>
    public static BackfillMinimum Of(FreshchatDataStore data, EmulatorBehaviour behaviour, DateTimeOffset now, DateTimeOffset? horizon, TimeSpan window)
    {
        var pageSize = behaviour.MaxItemsPerPage;
        long Pages(long items) => Math.Max(1, (items + pageSize - 1) / pageSize);

        var created = data.EnumerateUsers().Select(u => DateTimeOffset.Parse((string)u["created_time"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var conversations = data.EnumerateConversationIds().ToList();
        var windows = horizon is { } h ? (long)Math.Ceiling((now - h) / window) : 0;
        return new BackfillMinimum(
            Pages(created.Count),
            Pages(data.GetAgents().Count) + Pages(data.GetGroups().Count) + Pages(data.GetChannels().Count) + Pages(data.GetRoles().Count) + 1,
            windows * (1 + behaviour.ReportPendingPolls + 1),
            horizon is { } before ? created.Count(c => c <= before) : created.Count,
            conversations.Count,
            conversations.Sum(id => Pages(data.GetMessages(id)!.Count)));
    }

    public override string ToString() =>
        $"{Total:N0} = users pages {UsersPages:N0} + catalogue {Catalogue:N0} + report {ReportRequests:N0} + conversation lists {ConversationLists:N0} + conversation GETs {ConversationGets:N0} + message pages {MessagePages:N0}";
}
