using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// Instruments of the Freshchat client under the <c>FreshchatStream.Freshchat</c> meter. Endpoints are route
/// templates (<c>GET /v2/users/{id}</c>), never URLs with ids or tokens; every measurement is tagged with the account. <see cref="RequestsSent"/> is a plain
/// running total the capture engine reads to report requests per pass.
/// </summary>
public sealed class FreshchatMetrics : IDisposable
{
    public const string MeterName = "FreshchatStream.Freshchat";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _throttled;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _limiterWait;
    private long _sent;
    private long _rateLimitRemaining = -1;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _forbidden = new(StringComparer.Ordinal);

    private readonly string _account;

    public FreshchatMetrics(IMeterFactory? meterFactory = null, Capture.CaptureAccount? account = null)
    {
        _account = account?.Name ?? string.Empty;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("freshchat_stream.freshchat.requests", "{request}", "HTTP attempts by endpoint and status code.");
        _throttled = _meter.CreateCounter<long>("freshchat_stream.freshchat.throttled", "{response}", "429 responses by endpoint and kind (request: that request was throttled; window: the account's window is exhausted).");
        _retries = _meter.CreateCounter<long>("freshchat_stream.freshchat.retries", "{retry}", "Retries by endpoint.");
        _meter.CreateObservableGauge("freshchat_stream.freshchat.rate_limit.remaining", ObserveRemaining, "{request}",
            "The account's remaining request budget as the last X-RateLimit-Remaining reported it (absent until a response carried it).");
        _meter.CreateObservableGauge("freshchat_stream.endpoint.forbidden", ObserveForbidden, "{endpoint}",
            "1 while an endpoint answers 403 (the API token lacks its scope), 0 once it answered again; by endpoint.");
        _limiterWait = _meter.CreateHistogram<double>("freshchat_stream.freshchat.rate_limiter.wait", "s", "Time a call waited for the client-side rate limiter or the server's rate-limit reset.");
    }

    /// <summary>Attempts Freshchat answered with a 2xx so far (a cycle without any, yet with 403s, could read nothing).</summary>
    public long AnsweredSuccessfully => Interlocked.Read(ref _succeeded);

    private long _succeeded;

    private readonly AsyncLocal<RequestTally?> _tally = new();

    /// <summary>Starts counting the attempts of the calling async flow (and the flows it starts) until disposed.</summary>
    public RequestTally CountRequests() => new(_tally);

    /// <summary>HTTP attempts sent by this process so far.</summary>
    public long RequestsSent => Interlocked.Read(ref _sent);

    /// <param name="throttle">For a 429: <c>request</c> (only this request was throttled) or <c>window</c> (the account's window is exhausted).</param>
    public void Attempt(string endpoint, int status, string? throttle = null)
    {
        Interlocked.Increment(ref _sent);
        _tally.Value?.Add();
        if (status is >= 200 and < 300)
        {
            Interlocked.Increment(ref _succeeded);
        }
        _requests.Add(1, new TagList { { "account", _account }, { "endpoint", endpoint }, { "status", status } });
        if (status == 429)
        {
            _throttled.Add(1, new TagList { { "account", _account }, { "endpoint", endpoint }, { "kind", throttle ?? "request" } });
        }
    }

    public void Retry(string endpoint) => _retries.Add(1, new TagList { { "account", _account }, { "endpoint", endpoint } });

    public void Waited(TimeSpan wait, string reason) => _limiterWait.Record(wait.TotalSeconds, new TagList { { "account", _account }, { "reason", reason } });

    /// <summary>The rate-limit headers (<c>X-RateLimit-*</c>, <c>Retry-After</c>) responses carried, with the last value of each.</summary>
    public IReadOnlyDictionary<string, string> RateLimitHeadersSeen => _rateLimitHeaders;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _rateLimitHeaders = new(StringComparer.OrdinalIgnoreCase);

    public void RateLimitHeader(string name, string value) => _rateLimitHeaders[name] = value;

    /// <summary>Records the server's last reported remaining budget (<c>X-RateLimit-Remaining</c>).</summary>
    public void RateLimitRemaining(long remaining) => Interlocked.Exchange(ref _rateLimitRemaining, remaining);

    /// <summary>Whether <paramref name="endpoint"/> currently answers 403.</summary>
    public void Forbidden(string endpoint, bool forbidden) => _forbidden[endpoint] = forbidden ? 1 : 0;

    private IEnumerable<Measurement<int>> ObserveForbidden() =>
        _forbidden.Select(p => new Measurement<int>(p.Value, new KeyValuePair<string, object?>("account", _account), new KeyValuePair<string, object?>("endpoint", p.Key)));

    private IEnumerable<Measurement<long>> ObserveRemaining()
    {
        var remaining = Interlocked.Read(ref _rateLimitRemaining);
        return remaining < 0 ? [] : [new Measurement<long>(remaining, new KeyValuePair<string, object?>("account", _account))];
    }

    public void Dispose() => _meter.Dispose();
}
