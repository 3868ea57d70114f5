using System.Globalization;

namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>
/// How many Freshchat requests, and how long at the request budget, the first capture of an account takes,
/// derived from what listing revealed rather than guessed: the users listing's <c>total_items</c> (one
/// conversation-list request per user, plus the list pages), and the conversations found in the first users'
/// conversation lists, scaled to every user (each conversation costs one read plus at least one message page).
/// Catalogues, raw reports and what was already spent are counted as spent.
/// </summary>
public sealed record FirstCycleEstimate(long Users, long UserListPages, long SampledUsers, long SampledConversations, long Conversations, long Requests,
    int BudgetPerMinute, int Cycles)
{
    /// <summary>Message pages assumed per conversation: the minimum, one (a page holds up to 50 messages).</summary>
    public const int MessagePagesPerConversation = 1;

    /// <summary>The time the requests take at the budget: the budget, not latency, bounds a sequential backfill.</summary>
    public TimeSpan Duration => TimeSpan.FromMinutes((double)Requests / BudgetPerMinute);

    /// <param name="users">The users listing's <c>total_items</c>.</param>
    /// <param name="usersPerPage">Page size of the users listing still to read; null when it was already read (its requests are in <paramref name="requestsSpent"/>).</param>
    /// <param name="sampledUsers">Users whose conversation list was read for the sample.</param>
    /// <param name="sampledConversations">Conversations those lists held.</param>
    /// <param name="requestsSpent">Requests this first cycle already spent, including the sample's (0 when estimating ahead, as <c>check</c> does).</param>
    /// <param name="discoveryDone">Conversation lists this cycle already read (0 when estimating ahead).</param>
    public static FirstCycleEstimate Derive(long users, int? usersPerPage, long sampledUsers, long sampledConversations, long requestsSpent, long discoveryDone,
        int budgetPerMinute, int discoveryPerCycle, int maxPerCycle)
    {
        var conversations = sampledUsers > 0 ? (long)Math.Round((double)users * sampledConversations / sampledUsers) : 0;
        var pages = usersPerPage is { } size && size > 0 ? Math.Max(1, (users + size - 1) / size) : 0;
        var requests = requestsSpent + pages + Math.Max(0, users - discoveryDone) + conversations * (1 + MessagePagesPerConversation);
        var cycles = (int)Math.Max(1, Math.Max(Ceiling(users, discoveryPerCycle), Ceiling(conversations, maxPerCycle)));
        return new FirstCycleEstimate(users, pages, sampledUsers, sampledConversations, conversations, requests, Math.Max(1, budgetPerMinute), cycles);
    }

    /// <summary>Made from the users listing alone, before any conversation list was read: a lower bound.</summary>
    public bool Preliminary => SampledUsers == 0 && Users > 0;

    /// <summary>The one line logged by <c>run</c> and printed by <c>check</c>.</summary>
    public string Describe() => Preliminary
        ? $"first cycle on this account: at least {ProgressLine.Number(Requests)} requests, at least {ProgressLine.Duration(Duration)} at {ProgressLine.Number(BudgetPerMinute)}/min; " +
          $"raise Freshchat:RequestsPerMinute if your account allows more ({ProgressLine.Number(Users)} users: " +
          (UserListPages > 0 ? $"{ProgressLine.Number(UserListPages)} list page(s) and " : string.Empty) +
          $"{ProgressLine.Number(Users)} conversation lists; their conversations are counted once the first {PassProgress.DiscoverySample} lists were read)"
        : $"first cycle on this account: about {ProgressLine.Number(Requests)} requests, about {ProgressLine.Duration(Duration)} at {ProgressLine.Number(BudgetPerMinute)}/min; " +
        $"raise Freshchat:RequestsPerMinute if your account allows more ({ProgressLine.Number(Users)} users: " +
        (UserListPages > 0 ? $"{ProgressLine.Number(UserListPages)} list page(s) and " : string.Empty) +
        $"{ProgressLine.Number(Users)} conversation lists; about {ProgressLine.Number(Conversations)} conversations " +
        $"({ProgressLine.Number(SampledConversations)} in the first {ProgressLine.Number(SampledUsers)} lists), each 1 read + at least {MessagePagesPerConversation} message page" +
        (Cycles > 1 ? $"; spread over about {Cycles.ToString(CultureInfo.InvariantCulture)} cycles by Capture:Conversations:DiscoveryPerCycle and MaxPerCycle" : string.Empty) + ")";

    private static long Ceiling(long value, int per) => per <= 0 ? 1 : (value + per - 1) / per;
}
