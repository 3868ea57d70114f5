using System.Globalization;
using System.Net;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// Reads Freshchat's rate-limit answer. A 429 means one of two things: "this request was throttled"
/// (<c>X-RateLimit-Remaining</c> above the headroom or absent: retry that request after its <c>Retry-After</c>) or
/// "the account's window is exhausted" (<c>X-RateLimit-Remaining: 0</c> with <c>X-RateLimit-Reset</c>: everything
/// waits for the reset, see <see cref="FreshchatRequestGate"/>).
/// </summary>
public static class RateLimitResponse
{
    /// <summary>Whether the response says the account's window is spent (remaining at or below <paramref name="headroom"/>, with a reset time).</summary>
    public static bool WindowExhausted(HttpResponseMessage response, int headroom) =>
        Header(response, "X-RateLimit-Remaining") is { } remaining && remaining <= headroom && Header(response, "X-RateLimit-Reset") is not null;

    /// <summary>
    /// How long to wait before retrying <paramref name="response"/>: its <c>Retry-After</c> (seconds or a date) when
    /// present, else for a 429 the time to <c>X-RateLimit-Reset</c>; null when neither says (exponential backoff).
    /// Absolute times come from the server's clock, so <paramref name="serverClock"/> is the real clock in production.
    /// </summary>
    public static TimeSpan? RetryDelay(HttpResponseMessage response, TimeProvider serverClock)
    {
        var now = serverClock.GetUtcNow();
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                return date > now ? date - now : TimeSpan.Zero;
            }
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests && Header(response, "X-RateLimit-Reset") is { } reset)
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(reset, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds() - 1));
            return at > now ? at - now : TimeSpan.Zero;
        }

        return null;
    }

    public static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
