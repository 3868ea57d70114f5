using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FreshchatStream.Sandbox.Freshchat.Endpoints;

/// <summary>
/// /v2/conversations: the bare conversation object, the property field catalogue and the messages list, which is
/// newest first with a singular <c>link</c> (a from_time cursor, or page=N with MessagesPageByNumber) and no pagination block.
/// </summary>
internal static class ConversationsEndpoints
{
    public static void Map(IEndpointRouteBuilder v2, FreshchatDataStore data, EmulatorBehaviour behaviour)
    {
        v2.MapGet("/conversations/fields", () => ApiResults.Json(data.GetConversationFields()));

        v2.MapGet("/conversations/{id}", (string id) =>
            data.GetConversation(id) is not { } conversation ? ConversationNotFound()
            : behaviour.NonObjectConversations.Split(',', StringSplitOptions.TrimEntries).Contains(id) ? ApiResults.Json(new JsonArray("not", "a", "conversation"))
            : ApiResults.Json(behaviour.MinimalConversations ? Minimal(conversation) : conversation));

        v2.MapGet("/conversations/{id}/messages", (string id, HttpRequest request) => Messages(id, request, data, behaviour));
    }

    private static IResult Messages(string id, HttpRequest request, FreshchatDataStore data, EmulatorBehaviour behaviour)
    {
        if (!PageRequest.TryParse(request, behaviour, out var paging, out var error)) return error!;
        if (!QueryValues.TryTime(request, "from_time", out var fromTime, out error)) return error!;
        var byNumber = behaviour.MessagesPageByNumber;
        var page = data.ListMessages(id, fromTime, paging.Page, paging.Size,
            keepTiesTogether: !byNumber && !behaviour.SplitMessageTiesAcrossPages, fromTimeInclusive: behaviour.MessagesFromTimeInclusive);
        if (page is null) return ConversationNotFound();
        var body = new JsonObject { ["messages"] = new JsonArray([.. page.Items]) };
        if (page.HasOlder)
        {
            var href = byNumber
                ? PageRequest.Href(request, paging.Page + 1, paging.Size)
                : PageRequest.Href(request, 1, paging.Size, ("from_time", Timestamps.Format(page.OldestMs)));
            body["link"] = new JsonObject { ["href"] = href };
        }
        return ApiResults.Json(body);
    }

    /// <summary>The documented minimal shape: only the keys of community thread 7353 that the conversation has.</summary>
    private static JsonObject Minimal(JsonObject conversation)
    {
        var minimal = new JsonObject();
        foreach (var key in MinimalKeys)
        {
            if (conversation[key] is { } value) minimal[key] = value.DeepClone();
        }
        return minimal;
    }

    private static readonly string[] MinimalKeys = ["conversation_id", "app_id", "status", "channel_id", "skill_id"];

    private static IResult ConversationNotFound() => ApiResults.NotFound("CONVERSATION_NOT_FOUND", "conversation not found");
}
