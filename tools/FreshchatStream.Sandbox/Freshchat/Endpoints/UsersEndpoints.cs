using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FreshchatStream.Sandbox.Freshchat.Endpoints;

/// <summary>/v2/users: the filtered paginated list (a filter is mandatory), by-id reads, the conversation id list and deletion.</summary>
internal static class UsersEndpoints
{
    private static readonly string[] FilterNames = ["created_from", "created_to", "updated_from", "updated_to", "email", "reference_id"];

    public static void Map(IEndpointRouteBuilder v2, FreshchatDataStore data, EmulatorBehaviour behaviour)
    {
        v2.MapGet("/users", (HttpRequest request) => List(request, data, behaviour));

        v2.MapGet("/users/{id}", (string id) =>
            data.GetUser(id) is { } user ? ApiResults.Json(user) : UserNotFound());

        v2.MapGet("/users/{id}/conversations", (string id) =>
            data.GetUserConversationIds(id) is { } ids
                ? ApiResults.Json(new JsonObject { ["conversations"] = new JsonArray([.. ids.Select(c => (JsonNode)new JsonObject { ["id"] = c })]) })
                : UserNotFound());

        v2.MapDelete("/users/{id}", (string id) =>
            data.DeleteUser(id)
                ? ApiResults.Json(ApiResults.ErrorBody(StatusCodes.Status202Accepted, "ACCEPTED", "User deletion request accepted"), StatusCodes.Status202Accepted)
                : UserNotFound());
    }

    private static IResult List(HttpRequest request, FreshchatDataStore data, EmulatorBehaviour behaviour)
    {
        if (!FilterNames.Any(f => QueryValues.Text(request, f) is not null))
            return ApiResults.Error(StatusCodes.Status400BadRequest, "BAD_REQUEST",
                "At least one filter is required: created_from, created_to, updated_from, updated_to, email or reference_id");
        if (!PageRequest.TryParse(request, behaviour, out var paging, out var error)) return error!;
        if (!QueryValues.TryTime(request, "created_from", out var createdFrom, out error)) return error!;
        if (!QueryValues.TryTime(request, "created_to", out var createdTo, out error)) return error!;
        if (!QueryValues.TryTime(request, "updated_from", out var updatedFrom, out error)) return error!;
        if (!QueryValues.TryTime(request, "updated_to", out var updatedTo, out error)) return error!;
        if (!QueryValues.TrySortOrder(request, out var descending, out error)) return error!;
        // Without an honoured sort_order the server's default applies (oldest first unless UsersNewestFirstByDefault).
        var sortHonoured = !behaviour.IgnoreSortOrder;
        if (!sortHonoured || QueryValues.Text(request, "sort_order") is null) descending = behaviour.UsersNewestFirstByDefault;
        var honourUpdated = behaviour.HonourUpdatedFilters;
        var filter = new UserFilter(
            createdFrom, createdTo,
            honourUpdated ? updatedFrom : null, honourUpdated ? updatedTo : null,
            QueryValues.Text(request, "email"), QueryValues.Text(request, "reference_id"),
            descending, SortByUpdated: honourUpdated && sortHonoured && QueryValues.Text(request, "sort_by") == "updated_time");
        var (total, items) = data.ListUsers(filter, paging.Page, paging.Size);
        return ApiResults.Json(paging.Envelope("users", "user", ListingPoison.Add("users", paging.Page, items, behaviour), total, request, behaviour.OnlyNextPageLink));
    }

    private static IResult UserNotFound() => ApiResults.NotFound("USER_NOT_FOUND", "user not found");
}
