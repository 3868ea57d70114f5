using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace FreshchatStream.Sandbox.Freshchat.Webhooks;

/// <summary>/_sandbox/webhooks: the sender's settings, public key and counters; PUT or PATCH changes the settings.</summary>
internal static class WebhookEndpoints
{
    public static void Map(IEndpointRouteBuilder sandbox, WebhookSender webhooks)
    {
        sandbox.MapGet("/webhooks", () => ApiResults.Json(Describe(webhooks)));
        sandbox.MapMethods("/webhooks", ["PUT", "PATCH"], (JsonObject body) =>
            Apply(webhooks, body) is { } error ? ApiResults.BadRequest(error) : ApiResults.Json(Describe(webhooks)));
    }

    private static JsonObject Describe(WebhookSender webhooks) => new()
    {
        ["url"] = webhooks.TargetUrl?.AbsoluteUri,
        ["public_key"] = webhooks.PublicKeyPem,
        ["max_retries"] = webhooks.MaxRetries,
        ["retry_delay_ms"] = webhooks.RetryDelay.TotalMilliseconds,
        ["queued"] = webhooks.Queued,
        ["attempts"] = webhooks.Attempts,
        ["delivered"] = webhooks.Delivered,
        ["retried"] = webhooks.Retried,
        ["abandoned"] = webhooks.Abandoned,
    };

    /// <summary>Checks every key before changing anything, so a bad body leaves the settings as they were.</summary>
    private static string? Apply(WebhookSender webhooks, JsonObject body)
    {
        Uri? url = webhooks.TargetUrl;
        int? maxRetries = null;
        double? retryDelayMs = null;
        foreach (var (name, value) in body)
        {
            switch (name)
            {
                case "url" when value is null:
                    url = null;
                    break;
                case "url" when value is JsonValue v && v.TryGetValue<string>(out var text)
                                && Uri.TryCreate(text, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https":
                    url = parsed;
                    break;
                case "url":
                    return "url must be an absolute http(s) URL or null";
                case "max_retries" when value is JsonValue v && v.TryGetValue<int>(out var n) && n >= 0:
                    maxRetries = n;
                    break;
                case "max_retries":
                    return "max_retries must be a whole number >= 0";
                case "retry_delay_ms" when value is JsonValue v && v.TryGetValue<double>(out var ms) && ms >= 0 && ms <= int.MaxValue:
                    retryDelayMs = ms;
                    break;
                case "retry_delay_ms":
                    return "retry_delay_ms must be a number >= 0";
                default:
                    return $"unknown setting {name} (url, max_retries, retry_delay_ms)";
            }
        }

        webhooks.TargetUrl = url;
        if (maxRetries is { } retries) webhooks.MaxRetries = retries;
        if (retryDelayMs is { } delay) webhooks.RetryDelay = TimeSpan.FromMilliseconds(delay);
        return null;
    }
}
