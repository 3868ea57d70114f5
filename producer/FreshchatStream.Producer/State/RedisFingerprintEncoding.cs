using StackExchange.Redis;

namespace FreshchatStream.Producer.State;

/// <summary>
/// How a fingerprint is stored: a 64-hex-character SHA-256 (<see cref="Events.Fingerprint"/>) becomes 13 bytes, a
/// marker byte 0xFD (never in UTF-8 text) and the first 96 bits of the digest, read back as 24 hex characters that
/// <see cref="Events.Fingerprint.Matches"/> compares with a computed fingerprint's prefix. Other values kept in the
/// fingerprint hashes (agent availability, dead-letter times, the unacknowledged marker) stay text.
/// <para>
/// Why 96 bits is enough: a stored fingerprint is only ever compared with the next version of the same entity, so
/// a wrong "unchanged" needs two versions of one entity to collide — about 2^-96 per change, never reached by any
/// number of entities (there is no birthday effect: versions of different entities are never compared). Event ids
/// still hash the full 256-bit fingerprint. 13 bytes keeps a user's hash entry at about 90 bytes in Redis.
/// </para>
/// </summary>
public static class RedisFingerprintEncoding
{
    private const byte DigestMarker = 0xFD;
    private const int StoredDigestBytes = 12;

    public static RedisValue Encode(string value)
    {
        if (value.Length != 64 || !IsLowerHex(value))
        {
            return value;
        }

        var bytes = new byte[1 + StoredDigestBytes];
        bytes[0] = DigestMarker;
        Convert.FromHexString(value.AsSpan(0, StoredDigestBytes * 2), bytes.AsSpan(1), out _, out _);
        return bytes;
    }

    public static string Decode(RedisValue value)
    {
        var bytes = (byte[])value!;
        return bytes.Length == 1 + StoredDigestBytes && bytes[0] == DigestMarker
            ? Convert.ToHexStringLower(bytes.AsSpan(1))
            : System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// True unless <paramref name="stored"/> is a 64-hex fingerprint of an earlier release (the only form the upgrade
    /// rewrites; any other bytes, text or binary, are left exactly as they are).
    /// </summary>
    public static bool IsCompact(RedisValue stored)
    {
        var bytes = (byte[])stored!;
        return bytes.Length != 64 || !bytes.All(b => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f'));
    }

    private static bool IsLowerHex(string value)
    {
        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
