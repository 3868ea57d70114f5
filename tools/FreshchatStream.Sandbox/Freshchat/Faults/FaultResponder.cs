using System.Globalization;
using System.Text;
using FreshchatStream.Sandbox.Freshchat.Endpoints;
using Microsoft.AspNetCore.Http;

namespace FreshchatStream.Sandbox.Freshchat.Faults;

/// <summary>Writes the response of an injected fault (status, headers and body as a real failure would look).</summary>
internal static class FaultResponder
{
    private const string HtmlPage =
        "<!DOCTYPE html><html><head><title>Freshworks</title></head><body><h1>Welcome to Freshworks</h1><p>Sign in to continue.</p></body></html>";

    public static Task WriteUnauthorizedAsync(HttpContext context) =>
        ApiResults.WriteAsync(context, ApiResults.ErrorBody(StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "Authentication failed: missing or invalid bearer token"), StatusCodes.Status401Unauthorized);

    public static Task WriteTooManyRequestsAsync(HttpContext context, int retryAfterSeconds, bool sendRetryAfter, int limit, int remaining, long resetUnixSeconds)
    {
        if (sendRetryAfter) context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        WriteRateLimitHeaders(context, limit, remaining, resetUnixSeconds);
        return ApiResults.WriteAsync(context, ApiResults.ErrorBody(StatusCodes.Status429TooManyRequests, "TOO_MANY_REQUESTS", "Rate limit exceeded, retry later"), StatusCodes.Status429TooManyRequests);
    }

    public static void WriteRateLimitHeaders(HttpContext context, int limit, int remaining, long resetUnixSeconds)
    {
        context.Response.Headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Reset"] = resetUnixSeconds.ToString(CultureInfo.InvariantCulture);
    }

    public static Task WriteServerErrorAsync(HttpContext context, int statusCode) =>
        ApiResults.WriteAsync(context, ApiResults.ErrorBody(statusCode,
            statusCode == StatusCodes.Status503ServiceUnavailable ? "SERVICE_UNAVAILABLE" : "INTERNAL_SERVER_ERROR",
            statusCode == StatusCodes.Status503ServiceUnavailable ? "Service temporarily unavailable" : "Something went wrong"), statusCode);

    public static Task WriteMalformedAsync(HttpContext context) =>
        WriteRawAsync(context, StatusCodes.Status200OK, "application/json;charset=UTF-8", "{\"users\": [{\"id\": \"7\", \"first_name\": 'x',}], \"pagination\": {");

    public static Task WriteHtmlAsync(HttpContext context) =>
        WriteRawAsync(context, StatusCodes.Status200OK, "text/html;charset=UTF-8", HtmlPage);

    /// <summary>Runs the real endpoint into a buffer, then sends only the first half of its body as a complete 200 response.</summary>
    public static async Task WriteTruncatedAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        var bytes = buffer.ToArray();
        var half = Math.Max(1, bytes.Length / 2);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = Math.Min(half, bytes.Length);
        await context.Response.Body.WriteAsync(bytes.AsMemory(0, (int)context.Response.ContentLength), context.RequestAborted);
    }

    /// <summary>Holds the request until the client gives up, the emulator stops, or the bound passes (then 504).</summary>
    public static async Task HoldAsync(HttpContext context, TimeSpan hold, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(hold, linked.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return;
        }
        await ApiResults.WriteAsync(context, ApiResults.ErrorBody(StatusCodes.Status504GatewayTimeout, "GATEWAY_TIMEOUT", "upstream timed out"), StatusCodes.Status504GatewayTimeout);
    }

    private static async Task WriteRawAsync(HttpContext context, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
