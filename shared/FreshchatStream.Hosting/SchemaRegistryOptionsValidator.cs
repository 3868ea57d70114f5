using Microsoft.Extensions.Options;

namespace FreshchatStream.Hosting;

/// <summary>Validates <see cref="SchemaRegistryOptions"/> at start; messages name the key, never the secret.</summary>
public sealed class SchemaRegistryOptionsValidator : IValidateOptions<SchemaRegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, SchemaRegistryOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Url))
        {
            failures.Add("SchemaRegistry:Url is required (e.g. http://localhost:8081).");
        }
        else
        {
            foreach (var url in options.Url.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    failures.Add("SchemaRegistry:Url must be an absolute http:// or https:// URL.");
                    break;
                }

                if (!string.IsNullOrEmpty(uri.UserInfo))
                {
                    failures.Add("SchemaRegistry:Url must not carry credentials; use SchemaRegistry:BasicAuthUserInfo.");
                    break;
                }
            }
        }

        if (options.BasicAuthUserInfo is { Length: > 0 } userInfo && !userInfo.Contains(':', StringComparison.Ordinal))
        {
            failures.Add("SchemaRegistry:BasicAuthUserInfo must have the form user:password.");
        }

        foreach (var (key, path) in new[] { ("SslCaLocation", options.SslCaLocation), ("SslKeystoreLocation", options.SslKeystoreLocation) })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
            {
                failures.Add($"SchemaRegistry:{key} names a file that does not exist.");
            }
        }

        if (options.RequestTimeout < TimeSpan.FromMilliseconds(100) || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("SchemaRegistry:RequestTimeout must be between 00:00:00.1 and 00:05:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
