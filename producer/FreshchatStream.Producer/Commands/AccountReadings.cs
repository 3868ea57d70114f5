using System.Globalization;
using System.Text.Json;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.Freshchat.Pagination;

namespace FreshchatStream.Producer.Commands;

/// <summary>
/// What <c>check</c> detects on the account, so a first contact with a real account shows at once how the producer
/// will behave there (design §9): whether <c>updated_from</c> is honoured, the page cap, the <c>from_time</c> reading
/// of message paging, which endpoints answer 403, and the rate-limit headers seen. About a dozen requests; a reading
/// that cannot be determined is printed as <c>unknown</c> with the reason, and never changes the exit code.
/// </summary>
public sealed class AccountReadings(IFreshchatClient client, FreshchatTransport transport, FreshchatMetrics metrics)
{
    /// <summary>The endpoints capture needs, each probed with one cheap read (a report id that cannot exist for reports:
    /// a 404 shows access without creating a job, which counts against the account's daily report limit).</summary>
    private static readonly (string Endpoint, string Path)[] Probes =
    [
        ("GET /v2/accounts/configuration", "accounts/configuration"),
        ("GET /v2/users", "users?created_from=2000-01-01T00:00:00.000Z&items_per_page=1"),
        ("GET /v2/agents", "agents?items_per_page=1"),
        ("GET /v2/groups", "groups?items_per_page=1"),
        ("GET /v2/channels", "channels?items_per_page=1"),
        ("GET /v2/roles", "roles?items_per_page=1"),
        ("GET /v2/outbound-messages", "outbound-messages?items_per_page=1"),
        ("GET /v2/reports/raw/{id}", "reports/raw/00000000-0000-0000-0000-000000000000"),
    ];

    private const int PageCapAsked = 100;

    /// <summary>How many endpoints <see cref="ForbiddenEndpointsAsync"/> probes: all of them forbidden means the token reads nothing here.</summary>
    public static int ProbedEndpoints => Probes.Length;

