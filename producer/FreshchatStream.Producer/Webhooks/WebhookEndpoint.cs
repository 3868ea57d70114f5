using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Webhooks;

/// <summary>
/// The HTTP side of <see cref="WebhookIngress"/>: reads the exact body bytes (bounded by <c>Webhooks:MaxBodyBytes</c>)
/// and maps the result to a status. Bodies are never logged or echoed.
/// </summary>
public static class WebhookEndpoint
{
    public const string SignatureHeader = "X-Freshchat-Signature";
    public const string PayloadVersionHeader = "X-Freshchat-Payload-Version";
    public const string RetryCountHeader = "X-Retry-Count";

    public static async Task<IResult> HandleAsync(HttpContext context, WebhookIngress ingress, IOptions<WebhookOptions> options, WebhookMetrics metrics)
    {
        var limit = options.Value.MaxBodyBytes;
        var request = context.Request;
        if (request.ContentLength > limit || await ReadBodyAsync(request.Body, limit, context.RequestAborted) is not { } body)
        {
            metrics.Request("too_large");
            return Results.Text($"The body is larger than {limit} bytes (Webhooks:MaxBodyBytes).", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var result = await ingress.AcceptAsync(body, request.Headers[SignatureHeader].ToString(), request.Headers[PayloadVersionHeader].ToString(),
            request.Headers[RetryCountHeader].ToString(), context.RequestAborted);
        return result switch
        {
            WebhookResult.Accepted or WebhookResult.Duplicate => Results.Ok(),
            WebhookResult.Unsigned => Results.Text($"Missing {SignatureHeader}.", statusCode: StatusCodes.Status401Unauthorized),
            WebhookResult.BadSignature => Results.Text($"{SignatureHeader} does not verify.", statusCode: StatusCodes.Status401Unauthorized),
            WebhookResult.Malformed => Results.Text("The body is not a Freshchat webhook event.", statusCode: StatusCodes.Status400BadRequest),
            WebhookResult.StoreUnavailable => Unavailable(context, "The state store (Redis) is unreachable; retry."),
            _ => Unavailable(context, "Kafka did not acknowledge the event; retry."),
        };
    }

    private static IResult Unavailable(HttpContext context, string reason)
    {
        context.Response.Headers.RetryAfter = "5";
        return Results.Text(reason, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The body, or null when it exceeds <paramref name="limit"/> bytes.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await body.ReadAsync(buffer.GetMemory(4096), cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return null;
            }
        }
    }
}
