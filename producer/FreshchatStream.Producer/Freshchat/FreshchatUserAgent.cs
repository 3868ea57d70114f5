using System.Reflection;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// <c>User-Agent: freshchat-stream/{version} ({instance id})</c> on every Freshchat request, so an account's API logs
/// show which instance asked (design §9): with several replicas, exactly one — the lease holder — should appear.
/// </summary>
public static class FreshchatUserAgent
{
    /// <summary>The producer's informational version without the <c>+commit</c> build metadata.</summary>
    public static string ProducerVersion { get; } = ReadVersion();

    public static string Format(string instanceId) => $"freshchat-stream/{ProducerVersion} ({instanceId})";

    private static string ReadVersion()
    {
        var assembly = typeof(FreshchatUserAgent).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                      ?? assembly.GetName().Version?.ToString(3)
                      ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
