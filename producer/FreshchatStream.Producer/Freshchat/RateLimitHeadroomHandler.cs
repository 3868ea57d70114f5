using System.Diagnostics;
using System.Net;
using System.Threading.RateLimiting;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// Per attempt: takes a budget token for retries (the pipeline's rate limiter covers first attempts), passes the
/// client's <see cref="FreshchatRequestGate"/> (concurrency bound, pause while the account's window is exhausted,
/// pacing as it runs low), counts the request for metrics and tells the gate what the server said about its
/// window. A 429 whose <c>X-RateLimit-Remaining</c> is above the headroom (or absent) throttled only that request:
/// the retry strategy waits its <c>Retry-After</c> and the other requests go on. The budget is shared with every
/// other integration of the account, so running it dry hurts them too.
/// </summary>
public sealed class RateLimitHeadroomHandler(RateLimiter budget, FreshchatRequestGate gate, FreshchatMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(FreshchatEndpoint.IsRetry, out var retry) && retry)
        {
            var waited = Stopwatch.StartNew();
            using var lease = await budget.AcquireAsync(1, cancellationToken);
            metrics.Waited(waited.Elapsed, "client_budget");
        }

        var (slot, serverWait) = await gate.EnterAsync(cancellationToken);
        HttpResponseMessage response;
        using (slot)
        {
            if (serverWait > TimeSpan.Zero)
            {
                metrics.Waited(serverWait, "server_headroom");
            }

            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                metrics.Attempt(FreshchatEndpoint.Of(request), 0);
                throw;
            }
        }

        foreach (var (name, values) in response.Headers)
        {
            if (name.StartsWith("X-RateLimit", StringComparison.OrdinalIgnoreCase) || name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                metrics.RateLimitHeader(name, string.Join(",", values));
            }
        }

        var remaining = RateLimitResponse.Header(response, "X-RateLimit-Remaining");
        if (remaining is { } reported)
        {
            metrics.RateLimitRemaining(reported);
        }

        metrics.Attempt(FreshchatEndpoint.Of(request), (int)response.StatusCode,
            response.StatusCode == HttpStatusCode.TooManyRequests ? (RateLimitResponse.WindowExhausted(response, gate.Headroom) ? "window" : "request") : null);
        gate.Observe(remaining, RateLimitResponse.Header(response, "X-RateLimit-Reset"));
        return response;
    }
}
