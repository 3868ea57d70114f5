namespace FreshchatStream.Producer.Freshchat.Pagination;

/// <summary>Reads and rewrites the <c>from_time</c> of a messages <c>link.href</c>, keeping every other parameter as the server wrote it.</summary>
public static class MessageLinks
{
    private const string FromTime = "from_time";

    public static bool HasFromTime(string href) => Parameters(href).Any(p => IsFromTime(p));

    /// <summary><paramref name="href"/> with its <c>from_time</c> set to <paramref name="isoTime"/> (escaped here).</summary>
    public static string WithFromTime(string href, string isoTime)
    {
        var question = href.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return href;
        }

        var rewritten = Parameters(href).Select(p => IsFromTime(p) ? $"{FromTime}={Uri.EscapeDataString(isoTime)}" : p);
        return $"{href[..question]}?{string.Join('&', rewritten)}";
    }

    private static IEnumerable<string> Parameters(string href)
    {
        var question = href.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? [] : href[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool IsFromTime(string parameter) =>
        parameter.Equals(FromTime, StringComparison.Ordinal) || parameter.StartsWith(FromTime + "=", StringComparison.Ordinal);
}
