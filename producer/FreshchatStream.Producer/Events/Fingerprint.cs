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
    public static string Compute(JsonElement entity) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson.Write(entity))));

    public static string Compute(JsonNode entity) => Compute(JsonSerializer.SerializeToElement(entity));
}
