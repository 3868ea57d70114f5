using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FreshchatStream.Sandbox.Freshchat.Endpoints;

/// <summary>Responses in the API's wire form: UTF-8 JSON bodies and the <c>{code,status,message}</c> error object.</summary>
internal static class ApiResults
{
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Json(JsonNode node, int statusCode = StatusCodes.Status200OK) => new JsonNodeResult(node, statusCode);

    public static IResult Error(int statusCode, string status, string message) => new JsonNodeResult(ErrorBody(statusCode, status, message), statusCode);

    public static JsonObject ErrorBody(int statusCode, string status, string message) =>
        new() { ["code"] = statusCode, ["status"] = status, ["message"] = message };

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, "INVALID_VALUE", message);

    public static IResult NotFound(string status, string message) => Error(StatusCodes.Status404NotFound, status, message);

    public static byte[] Serialize(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) node.WriteTo(writer);
        return buffer.ToArray();
    }

    public static async Task WriteAsync(HttpContext context, JsonNode node, int statusCode)
    {
        var bytes = Serialize(node);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>Parses a JSON object request body; null when the body is missing or not a JSON object.</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class JsonNodeResult(JsonNode node, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, node, statusCode);
    }
}
