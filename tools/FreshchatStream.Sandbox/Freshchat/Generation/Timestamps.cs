using System.Globalization;

namespace FreshchatStream.Sandbox.Freshchat.Generation;

/// <summary>The API's timestamp forms: JSON uses yyyy-MM-ddTHH:mm:ss.fffZ; report intervals use yyyy-MM-dd HH:mm:ss.f.</summary>
internal static class Timestamps
{
    public static string Format(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Format(DateTimeOffset time) => Format(time.ToUnixTimeMilliseconds());

    public static string FormatInterval(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.f", CultureInfo.InvariantCulture);

    public static string FormatSeconds(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses an ISO-8601 query value; values without an offset are taken as UTC.</summary>
    public static bool TryParse(string? value, out long unixMs)
    {
        unixMs = 0;
        if (string.IsNullOrWhiteSpace(value)) return false;
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)) return false;
        unixMs = parsed.ToUnixTimeMilliseconds();
        return true;
    }
}
