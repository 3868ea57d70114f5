using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>The Freshchat connection, bound from <c>Freshchat:*</c> and validated at start.</summary>
public sealed class FreshchatOptions
{
    public const string Section = "Freshchat";

    /// <summary>The API root including <c>/v2</c>, e.g. <c>https://acme.freshchat.com/v2</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Bearer token (secret: never logged, never in exception messages or metrics).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Client-side budget shared by every call of this process (token bucket).</summary>
    [Range(1, 100_000, ErrorMessage = "Freshchat:RequestsPerMinute must be between 1 and 100000.")]
    public int RequestsPerMinute { get; set; } = 200;

    /// <summary>
    /// Most requests in flight at once for this client (account), whatever the budget: independent work (due
    /// conversations, their message pages, users' conversation lists) runs this many at a time, always within the
    /// token bucket. At 300 ms per request one at a time cannot exceed 200 requests a minute.
    /// </summary>
    [Range(1, 64, ErrorMessage = "Freshchat:MaxConcurrency must be between 1 and 64.")]
    public int MaxConcurrency { get; set; } = DefaultMaxConcurrency;

    /// <summary>
    /// Chosen by the <c>budget</c> benchmark's sweep (bench/RESULTS.md): the smallest setting whose sustained rate fills
    /// 1,200/min at 300 ms; 4 reaches only about 60%.
    /// </summary>
    public const int DefaultMaxConcurrency = 8;

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one call including its retries (not counting the wait for the rate limiter).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Retries after the first attempt for 429, 5xx, timeouts and transport errors.</summary>
    [Range(0, 20, ErrorMessage = "Freshchat:MaxRetries must be between 0 and 20.")]
    public int MaxRetries { get; set; } = 6;

    /// <summary>First retry delay; later ones grow exponentially with jitter. A <c>Retry-After</c> header wins.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the circuit stays open after too many failures (5xx, timeouts; not 429).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The page size asked for on list endpoints. The API's maximum is unconfirmed (50 or 100): a server that
    /// rejects it is asked again with 50, which is then used for the rest of the process.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "Freshchat:ItemsPerPage must be between 1 and 1000.")]
    public int ItemsPerPage { get; set; } = 100;

    /// <summary>When <c>X-RateLimit-Remaining</c> falls to this or below, calls wait for <c>X-RateLimit-Reset</c>.</summary>
    [Range(0, 10_000, ErrorMessage = "Freshchat:RateLimitHeadroom must be between 0 and 10000.")]
    public int RateLimitHeadroom { get; set; } = 2;

    /// <summary>The validated <see cref="BaseUrl"/> with a trailing slash (a method, so validation never evaluates it).</summary>
    public Uri GetBaseUri() => new(BaseUrl!.TrimEnd('/') + "/", UriKind.Absolute);
}

/// <summary>Cross-field and shape rules; every message names its key and never contains the key's secret value.</summary>
public sealed class FreshchatOptionsValidator : IValidateOptions<FreshchatOptions>
{
    public ValidateOptionsResult Validate(string? name, FreshchatOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            failures.Add("Freshchat:BaseUrl is required (e.g. https://acme.freshchat.com/v2).");
        }
        else if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            failures.Add("Freshchat:BaseUrl must be an absolute http:// or https:// URL such as https://acme.freshchat.com/v2.");
        }
        else if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query))
        {
            failures.Add("Freshchat:BaseUrl must not carry credentials or a query string; put the token in Freshchat:ApiKey.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add("Freshchat:ApiKey is required (an API token from Admin > Configure > API Tokens; set it as Freshchat__ApiKey).");
        }
        else if (options.ApiKey.Any(char.IsWhiteSpace))
        {
            failures.Add("Freshchat:ApiKey must not contain whitespace (paste the token only, without 'Bearer ').");
        }

        CheckDuration(failures, "Freshchat:AttemptTimeout", options.AttemptTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        CheckDuration(failures, "Freshchat:TotalTimeout", options.TotalTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        CheckDuration(failures, "Freshchat:RetryBaseDelay", options.RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        CheckDuration(failures, "Freshchat:BreakDuration", options.BreakDuration, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        if (options.AttemptTimeout > options.TotalTimeout)
        {
            failures.Add("Freshchat:AttemptTimeout must not be longer than Freshchat:TotalTimeout.");
        }
        else if (options.MaxRetries > 0 && options.AttemptTimeout + options.RetryBaseDelay >= options.TotalTimeout)
        {
            // Otherwise the total timeout cancels every call before its first retry could start.
            failures.Add("Freshchat:TotalTimeout must be longer than Freshchat:AttemptTimeout + Freshchat:RetryBaseDelay so a retry fits (or set Freshchat:MaxRetries to 0).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckDuration(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be between {min:c} and {max:c}.");
        }
    }
}