    public async Task<IReadOnlyList<(string Reading, string Value)>> DetectAsync(CancellationToken cancellationToken)
    {
        var forbidden = await ForbiddenEndpointsAsync(cancellationToken);
        return
        [
            ("updated_from on /users", await Safely(async () => (await client.ProbeUpdatedFilterAsync(cancellationToken)) switch
            {
                UpdatedFilterSupport.Honoured => "honoured (changes to existing users are read every cycle)",
                UpdatedFilterSupport.Ignored => "ignored (changes to existing users are found by the reconciliation listing)",
                var other => $"{other.ToString().ToLowerInvariant()} (changes to existing users are found by the reconciliation listing)",
            })),
            ("page cap", await Safely(() => PageCapAsync(cancellationToken))),
            ("from_time on messages", await Safely(() => FromTimeAsync(cancellationToken))),
            ("endpoints answering 403", forbidden.Count == 0 ? "none" : string.Join(", ", forbidden.Select(e => $"{e} (likely scope {EndpointAccess.LikelyScope(e)})"))),
            ("rate-limit headers", metrics.RateLimitHeadersSeen.Count == 0
                ? "none seen (the client-side budget Freshchat:RequestsPerMinute alone paces requests)"
                : string.Join(", ", metrics.RateLimitHeadersSeen.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => $"{h.Key}={h.Value}"))),
        ];
    }

    /// <summary>The capture endpoints that answer 403 (the token lacks their scope).</summary>
    public async Task<IReadOnlyList<string>> ForbiddenEndpointsAsync(CancellationToken cancellationToken)
    {
        var forbidden = new List<string>();
        foreach (var (endpoint, path) in Probes)
        {
            try
            {
                using var _ = await transport.GetAsync(path, endpoint, cancellationToken);
            }
            catch (FreshchatForbiddenException)
            {
                forbidden.Add(endpoint);
            }
            catch (FreshchatException e) when (e is not FreshchatAuthenticationException)
            {
                // Another answer (400 for outbound messages without request_id, 429, 5xx): not a 403.
            }
        }

        return forbidden;
    }

    private async Task<string> PageCapAsync(CancellationToken cancellationToken)
    {
        const string endpoint = "GET /v2/users";
        try
        {
            using var page = await transport.GetAsync($"users?created_from=2000-01-01T00:00:00.000Z&items_per_page={PageCapAsked}", endpoint, cancellationToken);
            if (page is null)
            {
                return "unknown (the users list answered 404)";
            }

            var count = ListPage.AllItems(page.RootElement, "users", endpoint).Count();
            return ListPage.ItemsPerPage(page.RootElement) is { } applied
                ? applied < PageCapAsked
                    ? $"items_per_page={PageCapAsked} clamped to {applied}"
                    : $"items_per_page={PageCapAsked} accepted ({count} item(s) on the first page)"
                : count < PageCapAsked && ListPage.NextHref(page.RootElement) is not null
                    ? $"items_per_page={PageCapAsked} clamped to {count} (no pagination block; inferred)"
                    : "unknown (no pagination block)";
        }
        catch (FreshchatRequestException e) when (e.StatusCode == 400)
        {
            return $"items_per_page={PageCapAsked} rejected (400); the producer falls back to {FreshchatClient.SafeItemsPerPage}";
        }
    }

    /// <summary>
    /// Asks for messages with <c>from_time</c> equal to a known message's <c>created_time</c>: it comes back under the
    /// inclusive reading, not under the exclusive one. A newer message coming back means the server ignored from_time.
    /// </summary>
    private async Task<string> FromTimeAsync(CancellationToken cancellationToken)
    {
        const string endpoint = "GET /v2/conversations/{id}/messages";
        var users = 0;
        await foreach (var user in client.ListUsersAsync(new UserQuery { CreatedFrom = Capture.Sources.UsersCapture.Beginning }, cancellationToken))
        {
            if (++users > 10)
            {
                break;
            }

            foreach (var conversationId in await client.GetUserConversationIdsAsync(user.Id, cancellationToken) ?? [])
            {
                using var first = await transport.GetAsync($"conversations/{Uri.EscapeDataString(conversationId)}/messages?items_per_page=2", endpoint, cancellationToken);
                var messages = first is null ? [] : ListPage.Items(first.RootElement, "messages", endpoint).Select(m => new FreshchatMessage(m.Clone())).ToList();
                if (messages.Count < 2 || messages[1].CreatedTime is not { } boundary || messages[1].GetString("id") is not { } boundaryId)
                {
                    continue;
                }

                var fromTime = Uri.EscapeDataString(boundary.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                using var probe = await transport.GetAsync($"conversations/{Uri.EscapeDataString(conversationId)}/messages?items_per_page=50&from_time={fromTime}", endpoint, cancellationToken);
                var returned = probe is null ? [] : ListPage.Items(probe.RootElement, "messages", endpoint).Select(m => new FreshchatMessage(m.Clone())).ToList();
                if (returned.Any(m => m.CreatedTime > boundary))
                {
                    return "unknown (the server returned newer messages: from_time looks ignored)";
                }

                return returned.Any(m => m.GetString("id") == boundaryId)
                    ? "inclusive (a message at from_time is returned again)"
                    : "exclusive (only messages strictly older than from_time)";
            }
        }

        return "unknown (no conversation with two messages among the first users)";
    }

    private static async Task<string> Safely(Func<Task<string>> read)
    {
        try
        {
            return await read();
        }
        catch (FreshchatForbiddenException e)
        {
            return $"unknown (403 on {e.Endpoint})";
        }
        catch (FreshchatException e) when (e is not FreshchatAuthenticationException)
        {
            return $"unknown ({e.Message})";
        }
        catch (JsonException e)
        {
            return $"unknown ({e.Message})";
        }
    }
}
