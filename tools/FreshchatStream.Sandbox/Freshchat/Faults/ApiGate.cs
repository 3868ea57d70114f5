using FreshchatStream.Sandbox.Freshchat.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FreshchatStream.Sandbox.Freshchat.Faults;

/// <summary>
/// Middleware in front of every /v2 route: counts the request under its route template, then applies, in order,
/// the wrong-host HTML mode, bearer authentication, forbidden token scopes (403), the rate-limit budget, queued faults, random faults and latency.
/// /_sandbox and report downloads are only counted, never failed.
/// </summary>
internal sealed class ApiGate(
    string apiKey, EmulatorBehaviour behaviour, EmulatorFaults faults, RequestCounter counter,
    RateLimitWindow rateLimit, Random faultRandom, TimeProvider time, CancellationToken stopping)
{
    private readonly Lock _randomGate = new();

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "";
        var isApi = path.StartsWith("/v2/", StringComparison.Ordinal) || path == "/v2";
        if (!isApi)
        {
            if (path.StartsWith("/_downloads/", StringComparison.Ordinal)) counter.Count(EndpointName(context), context.Request.Headers.UserAgent.ToString(), path + context.Request.QueryString.Value);
            await next(context);
            return;
        }

        counter.Count(EndpointName(context), context.Request.Headers.UserAgent.ToString(), path + context.Request.QueryString.Value);
        if (behaviour.WrongHostHtml)
        {
            await FaultResponder.WriteHtmlAsync(context);
            return;
        }
        if (!IsAuthorized(context.Request))
        {
            await FaultResponder.WriteUnauthorizedAsync(context);
            return;
        }

        if (EndpointScopes.IsForbidden(path, behaviour.ForbiddenScopes))
        {
            await ApiResults.WriteAsync(context, ApiResults.ErrorBody(StatusCodes.Status403Forbidden, "FORBIDDEN",
                $"The API token lacks the scope {EndpointScopes.For(path)}"), StatusCodes.Status403Forbidden);
            return;
        }

        var limit = faults.RateLimitPerMinute;
        RateLimitDecision? decision = limit is { } l ? rateLimit.Take(l, faults.RateLimitWindow) : null;
        if (decision is { Allowed: false } denied)
        {
            counter.CountThrottled();
            await FaultResponder.WriteTooManyRequestsAsync(context, denied.RetryAfterSeconds, behaviour.SendRetryAfter, denied.Limit, 0, denied.ResetUnixSeconds);
            return;
        }
        if (decision is { } allowed && behaviour.SendRateLimitHeaders)
            FaultResponder.WriteRateLimitHeaders(context, allowed.Limit, allowed.Remaining, allowed.ResetUnixSeconds);

        var fault = faults.TakeQueued(path + context.Request.QueryString.Value) ?? RollRandomFault();
        var latency = faults.Latency;
        if (latency > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(latency, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        switch (fault)
        {
            case null:
                await next(context);
                faults.AfterServed?.Invoke(path + context.Request.QueryString.Value);
                break;
            case FaultKind.TooManyRequests:
                counter.CountThrottled();
                var retryAfter = faults.RetryAfterSeconds;
                // An injected 429 throttles this request only: the account's window still has what the budget says
                // (all of it without a budget), unlike the budget's own 429 with Remaining 0.
                await FaultResponder.WriteTooManyRequestsAsync(context, retryAfter, behaviour.SendRetryAfter, limit ?? 1000, decision?.Remaining ?? limit ?? 1000,
                    time.GetUtcNow().AddSeconds(retryAfter).ToUnixTimeSeconds());
                break;
            case FaultKind.ServerError:
                await FaultResponder.WriteServerErrorAsync(context, StatusCodes.Status500InternalServerError);
                break;
            case FaultKind.ServiceUnavailable:
                await FaultResponder.WriteServerErrorAsync(context, StatusCodes.Status503ServiceUnavailable);
                break;
            case FaultKind.MalformedJson:
                await FaultResponder.WriteMalformedAsync(context);
                break;
            case FaultKind.TruncatedJson:
                await FaultResponder.WriteTruncatedAsync(context, next);
                break;
            case FaultKind.Html:
                await FaultResponder.WriteHtmlAsync(context);
                break;
            case FaultKind.Timeout:
                await FaultResponder.HoldAsync(context, faults.TimeoutHold, stopping);
                break;
            case FaultKind.Unauthorized:
                await FaultResponder.WriteUnauthorizedAsync(context);
                break;
        }
    }

    private bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(header[scheme.Length..].Trim(), apiKey, StringComparison.Ordinal);
    }

    private FaultKind? RollRandomFault()
    {
        var f429 = faults.Fraction429;
        var f5xx = faults.Fraction5xx;
        var fMalformed = faults.FractionMalformed;
        if (f429 <= 0 && f5xx <= 0 && fMalformed <= 0) return null;
        double roll;
        bool flip;
        lock (_randomGate)
        {
            roll = faultRandom.NextDouble();
            flip = faultRandom.Next(2) == 0;
        }
        if (roll < f429) return FaultKind.TooManyRequests;
        if (roll < f429 + f5xx) return flip ? FaultKind.ServerError : FaultKind.ServiceUnavailable;
        if (roll < f429 + f5xx + fMalformed) return flip ? FaultKind.MalformedJson : FaultKind.TruncatedJson;
        return null;
    }

    private static string EndpointName(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } template }
            ? $"{context.Request.Method} {(template.StartsWith('/') ? template : "/" + template)}"
            : $"{context.Request.Method} (unmatched)";
}
