using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace FreshchatStream.Producer.Events;

/// <summary>
/// Deterministic <c>__event_id</c> (and CloudEvents <c>ce_id</c>): lowercase hex of the first 16 bytes of
/// SHA-256 over the UTF-8 bytes of <c>topic + "\n" + key.CanonicalJson + "\n" + (fingerprint or "delete")</c>.
/// Replays and retries of one entity version therefore carry the same id, and <c>c</c>, <c>u</c> and
/// <c>r</c> events of one version share it.
/// </summary>
public static class EventIds
{
    public const string DeleteMarker = "delete";

    /// <param name="topic">Full topic name, e.g. <c>freshchat.users</c>.</param>
    /// <param name="key">The record key.</param>
    /// <param name="fingerprint">The version's <see cref="Fingerprint"/>; null for a <c>d</c> event.</param>
    public static string Compute(string topic, ChangeEventKey key, string? fingerprint)
    {
        // Computed for every published event: the input is encoded into a stack (or pooled) buffer, not a concatenated string.
        var version = fingerprint ?? DeleteMarker;
        var canonicalKey = key.CanonicalJson;
        var length = Encoding.UTF8.GetMaxByteCount(topic.Length + canonicalKey.Length + version.Length + 2);
        byte[]? rented = null;
        var buffer = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(topic, buffer);
            buffer[written++] = (byte)'\n';
            written += Encoding.UTF8.GetBytes(canonicalKey, buffer[written..]);
            buffer[written++] = (byte)'\n';
            written += Encoding.UTF8.GetBytes(version, buffer[written..]);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(buffer[..written], hash);
            return Convert.ToHexStringLower(hash[..16]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
