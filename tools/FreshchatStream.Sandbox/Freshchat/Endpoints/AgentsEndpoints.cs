using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FreshchatStream.Sandbox.Freshchat.Endpoints;

/// <summary>/v2/agents: filtered paginated list (optionally 404 when a filter matches nothing), by id, status catalogue, availability PATCH.</summary>
internal static class AgentsEndpoints
{
    public static void Map(IEndpointRouteBuilder v2, FreshchatDataStore data, EmulatorBehaviour behaviour)
    {
        v2.MapGet("/agents", (HttpRequest request) => List(request, data, behaviour));

        v2.MapGet("/agents/status", () =>
            ApiResults.Json(new JsonObject { ["states"] = new JsonArray([.. data.GetAgentStatuses()]) }));

        v2.MapGet("/agents/{id}", (string id) =>
            data.GetAgent(id) is { } agent ? ApiResults.Json(Render(agent, behaviour)) : AgentNotFound());

        v2.MapMethods("/agents/{id}", ["PATCH"], async (string id, HttpRequest request) =>
        {
            var body = await ApiResults.ReadObjectAsync(request);
            if (body is null) return ApiResults.BadRequest("body must be a JSON object");
            var availability = body["availability_status"] is JsonValue a && a.TryGetValue<string>(out var s) ? s : null;
            var statusId = body["agent_status"]?["id"] is JsonValue i && i.TryGetValue<string>(out var sid) ? sid : null;
            if (availability is not null && availability is not ("AVAILABLE" or "UNAVAILABLE"))
                return ApiResults.BadRequest("availability_status must be AVAILABLE or UNAVAILABLE");
            if (data.GetAgent(id) is null) return AgentNotFound();
            try
            {
                data.SetAgentAvailability(id, availability, statusId);
            }
            catch (KeyNotFoundException)
            {
                return ApiResults.BadRequest("agent_status.id is not a known status");
            }
            return data.GetAgent(id) is { } agent ? ApiResults.Json(Render(agent, behaviour)) : AgentNotFound();
        });
    }

    private static IResult List(HttpRequest request, FreshchatDataStore data, EmulatorBehaviour behaviour)
    {
        if (!PageRequest.TryParse(request, behaviour, out var paging, out var error)) return error!;
        if (!QueryValues.TryBool(request, "is_deactivated", out var deactivated, out error)) return error!;
        if (!QueryValues.TrySortOrder(request, out var descending, out error)) return error!;
        var group = QueryValues.Text(request, "groups");
        var availability = QueryValues.Text(request, "availability_status");
        IEnumerable<JsonObject> agents = data.GetAgents();
        if (group is not null) agents = agents.Where(a => a["groups"] is JsonArray g && g.Any(x => (string?)x == group));
        if (deactivated is { } d) agents = agents.Where(a => (bool?)a["is_deactivated"] == d);
        if (availability is not null) agents = agents.Where(a => string.Equals((string?)a["availability_status"], availability, StringComparison.OrdinalIgnoreCase));
        var list = agents.Select(a => Render(a, behaviour)).ToList();
        if (descending && !behaviour.IgnoreSortOrder) list.Reverse();
        var filtered = group is not null || deactivated is not null || availability is not null;
        if (list.Count == 0 && filtered && behaviour.EmptyAgentListAs404) return ApiResults.NotFound("AGENT_NOT_FOUND", "agents not found");
        if (!filtered && behaviour.CatalogueListsAs404) return ApiResults.NotFound("AGENT_NOT_FOUND", "agents not found");
        var page = list.Skip((paging.Page - 1) * paging.Size).Take(paging.Size);
        return ApiResults.Json(paging.Envelope("agents", "agent", ListingPoison.Add("agents", paging.Page, page, behaviour), list.Count, request, behaviour.OnlyNextPageLink));
    }

    /// <summary>The agent as served: with AgentStatusWithoutId its <c>agent_status</c> keeps only the name.</summary>
    private static JsonObject Render(JsonObject agent, EmulatorBehaviour behaviour)
    {
        if (behaviour.AgentStatusWithoutId && agent["agent_status"] is JsonObject status) status.Remove("id");
        return agent;
    }

    private static IResult AgentNotFound() => ApiResults.NotFound("AGENT_NOT_FOUND", "agent not found");
}
