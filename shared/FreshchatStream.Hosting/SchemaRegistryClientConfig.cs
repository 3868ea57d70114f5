using Confluent.SchemaRegistry;

namespace FreshchatStream.Hosting;

/// <summary>The one translation of <see cref="SchemaRegistryOptions"/> into Confluent's client settings, for the producer and the landers.</summary>
public static class SchemaRegistryClientConfig
{
    /// <summary>The registry client's settings: URL, timeout, basic auth and TLS, as the options give them.</summary>
    public static SchemaRegistryConfig Build(SchemaRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new SchemaRegistryConfig
        {
            Url = options.Url,
            RequestTimeoutMs = (int)options.RequestTimeout.TotalMilliseconds,
            EnableSslCertificateVerification = options.EnableSslCertificateVerification,
        };
        if (!string.IsNullOrEmpty(options.SslCaLocation))
        {
            config.SslCaLocation = options.SslCaLocation;
        }

        if (!string.IsNullOrEmpty(options.SslKeystoreLocation))
        {
            config.SslKeystoreLocation = options.SslKeystoreLocation;
            config.SslKeystorePassword = options.SslKeystorePassword;
        }

        if (!string.IsNullOrEmpty(options.BasicAuthUserInfo))
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = options.BasicAuthUserInfo;
        }

        return config;
    }
}
