namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// A Freshchat call that failed after the resilience pipeline gave up. <see cref="IsTransient"/> tells the
/// capture loop whether the next cycle may succeed (throttling, outages) or a person must act (credentials,
/// wrong URL). Messages never contain the API key.
/// </summary>
public abstract class FreshchatException(string message, string endpoint, int? statusCode, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The endpoint template that failed, e.g. <c>GET /v2/users</c>.</summary>
    public string Endpoint { get; } = endpoint;

    public int? StatusCode { get; } = statusCode;

    public abstract bool IsTransient { get; }
}

/// <summary>401: the key is wrong or expired, or the URL points at another account. Never retried; fatal.</summary>
public sealed class FreshchatAuthenticationException(string message, string endpoint, int statusCode)
    : FreshchatException(message, endpoint, statusCode)
{
    public override bool IsTransient => false;
}

/// <summary>
/// 403 on one endpoint: Freshchat tokens carry per-resource scopes, so this disables only what needs
/// <see cref="FreshchatException.Endpoint"/> (see <see cref="EndpointAccess"/>). Fatal only when every endpoint
/// answers it, typically a host of another datacenter.
/// </summary>
public sealed class FreshchatForbiddenException(string endpoint)
    : FreshchatException(
        $"Freshchat answered 403 on {endpoint}: the API token (Freshchat:ApiKey) lacks the scope it needs (likely {EndpointAccess.LikelyScope(endpoint)}); " +
        "grant it to the token, or check Freshchat:BaseUrl if every endpoint answers 403.", endpoint, 403)
{
    /// <summary>The token scope this endpoint most likely needs, e.g. <c>reports:extract</c>.</summary>
    public string LikelyScope => EndpointAccess.LikelyScope(Endpoint);

    public override bool IsTransient => false;
}

/// <summary>The server answered something that is not the Freshchat API (e.g. an HTML page with 200): a wrong <c>Freshchat:BaseUrl</c>.</summary>
public sealed class FreshchatConfigurationException(string message, string endpoint, int? statusCode)
    : FreshchatException(message, endpoint, statusCode)
{
    public override bool IsTransient => false;
}

/// <summary>Throttling (429), 5xx, timeouts or transport errors that outlasted every retry, or an open circuit.</summary>
public sealed class FreshchatUnavailableException(string message, string endpoint, int? statusCode, Exception? inner = null)
    : FreshchatException(message, endpoint, statusCode, inner)
{
    public override bool IsTransient => true;
}

/// <summary>A response the client cannot read (malformed or truncated JSON, an unexpected shape), naming the endpoint.</summary>
public sealed class FreshchatResponseException(string message, string endpoint, int? statusCode, Exception? inner = null)
    : FreshchatException(message, endpoint, statusCode, inner)
{
    public override bool IsTransient => true;
}

/// <summary>Another 4xx the API answered with its <c>{code,status,message}</c> error body (e.g. a rejected filter).</summary>
public sealed class FreshchatRequestException(string message, string endpoint, int statusCode, string? errorStatus)
    : FreshchatException(message, endpoint, statusCode)
{
    /// <summary>The API's error <c>status</c> string, e.g. <c>WRONG_PAGE</c>.</summary>
    public string? ErrorStatus { get; } = errorStatus;

    public override bool IsTransient => false;
}

/// <summary><c>GET /outbound-messages</c> cannot be listed without a <c>request_id</c> on this account.</summary>
public sealed class FreshchatRequestIdRequiredException(string endpoint, int statusCode)
    : FreshchatException("Freshchat lists outbound messages only for a given request_id on this account; they cannot be captured by polling.", endpoint, statusCode)
{
    public override bool IsTransient => false;
}
