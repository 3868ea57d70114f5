using System.Text.Json;

namespace FreshchatStream.Producer.Freshchat.Pagination;

/// <summary>Why a paged walk ended: the three documented stop signals, whichever comes first.</summary>
public enum PageEnd
{
    /// <summary>The page held no items (PostHog's rule).</summary>
    EmptyPage,
    /// <summary><c>pagination.current_page ≥ total_pages</c> (Pipedream's and PostHog's rule).</summary>
    LastPageNumber,
    /// <summary>No <c>links.next_page.href</c> (<c>link.href</c> for messages), Airbyte's and amp-labs' rule.</summary>
    NoNextLink,
}

/// <summary>
/// Reads one list response of any envelope the API uses — <c>{resource:[...], pagination, links}</c>,
/// <c>{messages:[...], link}</c>, or a bare array — without assuming which optional blocks are present.
/// </summary>
public static class ListPage
{
    /// <summary>The object items of a list response: <paramref name="property"/>'s array, a bare array, or the object's first array.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement root, string? property, string endpoint) =>
        AllItems(root, property, endpoint).Where(item => item.ValueKind == JsonValueKind.Object);

    /// <summary>
    /// Every element of the list, objects or not: a listing walk must see a poison element (a string, a number)
    /// to set it aside as a dead letter rather than drop it unseen.
    /// </summary>
    public static IEnumerable<JsonElement> AllItems(JsonElement root, string? property, string endpoint)
    {
        JsonElement array;
        if (root.ValueKind == JsonValueKind.Array)
        {
            array = root;
        }
        else if (root.ValueKind == JsonValueKind.Object && property is not null && root.TryGetProperty(property, out var named))
        {
            array = named;
        }
        else if (root.ValueKind == JsonValueKind.Object)
        {
            array = root.EnumerateObject().Select(p => p.Value).FirstOrDefault(v => v.ValueKind == JsonValueKind.Array);
        }
        else
        {
            throw new FreshchatResponseException($"{endpoint} returned {root.ValueKind} where a list was expected.", endpoint, 200);
        }

        if (array.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new FreshchatResponseException($"{endpoint} returned '{property}' as {array.ValueKind}, not an array.", endpoint, 200);
        }

        return array.EnumerateArray();
    }

    /// <summary>
    /// Whether the walk ends after this page, and if not the href of the next one. The empty-page and page-number
    /// rules are checked before the link, so a server that keeps emitting a next link past the end still stops.
    /// </summary>
    public static PageEnd? EndOf(JsonElement root, int itemCount, out string? next)
    {
        next = null;
        if (itemCount == 0)
        {
            return PageEnd.EmptyPage;
        }

        if (IsLastPageNumber(root))
        {
            return PageEnd.LastPageNumber;
        }

        next = NextHref(root);
        return next is null ? PageEnd.NoNextLink : null;
    }

    /// <summary><c>links.next_page.href</c> of the paginated envelope, or the messages envelope's singular <c>link.href</c>.</summary>
    public static string? NextHref(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (root.TryGetProperty("links", out var links) && links.ValueKind == JsonValueKind.Object
            && links.TryGetProperty("next_page", out var nextPage))
        {
            return Href(nextPage);
        }

        return root.TryGetProperty("link", out var link) ? Href(link) : null;
    }

    /// <summary><c>pagination.current_page ≥ pagination.total_pages</c>; false when the block is missing.</summary>
    public static bool IsLastPageNumber(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("pagination", out var pagination) && pagination.ValueKind == JsonValueKind.Object
        && pagination.TryGetProperty("current_page", out var current) && current.TryGetInt64(out var currentPage)
        && pagination.TryGetProperty("total_pages", out var total) && total.TryGetInt64(out var totalPages)
        && currentPage >= totalPages;

    /// <summary><c>pagination.items_per_page</c> as the server applied it, when it says.</summary>
    public static int? ItemsPerPage(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("pagination", out var pagination) && pagination.ValueKind == JsonValueKind.Object
        && pagination.TryGetProperty("items_per_page", out var size) && size.TryGetInt32(out var value)
            ? value
            : null;

    /// <summary><c>pagination.total_items</c>: how many items the whole listing holds, when the server says.</summary>
    public static long? TotalItems(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("pagination", out var pagination) && pagination.ValueKind == JsonValueKind.Object
        && pagination.TryGetProperty("total_items", out var total) && total.TryGetInt64(out var value) && value >= 0
            ? value
            : null;

    private static string? Href(JsonElement link) =>
        link.ValueKind == JsonValueKind.Object && link.TryGetProperty("href", out var href) && href.ValueKind == JsonValueKind.String
        && !string.IsNullOrWhiteSpace(href.GetString())
            ? href.GetString()
            : null;
}
