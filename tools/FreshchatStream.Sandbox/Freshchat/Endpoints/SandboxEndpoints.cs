using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Generation;
using FreshchatStream.Sandbox.Freshchat.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FreshchatStream.Sandbox.Freshchat.Endpoints;

/// <summary>
/// The /_sandbox/ control API (no auth, never faulted): the data store's mutations, the behaviour knobs, fault
/// injection, request counters and the webhook sender over HTTP, for the sandbox CLI and for tests in other processes.
/// </summary>
internal static class SandboxEndpoints
{
    public static void Map(IEndpointRouteBuilder sandbox, FreshchatDataStore data, EmulatorBehaviour behaviour, EmulatorFaults faults, RequestCounter requests, WebhookSender webhooks)
    {
        sandbox.MapGet("/stats", () => ApiResults.Json(new JsonObject
        {
            ["users"] = data.UserCount, ["conversations"] = data.ConversationCount, ["messages"] = data.MessageCount,
            ["app_id"] = data.AppId, ["epoch"] = Timestamps.Format(data.Epoch),
        }));

        MapUsers(sandbox, data);
        MapConversations(sandbox, data);
        MapCatalogue(sandbox, data);
        SandboxControlEndpoints.Map(sandbox, behaviour, faults, requests);
        WebhookEndpoints.Map(sandbox, webhooks);
    }

    private static void MapUsers(IEndpointRouteBuilder sandbox, FreshchatDataStore data)
    {
        sandbox.MapPost("/users", (JsonObject? body) =>
        {
            body ??= [];
            var id = data.CreateUser(Text(body, "first_name"), Text(body, "last_name"), Text(body, "email"), Text(body, "reference_id"), Text(body, "phone"),
                user => Merge(user, body, "first_name", "last_name", "email", "reference_id", "phone"));
            return ApiResults.Json(new JsonObject { ["id"] = id }, StatusCodes.Status201Created);
        });
        sandbox.MapMethods("/users/{id}", ["PATCH"], (string id, JsonObject body) =>
            Ok(data.UpdateUser(id, user => Merge(user, body)), id));
        sandbox.MapDelete("/users/{id}", (string id) => Ok(data.DeleteUser(id), id));
    }

    private static void MapConversations(IEndpointRouteBuilder sandbox, FreshchatDataStore data)
    {
        sandbox.MapPost("/conversations", (JsonObject body) =>
        {
            if (Text(body, "user_id") is not { } userId) return ApiResults.BadRequest("user_id is required");
            try
            {
                var id = data.CreateConversation(userId, Text(body, "channel_id"), Text(body, "status") ?? "new");
                return ApiResults.Json(new JsonObject { ["conversation_id"] = id }, StatusCodes.Status201Created);
            }
            catch (KeyNotFoundException e)
            {
                return ApiResults.NotFound("USER_NOT_FOUND", e.Message);
            }
        });
        sandbox.MapPost("/conversations/{id}/users", (string id, JsonObject body) =>
            Ok(data.AddUserToConversation(id, Text(body, "user_id") ?? ""), id));
        sandbox.MapPost("/conversations/{id}/messages", (string id, JsonObject body) =>
        {
            if (Text(body, "text") is not { } text) return ApiResults.BadRequest("text is required");
            DateTimeOffset? created = null;
            if (Text(body, "created_time") is { } raw)
            {
                if (!Timestamps.TryParse(raw, out var ms)) return ApiResults.BadRequest("created_time must be ISO-8601");
                created = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            }
            try
            {
                var messageId = data.AddMessage(id, text, Text(body, "actor_type") ?? "user", created, Text(body, "actor_id"), Text(body, "message_type") ?? "normal");
                return ApiResults.Json(new JsonObject { ["id"] = messageId }, StatusCodes.Status201Created);
            }
            catch (KeyNotFoundException e)
            {
                return ApiResults.NotFound("CONVERSATION_NOT_FOUND", e.Message);
            }
        });
        sandbox.MapPost("/conversations/{id}/assign", (string id, JsonObject body) =>
            Text(body, "agent_id") is { } agent ? Ok(data.AssignConversation(id, agent, Text(body, "group_id")), id) : ApiResults.BadRequest("agent_id is required"));
        sandbox.MapPost("/conversations/{id}/resolve", (string id) => Ok(data.ResolveConversation(id), id));
        sandbox.MapPost("/conversations/{id}/reopen", (string id) => Ok(data.ReopenConversation(id), id));
        sandbox.MapPut("/conversations/{id}/status", (string id, JsonObject body) =>
            Text(body, "status") is { } status ? Ok(data.SetConversationStatus(id, status), id) : ApiResults.BadRequest("status is required"));
    }

    private static void MapCatalogue(IEndpointRouteBuilder sandbox, FreshchatDataStore data)
    {
        sandbox.MapPost("/agents", (JsonObject body) =>
            ApiResults.Json(new JsonObject { ["id"] = data.CreateAgent(Text(body, "first_name") ?? "New", Text(body, "last_name") ?? "Agent", Text(body, "email") ?? "new.agent@support.example.com") },
                StatusCodes.Status201Created));
        sandbox.MapPut("/agents/{id}/availability", (string id, JsonObject body) =>
        {
            try
            {
                return Ok(data.SetAgentAvailability(id, Text(body, "availability_status"), Text(body, "agent_status_id")), id);
            }
            catch (KeyNotFoundException e)
            {
                return ApiResults.BadRequest(e.Message);
            }
        });
        MapCatalogueKind(sandbox, "agents", data.UpdateAgent, data.DeleteAgent);
        MapCatalogueKind(sandbox, "groups", data.UpdateGroup, data.DeleteGroup);
        MapCatalogueKind(sandbox, "channels", data.UpdateChannel, data.DeleteChannel);
        MapCatalogueKind(sandbox, "roles", data.UpdateRole, data.DeleteRole);
    }

    private static void MapCatalogueKind(IEndpointRouteBuilder sandbox, string kind, Func<string, Action<JsonObject>, bool> update, Func<string, bool> delete)
    {
        sandbox.MapMethods($"/{kind}/{{id}}", ["PATCH"], (string id, JsonObject body) => Ok(update(id, item => Merge(item, body)), id));
        sandbox.MapDelete($"/{kind}/{{id}}", (string id) => Ok(delete(id), id));
    }

    /// <summary>Copies the body's keys onto the target; a null value removes the key.</summary>
    internal static void Merge(JsonObject target, JsonObject body, params string[] skip)
    {
        foreach (var (name, value) in body)
        {
            if (skip.Contains(name) || name == "id") continue;
            if (value is null) target.Remove(name);
            else target[name] = value.DeepClone();
        }
    }

    private static IResult Ok(bool found, string id) =>
        found ? ApiResults.Json(new JsonObject { ["id"] = id }) : ApiResults.NotFound("NOT_FOUND", $"{id} not found");

    internal static string? Text(JsonObject body, string name) => body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
