using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FreshchatStream.Sandbox.SchemaRegistry;

/// <summary>Reads request bodies and writes responses in Schema Registry's JSON media type and error shape.</summary>
internal static class RegistryJson
{
    public const string ContentType = "application/vnd.schemaregistry.v1+json";

    public static IResult Ok(JsonNode node) =>
        Results.Text(node.ToJsonString(), ContentType, Encoding.UTF8, StatusCodes.Status200OK);

    /// <summary>The raw schema endpoints (<c>/schema</c>) return the schema itself, not a string holding it.</summary>
    public static IResult RawSchema(string schemaText) =>
        Results.Text(schemaText, ContentType, Encoding.UTF8, StatusCodes.Status200OK);

    public static async Task WriteErrorAsync(HttpResponse response, HttpStatusCode status, int errorCode, string message)
    {
        response.StatusCode = (int)status;
        response.ContentType = ContentType;
        var body = new JsonObject { ["error_code"] = errorCode, ["message"] = message };
        await response.WriteAsync(body.ToJsonString(), Encoding.UTF8).ConfigureAwait(false);
    }

    /// <summary>Parses the body as a JSON object whatever its declared content type (clients send the vnd type or plain JSON).</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
            return node as JsonObject ?? throw RegistryException.BadRequest("The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw RegistryException.BadRequest($"Malformed JSON body: {ex.Message}");
        }
    }

    public static string? OptionalString(JsonObject body, string property) =>
        body[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
