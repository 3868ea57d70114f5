using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Publishing;

/// <summary>Schema Registry settings bound from <c>SchemaRegistry:*</c>.</summary>
public sealed class SchemaRegistryOptions
{
    public const string Section = "SchemaRegistry";

    /// <summary>Base URL, e.g. <c>http://localhost:8081</c> (required).</summary>
    public string? Url { get; set; }

    /// <summary><c>user:password</c> for HTTP basic auth (optional, secret, never logged).</summary>
    public string? BasicAuthUserInfo { get; set; }

    /// <summary>
    /// Let the serializer register schemas on first use. Off by default: the producer registers the shipped
    /// <c>schemas/*.avsc</c> explicitly at start, so a mismatch fails loudly instead of forking a subject.
    /// </summary>
    public bool AutoRegisterSchemas { get; set; }

    /// <summary>Timeout of one Schema Registry request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>PEM file of the CA that signed the registry's certificate (https URLs with a private CA).</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>PKCS#12 keystore with the client certificate for mutual TLS.</summary>
    public string? SslKeystoreLocation { get; set; }

    /// <summary>Password of <see cref="SslKeystoreLocation"/> (secret, never logged).</summary>
    public string? SslKeystorePassword { get; set; }

    /// <summary>Verify the registry's certificate; turn off only against a test registry.</summary>
    public bool EnableSslCertificateVerification { get; set; } = true;
}

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
