using System.Runtime.CompilerServices;
using System.Text.Json;

namespace FreshchatStream.Producer.Freshchat.Pagination;

/// <summary>
/// Streams the items of a paginated list, one page in memory at a time: yields the first page's items, then
/// follows <c>links.next_page.href</c> until <see cref="ListPage.EndOf"/> reports one of the three stop signals.
/// Each page's document is disposed before the next is fetched.
/// </summary>
public static class LinkedPages
{
    /// <summary>Reads a page (an href as the API returned it); null when the server answers 404.</summary>
    public delegate Task<JsonDocument?> PageFetcher(string href, CancellationToken cancellationToken);

    /// <summary>The items (detached clones, objects or not) of <paramref name="first"/> and of every following page.</summary>
    public static async IAsyncEnumerable<JsonElement> FollowAsync(JsonDocument? first, PageFetcher fetch, string itemsProperty, string endpoint,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var document = first;
        var seenHrefs = new HashSet<string>(StringComparer.Ordinal);
        while (document is not null)
        {
            string? next;
            using (document)
            {
                var root = document.RootElement;
                var count = 0;
                foreach (var item in ListPage.AllItems(root, itemsProperty, endpoint))
                {
                    count++;
                    yield return item.Clone();
                }

                ListPage.EndOf(root, count, out next);
            }

            // A server that repeats a link would loop forever; treat it as the end.
            if (next is null || !seenHrefs.Add(next))
            {
                yield break;
            }

            document = await fetch(next, cancellationToken);
        }
    }
}
