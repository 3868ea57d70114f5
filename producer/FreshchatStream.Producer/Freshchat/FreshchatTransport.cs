using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FreshchatStream.Producer.Freshchat.Pagination;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// Sends one logical call through the typed <see cref="HttpClient"/> (and so through the resilience pipeline)
/// and turns what comes back into JSON or a typed error: 401 → <see cref="FreshchatAuthenticationException"/>, 403 → <see cref="FreshchatForbiddenException"/> (per endpoint),
/// a 2xx that is not JSON → <see cref="FreshchatConfigurationException"/>, unreadable JSON →
/// <see cref="FreshchatResponseException"/>, 404 → <c>null</c>, throttling or outages that outlasted the retries →
/// <see cref="FreshchatUnavailableException"/>. No message it builds contains the API key or a full URL.
/// </summary>
public sealed class FreshchatTransport(HttpClient http, FreshchatOptions options, ILogger<FreshchatTransport> logger)
{
    private readonly Uri _base = options.GetBaseUri();
    private readonly AuthenticationHeaderValue _authorization = new("Bearer", options.ApiKey);

    /// <summary>The API root including the version segment, with a trailing slash.</summary>
    public Uri BaseUri => _base;

    /// <summary>
    /// Resolves a path relative to the API root (<c>users?x=1</c>) or an href as the API returns it: a relative
    /// <c>/v2/...</c> path (joined to the host, keeping any prefix before <c>/v2</c> of the configured URL) or an
    /// absolute URL.
    /// </summary>
    public Uri Resolve(string pathOrHref) => ApiLinkResolver.Resolve(_base, pathOrHref);

    /// <summary>True when <paramref name="url"/> is on the API's own host (the only place the bearer token is sent).</summary>
    public bool IsApiHost(Uri url) => ApiLinkResolver.IsApiHost(_base, url);

    /// <summary>A page fetcher for <see cref="LinkedPages"/> that reports errors under <paramref name="endpoint"/>.</summary>
    public LinkedPages.PageFetcher GetPageAsync(string endpoint) => (href, cancellationToken) => GetAsync(href, endpoint, cancellationToken);

    /// <summary>GET returning the parsed body, or null on 404.</summary>
    public Task<JsonDocument?> GetAsync(string pathOrHref, string endpoint, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, pathOrHref, endpoint, body: null, cancellationToken);

    public async Task<JsonDocument?> SendAsync(HttpMethod method, string pathOrHref, string endpoint, string? body, CancellationToken cancellationToken)
    {
        // A link pointing at another host (an absolute href) never receives the bearer token.
        var url = Resolve(pathOrHref);
        using var response = await SendRawAsync(method, url, endpoint, body, authenticate: IsApiHost(url), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await ThrowIfFailedAsync(response, endpoint, cancellationToken);
        return await ReadJsonAsync(response, endpoint, cancellationToken);
    }

    /// <summary>
    /// Sends a request through the pipeline and returns the response unread. The bearer token is attached only
    /// when <paramref name="authenticate"/> (never to pre-signed download URLs on other hosts).
    /// </summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, Uri url, string endpoint, string? body, bool authenticate,
        CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Options.Set(FreshchatEndpoint.Key, endpoint);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (authenticate)
        {
            request.Headers.Authorization = _authorization;
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        try
        {
            return await http.SendAsync(request, completion, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && (FreshchatResilience.IsUnavailable(e) || e is OperationCanceledException))
        {
            throw new FreshchatUnavailableException($"{endpoint}: Freshchat did not answer successfully after retries ({Describe(e)}).", endpoint, null, e);
        }
    }

    public async Task ThrowIfFailedAsync(HttpResponseMessage response, string endpoint, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        if (status == 403)
        {
            throw new FreshchatForbiddenException(endpoint);
        }

        if (status == 401)
        {
            throw new FreshchatAuthenticationException(
                $"Freshchat refused the request ({status} on {endpoint}): check Freshchat:ApiKey (a valid, unexpired API token with read scopes) " +
                $"and Freshchat:BaseUrl (the account's own host or its datacenter, e.g. https://acme.freshchat.com/v2).", endpoint, status);
        }

        var error = await ReadErrorAsync(response, cancellationToken);
        if (status is 429 or 408 || status >= 500)
        {
            throw new FreshchatUnavailableException($"{endpoint}: Freshchat answered {status}{error.Describe()} after {options.MaxRetries} retries.", endpoint, status);
        }

        throw new FreshchatRequestException($"{endpoint}: Freshchat rejected the request with {status}{error.Describe()}.", endpoint, status, error.Status);
    }

    public async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string endpoint, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (mediaType is "text/html" || LooksLikeMarkup(bytes))
        {
            throw new FreshchatConfigurationException(
                $"{endpoint} answered {(int)response.StatusCode} with an HTML page, not the Freshchat API: check Freshchat:BaseUrl " +
                "(it must be the API root such as https://acme.freshchat.com/v2, not a portal or login page).", endpoint, (int)response.StatusCode);
        }

        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            Log.MalformedJson(logger, endpoint, bytes.Length);
            throw new FreshchatResponseException($"{endpoint} returned malformed JSON ({bytes.Length} bytes): {e.Message}", endpoint, (int)response.StatusCode, e);
        }
    }

    private static bool LooksLikeMarkup(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            if (b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }

            return b == (byte)'<';
        }

        return false;
    }

    private static async Task<ApiError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                ? new ApiError(Text(root, "status"), Text(root, "message"))
                : default;
        }
        catch (JsonException)
        {
            return default;
        }

        static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static string Describe(Exception e) => e switch
    {
        Polly.CircuitBreaker.BrokenCircuitException => "circuit open after repeated failures",
        Polly.Timeout.TimeoutRejectedException => "timed out",
        Polly.RateLimiting.RateLimiterRejectedException => "client-side rate limiter rejected the call",
        HttpRequestException h => h.HttpRequestError.ToString(),
        _ => e.GetType().Name,
    };

    private readonly record struct ApiError(string? Status, string? Message)
    {
        public string Describe() => Status is null && Message is null ? string.Empty : $" ({Status}: {Message})";
    }
}
