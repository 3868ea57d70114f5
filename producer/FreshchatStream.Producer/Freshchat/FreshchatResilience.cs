using System.Diagnostics;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// The one resilience pipeline of the Freshchat client, in the dotnet/extensions standard order: rate limiter
/// (token bucket at <c>Freshchat:RequestsPerMinute</c>, shared by every call) → total timeout → retry (429
/// waiting exactly its <c>Retry-After</c> in seconds or as a date, or the time to <c>X-RateLimit-Reset</c>, with no
/// backoff added; 5xx, 408, timeouts, transport errors with exponential backoff and jitter, or a 503's
/// <c>Retry-After</c>) → circuit breaker (5xx, timeouts, transport errors — not 429, which is flow control)
/// → attempt timeout. 401/403 and other 4xx are never retried. The first attempt of a call takes its token
/// from the rate limiter strategy; every retry takes one in <see cref="RateLimitHeadroomHandler"/>, so the
/// budget counted at the server holds with retries too.
/// </summary>
public static class FreshchatResilience
{
    public const string PipelineName = "freshchat";

    /// <summary>Adds the strategies to <paramref name="builder"/>; <paramref name="limiter"/> is the process-wide bucket.</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, FreshchatOptions options, RateLimiter limiter, FreshchatMetrics metrics)
    {
        builder
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                RateLimiter = async args =>
                {
                    var waited = Stopwatch.StartNew();
                    var lease = await limiter.AcquireAsync(1, args.Context.CancellationToken);
                    metrics.Waited(waited.Elapsed, "client_budget");
                    return lease;
                },
            })
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && IsTransient(args.Outcome)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromMinutes(1),
                // A throttled request costs its Retry-After and no more: the server's delay replaces the backoff
                // rather than adding to it (only a 429 or 5xx that says nothing backs off exponentially).
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RateLimitResponse.RetryDelay(response, TimeProvider.System) : null),
                OnRetry = args =>
                {
                    // Retries spend the shared budget too: the per-attempt handler takes a token for a marked request.
                    if (args.Context.GetRequestMessage() is { } request)
                    {
                        request.Options.Set(FreshchatEndpoint.IsRetry, true);
                    }

                    metrics.Retry(FreshchatEndpoint.Of(args.Context.GetRequestMessage()));
                    return default;
                },
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, options.AttemptTimeout.TotalSeconds * 2)),
                BreakDuration = options.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
            })
            .AddTimeout(options.AttemptTimeout);
    }

    /// <summary>How much unused budget the token bucket keeps: the tokens of this long at the budget's rate.</summary>
    public static readonly TimeSpan BurstWindow = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The client's token bucket: <paramref name="requestsPerMinute"/> per minute in the long run, banking up to
    /// <see cref="BurstWindow"/> of unused budget. A cycle runs some requests one after another (a listing's pages,
    /// a report job); the tokens they leave unused are spent when it next runs many at once, instead of being lost.
    /// The bank alone could put a minute above the budget by its size; <see cref="FreshchatRequestGate"/> keeps every
    /// 60-second interval within the budget exactly, whatever the bucket allows.
    /// </summary>
    public static TokenBucketRateLimiter CreateLimiter(int requestsPerMinute)
    {
        // Replenish n tokens every n/rpm minutes with n chosen so the period stays ≥ 50 ms (timer resolution):
        // the long-run rate is exact.
        var perToken = TimeSpan.FromMinutes(1) / requestsPerMinute;
        var tokens = Math.Max(1, (int)Math.Ceiling(TimeSpan.FromMilliseconds(50) / perToken));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(tokens, (int)Math.Ceiling(BurstWindow / perToken)),
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = perToken * tokens,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>What retrying may fix: throttling, server errors, timeouts, transport errors.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result.StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout } => true,
        { Result.StatusCode: var status } when (int)status >= 500 => true,
        _ => false,
    };

    /// <summary>What counts against the circuit: the server failing, not the server asking us to slow down.</summary>
    public static bool IsFailure(Outcome<HttpResponseMessage> outcome) =>
        IsTransient(outcome) && outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests;

    /// <summary>Exceptions meaning "Freshchat could not be reached in time", as opposed to a caller's cancellation.</summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or RateLimiterRejectedException;
}

/// <summary>The endpoint template a request is for, carried in the request options for metrics and errors.</summary>
public static class FreshchatEndpoint
{
    public static readonly HttpRequestOptionsKey<string> Key = new("freshchat.endpoint");

    /// <summary>Set on a request the retry strategy sends again.</summary>
    public static readonly HttpRequestOptionsKey<bool> IsRetry = new("freshchat.retry");

    public static string Of(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Key, out var endpoint) ? endpoint : "unknown";
}
