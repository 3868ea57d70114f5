using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// The endpoints that answered 403 in this process. Freshchat API tokens carry per-resource scopes
/// (<c>reports:extract</c>, <c>role:read</c>, <c>outboundmessage:get</c>, …), so a 403 says the token may not use
/// that endpoint, not that the key is wrong: what needs the endpoint is disabled and retried at
/// <c>Capture:ReconcileInterval</c>, the rest goes on. Each endpoint is warned about once until it answers again,
/// and exported as the <c>freshchat_stream.endpoint.forbidden</c> gauge.
/// </summary>
public sealed class EndpointAccess(FreshchatMetrics metrics, ILogger<EndpointAccess> logger)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _forbidden = new(StringComparer.Ordinal);

    /// <summary>Endpoints forbidden now, with when they first answered 403.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Forbidden => _forbidden;

    /// <summary>403s recorded by this process so far.</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    private long _refusals;

    /// <summary>Records a 403 on <paramref name="endpoint"/>; warns the first time.</summary>
    public void Refused(string endpoint, DateTimeOffset at)
    {
        Interlocked.Increment(ref _refusals);
        if (_forbidden.TryAdd(endpoint, at))
        {
            Log.EndpointForbidden(logger, endpoint, LikelyScope(endpoint));
        }

        metrics.Forbidden(endpoint, true);
    }

    /// <summary>Records that <paramref name="endpoint"/> answered again.</summary>
    public void Answered(string endpoint)
    {
        if (_forbidden.TryRemove(endpoint, out _))
        {
            Log.EndpointAllowed(logger, endpoint);
            metrics.Forbidden(endpoint, false);
        }
    }

    /// <summary>
    /// The token scope an endpoint most likely needs. Only <c>reports:extract</c>, <c>role:read</c> and
    /// <c>outboundmessage:get</c> were seen in a real token; the others follow the same <c>resource:read</c> pattern.
    /// </summary>
    public static string LikelyScope(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var path = endpoint[(endpoint.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var start = segments.Length > 0 && segments[0] == "v2" ? 1 : 0;
        var resource = segments.Length > start ? segments[start] : string.Empty;
        var sub = segments.Length > start + 2 ? segments[start + 2] : null;
        return resource switch
        {
            "reports" => "reports:extract",
            "outbound-messages" => "outboundmessage:get",
            "roles" => "role:read",
            "agents" => "agent:read",
            "groups" => "group:read",
            "channels" => "channel:read",
            "conversations" => "conversation:read",
            "users" when sub == "conversations" => "conversation:read",
            "users" => "user:read",
            "accounts" => "account:read",
            _ => "a read scope for this endpoint",
        };
    }
}
