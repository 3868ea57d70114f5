using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// Per attempt: takes a budget token for retries (the pipeline's rate limiter covers first attempts), counts the
/// request for metrics, and slows down before the server has to say 429. When a
/// response reports <c>X-RateLimit-Remaining</c> at or below <c>Freshchat:RateLimitHeadroom</c>, later requests
/// wait until <c>X-RateLimit-Reset</c> (a Unix time; at most a minute) — the budget is shared with every
/// other integration of the account, so running it dry hurts them too.
/// </summary>
public sealed class RateLimitHeadroomHandler(FreshchatOptions options, RateLimiter budget, FreshchatMetrics metrics, TimeProvider time) : DelegatingHandler
{
    private static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(1);
    private long _pausedUntilTicks;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(FreshchatEndpoint.IsRetry, out var retry) && retry)
        {
            var waited = Stopwatch.StartNew();
            using var lease = await budget.AcquireAsync(1, cancellationToken);
            metrics.Waited(waited.Elapsed, "client_budget");
        }

        var pause = new DateTimeOffset(Interlocked.Read(ref _pausedUntilTicks), TimeSpan.Zero) - time.GetUtcNow();
        if (pause > TimeSpan.Zero)
        {
            var waited = Stopwatch.StartNew();
            await Task.Delay(pause > MaxPause ? MaxPause : pause, time, cancellationToken);
            metrics.Waited(waited.Elapsed, "server_headroom");
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.Attempt(FreshchatEndpoint.Of(request), 0);
            throw;
        }

        metrics.Attempt(FreshchatEndpoint.Of(request), (int)response.StatusCode);
        foreach (var (name, values) in response.Headers)
        {
            if (name.StartsWith("X-RateLimit", StringComparison.OrdinalIgnoreCase) || name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                metrics.RateLimitHeader(name, string.Join(",", values));
            }
        }

        if (Header(response, "X-RateLimit-Remaining") is { } reported)
        {
            metrics.RateLimitRemaining(reported);
        }

        if (Header(response, "X-RateLimit-Remaining") is { } remaining && remaining <= options.RateLimitHeadroom
            && Header(response, "X-RateLimit-Reset") is { } reset)
        {
            // X-RateLimit-Reset has whole-second resolution and comes from the server's clock: one second of margin
            // keeps a rounded-down or skewed reset from landing the next request in the exhausted window.
            var until = DateTimeOffset.FromUnixTimeSeconds(Math.Min(reset, DateTimeOffset.MaxValue.ToUnixTimeSeconds() - 2) + 1);
            var cap = time.GetUtcNow() + MaxPause;
            Interlocked.Exchange(ref _pausedUntilTicks, (until < cap ? until : cap).UtcTicks);
        }

        return response;
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
