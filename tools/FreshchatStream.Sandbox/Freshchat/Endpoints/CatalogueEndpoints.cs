using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FreshchatStream.Sandbox.Freshchat.Endpoints;

/// <summary>/v2/groups, /v2/channels (optional updated_* filters), /v2/roles and the bare (or wrapped) account configuration.</summary>
internal static class CatalogueEndpoints
{
    public static void Map(IEndpointRouteBuilder v2, FreshchatDataStore data, EmulatorBehaviour behaviour)
    {
        v2.MapGet("/groups", (HttpRequest request) => Page(request, behaviour, "groups", "group", data.GetGroups()));
        v2.MapGet("/roles", (HttpRequest request) => Page(request, behaviour, "roles", "role", data.GetRoles()));
        v2.MapGet("/channels", (HttpRequest request) =>
        {
            if (!QueryValues.TryTime(request, "updated_from", out var from, out var error)) return error!;
            if (!QueryValues.TryTime(request, "updated_to", out var to, out error)) return error!;
            IEnumerable<JsonObject> channels = data.GetChannels();
            if (behaviour.HonourUpdatedFilters && (from is not null || to is not null))
            {
                channels = channels.Where(c =>
                    Timestamps.TryParse((string?)c["updated_time"], out var ms) && (from is null || ms >= from) && (to is null || ms <= to));
            }
            return Page(request, behaviour, "channels", "channel", [.. channels]);
        });
        v2.MapGet("/accounts/configuration", () =>
        {
            var configuration = data.GetAccountConfiguration();
            return ApiResults.Json(behaviour.WrapAccountConfiguration ? new JsonObject { ["configuration"] = configuration } : configuration);
        });
    }

    private static IResult Page(HttpRequest request, EmulatorBehaviour behaviour, string resource, string rel, IReadOnlyList<JsonObject> items)
    {
        if (!PageRequest.TryParse(request, behaviour, out var paging, out var error)) return error!;
        if (!QueryValues.TrySortOrder(request, out var descending, out error)) return error!;
        var filtered = QueryValues.Text(request, "updated_from") is not null || QueryValues.Text(request, "updated_to") is not null;
        if (behaviour.CatalogueListsAs404 && !filtered) return ApiResults.NotFound("NOT_FOUND", $"{resource} not found");
        var ordered = descending && !behaviour.IgnoreSortOrder ? items.Reverse() : items;
        var page = ordered.Skip((paging.Page - 1) * paging.Size).Take(paging.Size);
        return ApiResults.Json(paging.Envelope(resource, rel, ListingPoison.Add(resource, paging.Page, page, behaviour), items.Count, request, behaviour.OnlyNextPageLink));
    }
}
