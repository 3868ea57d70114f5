using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.State;

/// <summary>Redis settings bound from <c>Redis:*</c>.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>StackExchange.Redis configuration string, e.g. <c>localhost:6379,password=…</c> (required; secret parts never logged).</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key; one prefix per Freshchat account.</summary>
    public string KeyPrefix { get; set; } = "freshchat-stream";
}

/// <summary>Validates <see cref="RedisOptions"/> at start; messages name the key, never the value.</summary>
public sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            failures.Add("Redis:Configuration is required (e.g. localhost:6379).");
        }
        else
        {
            try
            {
                if (StackExchange.Redis.ConfigurationOptions.Parse(options.Configuration).EndPoints.Count == 0)
                {
                    failures.Add("Redis:Configuration names no endpoint (expected host:port).");
                }
            }
            catch (ArgumentException)
            {
                failures.Add("Redis:Configuration is not a valid StackExchange.Redis configuration string.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.Any(char.IsWhiteSpace))
        {
            failures.Add("Redis:KeyPrefix must be non-empty and contain no whitespace.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
