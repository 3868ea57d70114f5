using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;

namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>
/// <c>check</c>'s first-cycle estimate, made ahead of any capture for <see cref="Sample"/> + 1 requests: the first
/// page of the full users listing (its <c>total_items</c> and the page size the server applied) and the conversation
/// lists of its first users.
/// </summary>
public static class FirstCycleSurvey
{
    /// <summary>Users whose conversation list is read.</summary>
    public const int Sample = 10;

    /// <summary>The estimate, or null when the server does not say how many users the listing holds.</summary>
    public static async Task<FirstCycleEstimate?> RunAsync(IFreshchatClient freshchat, ListingTotals listings, FreshchatOptions options, CaptureOptions capture,
        CancellationToken cancellationToken)
    {
        var sample = new List<string>();
        await foreach (var user in freshchat.ListUsersAsync(new UserQuery { CreatedFrom = UsersCapture.Beginning }, cancellationToken))
        {
            sample.Add(user.Id);
            if (sample.Count == Sample)
            {
                break;
            }
        }

        if (listings.Last("GET /v2/users") is not { } users)
        {
            return null;
        }

        var conversations = 0L;
        foreach (var id in sample)
        {
            conversations += (await freshchat.GetUserConversationIdsAsync(id, cancellationToken))?.Count ?? 0;
        }

        return FirstCycleEstimate.Derive(users, listings.PageSize("GET /v2/users") ?? options.ItemsPerPage, sample.Count, conversations, requestsSpent: 0, discoveryDone: 0, options.RequestsPerMinute,
            capture.Conversations.DiscoveryPerCycle, capture.Conversations.MaxPerCycle);
    }
}
