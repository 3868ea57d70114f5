using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FreshchatStream.Producer.Events;

/// <summary>
/// Identifies one version of an entity: lowercase hex SHA-256 (64 characters) of the UTF-8 bytes of the
/// object's <see cref="CanonicalJson"/>. Any field change, <c>updated_time</c> included, is a new version;
/// member order and whitespace are not.
/// </summary>
public static class Fingerprint
{
    /// <summary>The shortest stored prefix <see cref="Matches"/> accepts (96 bits; see <c>State/RedisFingerprintEncoding</c>).</summary>
    public const int MinimumStoredLength = 24;

    public static string Compute(JsonElement entity) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson.Write(entity))));

    public static string Compute(JsonNode entity) => Compute(JsonSerializer.SerializeToElement(entity));

    /// <summary>
    /// True when a stored fingerprint names the same version as <paramref name="computed"/>: equal, or — as state
    /// stores keep only a prefix — a prefix of it at least <see cref="MinimumStoredLength"/> characters long. Both the
    /// full form of earlier versions and the compact form therefore match, so an upgrade re-publishes nothing.
    /// </summary>
    public static bool Matches(string stored, string computed) =>
        string.Equals(stored, computed, StringComparison.Ordinal)
        || (stored.Length >= MinimumStoredLength && stored.Length < computed.Length && computed.StartsWith(stored, StringComparison.Ordinal));
}
