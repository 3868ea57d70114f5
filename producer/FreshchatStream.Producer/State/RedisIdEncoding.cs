using StackExchange.Redis;

namespace FreshchatStream.Producer.State;

/// <summary>
/// How an entity id is written as a Redis hash field, sorted-set member or inside a conversation state. Freshchat
/// ids are lowercase UUIDs: 36 characters of text, 17 bytes here (a marker byte 0xFE, which never occurs in UTF-8,
/// then the 16 bytes of the hex digits). That halves every field and member and keeps a user's hash entry inside
/// Redis' 24-byte allocation class. Any other id (uppercase, numeric, custom) is written as its UTF-8 text, so the
/// encoding is lossless: <see cref="Decode(RedisValue)"/> returns exactly the id given to <see cref="Encode"/>.
/// </summary>
public static class RedisIdEncoding
{
    private const byte UuidMarker = 0xFE;
    private const int UuidLength = 36;

    public static RedisValue Encode(string id) => TryEncodeUuid(id) is { } bytes ? bytes : (RedisValue)id;

    /// <summary>True when <paramref name="id"/>'s stored form differs from its text (earlier releases stored the text).</summary>
    public static bool IsShortened(string id) => TryEncodeUuid(id) is not null;

    /// <summary>The bytes of <paramref name="id"/>'s stored form.</summary>
    public static byte[] EncodeBytes(string id) => TryEncodeUuid(id) ?? System.Text.Encoding.UTF8.GetBytes(id);

    public static string Decode(RedisValue value) => Decode(((byte[])value!).AsSpan());

    public static string Decode(ReadOnlySpan<byte> stored)
    {
        if (stored.Length == 17 && stored[0] == UuidMarker)
        {
            var hex = Convert.ToHexStringLower(stored[1..]);
            return string.Create(UuidLength, hex, static (span, h) =>
            {
                h.AsSpan(0, 8).CopyTo(span);
                span[8] = '-';
                h.AsSpan(8, 4).CopyTo(span[9..]);
                span[13] = '-';
                h.AsSpan(12, 4).CopyTo(span[14..]);
                span[18] = '-';
                h.AsSpan(16, 4).CopyTo(span[19..]);
                span[23] = '-';
                h.AsSpan(20, 12).CopyTo(span[24..]);
            });
        }

        return System.Text.Encoding.UTF8.GetString(stored);
    }

    /// <summary>True when <paramref name="stored"/> is already in the form <see cref="Encode"/> writes for the id it holds.</summary>
    public static bool IsCompact(RedisValue stored) => Encode(Decode(stored)).Equals(stored);

    private static byte[]? TryEncodeUuid(string id)
    {
        if (id.Length != UuidLength || id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-')
        {
            return null;
        }

        Span<char> hex = stackalloc char[32];
        var n = 0;
        foreach (var c in id)
        {
            if (c == '-')
            {
                continue;
            }

            // Lowercase only: an uppercase UUID would come back lowercase, a different id to every comparison.
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')) || n == 32)
            {
                return null;
            }

            hex[n++] = c;
        }

        if (n != 32)
        {
            return null;
        }

        var bytes = new byte[17];
        bytes[0] = UuidMarker;
        Convert.FromHexString(hex, bytes.AsSpan(1), out _, out _);
        return bytes;
    }
}
