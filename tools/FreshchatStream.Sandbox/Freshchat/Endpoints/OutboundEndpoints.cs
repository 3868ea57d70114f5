using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FreshchatStream.Sandbox.Freshchat.Endpoints;

/// <summary>POST /v2/outbound-messages/whatsapp and GET /v2/outbound-messages?request_id=.</summary>
internal static class OutboundEndpoints
{
    public static void Map(IEndpointRouteBuilder v2, OutboundMessageStore store, EmulatorBehaviour behaviour)
    {
        v2.MapPost("/outbound-messages/whatsapp", async (HttpRequest request) =>
        {
            var body = await ApiResults.ReadObjectAsync(request);
            var from = body?["from"]?["phone_number"] is JsonValue f && f.TryGetValue<string>(out var fs) ? fs : null;
            var to = (body?["to"] as JsonArray)?.Select(t => t?["phone_number"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToList();
            var template = body?["data"]?["message_template"] as JsonObject;
            if (from is null || to is null || to.Count == 0 || to.Any(t => t is null) || template is null)
                return ApiResults.BadRequest("from.phone_number, to[].phone_number and data.message_template are required");
            var requestId = store.Send(from, to!, template);
            return ApiResults.Json(new JsonObject
            {
                ["request_id"] = requestId,
                ["request_process_time"] = "12",
                ["link"] = new JsonObject { ["rel"] = "outbound_messages", ["href"] = $"/v2/outbound-messages?request_id={requestId}", ["type"] = "GET" },
            }, StatusCodes.Status202Accepted);
        });

        v2.MapGet("/outbound-messages", (HttpRequest request) =>
        {
            var requestId = QueryValues.Text(request, "request_id");
            if (requestId is null && behaviour.OutboundMessagesRequireRequestId) return ApiResults.BadRequest("request_id is required");
            return ApiResults.Json(new JsonObject { ["outbound_messages"] = new JsonArray([.. store.Read(requestId)]) });
        });
    }
}
