namespace FreshchatStream.Hosting;

/// <summary>
/// Schema Registry settings bound from <c>SchemaRegistry:*</c>, shared by the producer and the landers so one
/// configuration reaches an authenticated or TLS registry from both; <see cref="SchemaRegistryClientConfig"/> turns
/// them into the client's settings.
/// </summary>
public sealed class SchemaRegistryOptions
{
    public const string Section = "SchemaRegistry";

    /// <summary>Base URL, e.g. <c>http://localhost:8081</c> (required).</summary>
    public string? Url { get; set; }

    /// <summary><c>user:password</c> for HTTP basic auth (optional, secret, never logged).</summary>
    public string? BasicAuthUserInfo { get; set; }

    /// <summary>
    /// Producer only, kept for compatibility: either value registers the shipped <c>schemas/*.avsc</c> explicitly at start
    /// (the producer's <c>SchemaRegistrar</c>), so a mismatch fails loudly instead of forking a subject. Off by default.
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
