using System.Collections.Concurrent;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// What the first page of each listing said about its size (<c>pagination.total_items</c>), so progress and the
/// first-cycle estimate count real work instead of guessing. Endpoints are route templates (<c>GET /v2/users</c>).
/// </summary>
public sealed class ListingTotals
{
    private readonly ConcurrentDictionary<string, long> _last = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _pageSizes = new(StringComparer.Ordinal);

    /// <summary>Raised with the endpoint and <c>total_items</c> of every listing whose first page carried it.</summary>
    public event Action<string, long>? Listed;

    /// <summary>The <c>total_items</c> of the last listing of <paramref name="endpoint"/> that carried one.</summary>
    public long? Last(string endpoint) => _last.TryGetValue(endpoint, out var total) ? total : null;

    /// <summary>The <c>items_per_page</c> the server applied to the last listing of <paramref name="endpoint"/> that said (it may clamp the one asked for).</summary>
    public int? PageSize(string endpoint) => _pageSizes.TryGetValue(endpoint, out var size) ? size : null;

    internal void FirstPage(string endpoint, long? totalItems, int? itemsPerPage)
    {
        if (itemsPerPage is > 0)
        {
            _pageSizes[endpoint] = itemsPerPage.Value;
        }

        if (totalItems is not { } total)
        {
            return;
        }

        _last[endpoint] = total;
        Listed?.Invoke(endpoint, total);
    }
}
