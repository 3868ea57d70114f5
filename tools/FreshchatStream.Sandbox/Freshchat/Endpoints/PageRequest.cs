using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FreshchatStream.Sandbox.Freshchat.Endpoints;

/// <summary>
/// page/items_per_page of a list request, after the emulator's default, cap and clamp-or-reject rule, plus the
/// <c>{resource, pagination, links}</c> envelope whose three stop signals (next_page absent,
/// current_page ≥ total_pages, empty page) always agree.
/// </summary>
internal readonly record struct PageRequest(int Page, int Size)
{
    public static bool TryParse(HttpRequest request, EmulatorBehaviour behaviour, out PageRequest paging, out IResult? error)
    {
        paging = default;
        error = null;
        var page = 1;
        var size = behaviour.DefaultItemsPerPage;
        var rawPage = request.Query["page"].ToString();
        if (rawPage.Length > 0 && (!int.TryParse(rawPage, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            error = ApiResults.Error(StatusCodes.Status400BadRequest, "WRONG_PAGE", "page must be a positive integer");
            return false;
        }
        var rawSize = request.Query["items_per_page"].ToString();
        if (rawSize.Length > 0 && (!int.TryParse(rawSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1))
        {
            error = ApiResults.BadRequest("items_per_page must be a positive integer");
            return false;
        }
        var max = behaviour.MaxItemsPerPage;
        if (size > max)
        {
            if (behaviour.PageSizeOverflow == PageSizeOverflow.Reject)
            {
                error = ApiResults.BadRequest($"items_per_page must be between 1 and {max}");
                return false;
            }
            size = max;
        }
        paging = new PageRequest(page, size);
        return true;
    }

    public JsonObject Envelope(string resource, string rel, IEnumerable<JsonNode> items, int totalItems, HttpRequest request, bool onlyNextLink)
    {
        var totalPages = (int)((totalItems + (long)Size - 1) / Size);
        var links = new JsonObject();
        if (Page < totalPages) links["next_page"] = Link(request, Page + 1, rel);
        if (!onlyNextLink)
        {
            if (Page > 1) links["previous_page"] = Link(request, Math.Min(Page - 1, Math.Max(1, totalPages)), rel);
            links["first_page"] = Link(request, 1, rel);
            links["last_page"] = Link(request, Math.Max(1, totalPages), rel);
        }
        return new JsonObject
        {
            [resource] = new JsonArray([.. items]),
            ["pagination"] = new JsonObject
            {
                ["total_items"] = totalItems,
                ["total_pages"] = totalPages,
                ["current_page"] = Page,
                ["items_per_page"] = Size,
            },
            ["links"] = links,
        };
    }

    private JsonObject Link(HttpRequest request, int page, string rel) =>
        new() { ["href"] = Href(request, page, Size), ["rel"] = rel, ["type"] = "GET" };

    /// <summary>The request's own path and filters with page/items_per_page replaced, as a /v2-relative href.</summary>
    public static string Href(HttpRequest request, int page, int size, params (string Name, string Value)[] extra)
    {
        var sb = new StringBuilder(request.PathBase).Append(request.Path).Append('?');
        foreach (var (name, values) in request.Query)
        {
            if (name is "page" or "items_per_page" || extra.Any(e => e.Name == name)) continue;
            foreach (var value in values) sb.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value ?? "")).Append('&');
        }
        sb.Append("page=").Append(page.ToString(CultureInfo.InvariantCulture))
          .Append("&items_per_page=").Append(size.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in extra) sb.Append('&').Append(name).Append('=').Append(value); // timestamps only: kept readable like the real link
        return sb.ToString();
    }
}
