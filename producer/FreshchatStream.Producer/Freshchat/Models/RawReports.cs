using System.Globalization;
using System.Text.Json;

namespace FreshchatStream.Producer.Freshchat.Models;

/// <summary>Body of <c>POST /reports/raw</c>.</summary>
public sealed record RawReportRequest(string Event, DateTimeOffset Start, DateTimeOffset End, bool? ExcludePii = null);

/// <summary>
/// A raw report job. <see cref="Status"/> is <c>PENDING</c>, <c>COMPLETED</c> or <c>FAILED</c> (kept as a
/// string); a completed job has one or more <see cref="Links"/>, each a ZIP holding one CSV.
/// </summary>
public sealed class RawReportJob(JsonElement json) : FreshchatRecord(json)
{
    public string Id => GetString("id") ?? throw new InvalidDataException("A raw report job without 'id'.");
    public string? Status => GetString("status");
    public bool IsCompleted => IsDone(Status);
    public bool IsFailed => string.Equals(Status, "FAILED", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The own status of every <c>links[]</c> item (PENDING / IN_PROGRESS / FAILED / SUCCESS / COMPLETED), null where
    /// an item has none. A job can be COMPLETED while a link is not.
    /// </summary>
    public IReadOnlyList<string?> LinkStatuses =>
        Json.TryGetProperty("links", out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).Select(i => new FreshchatRecord(i).GetString("status"))]
            : [];

    /// <summary>Some link FAILED: the window's data is incomplete whatever the job's own status says.</summary>
    public bool HasFailedLink => LinkStatuses.Any(s => string.Equals(s, "FAILED", StringComparison.OrdinalIgnoreCase));

    /// <summary>The job is done and so is every link (a link without a status counts as its job's): its rows can be read and the window committed.</summary>
    public bool IsReady => IsCompleted && !HasFailedLink && LinkStatuses.All(s => s is null || IsDone(s));

    /// <summary>SUCCESS or COMPLETED.</summary>
    public static bool IsDone(string? status) =>
        string.Equals(status, "COMPLETED", StringComparison.OrdinalIgnoreCase) || string.Equals(status, "SUCCESS", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The job's <c>interval</c> (<c>yyyy-MM-dd HH:mm:ss.S</c> pairs, read as UTC), or null when missing or unreadable.
    /// The separator is UNCONFIRMED: Swagger shows <c>_</c>, the Extract KB a space; both are accepted.
    /// </summary>
    public RawReportInterval? Interval => GetString("interval") is { } text ? RawReportInterval.TryParse(text) : null;

    /// <summary>Download links of the (sub-)reports: the v2 <c>links[]</c> form or the older single <c>link</c>.</summary>
    public IReadOnlyList<RawReportLink> Links
    {
        get
        {
            var links = new List<RawReportLink>();
            if (Json.TryGetProperty("links", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in array.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("link", out var link) && link.ValueKind == JsonValueKind.Object
                        && new FreshchatRecord(link).GetString("href") is { } href)
                    {
                        var entry = new FreshchatRecord(item);
                        links.Add(new RawReportLink(href, entry.GetTimestamp("from"), entry.GetTimestamp("to"), entry.GetString("status")));
                    }
                }
            }
            else if (IsCompleted && Json.TryGetProperty("link", out var single) && single.ValueKind == JsonValueKind.Object
                     && new FreshchatRecord(single).GetString("href") is { } href && !href.Contains("/reports/raw/" + Id, StringComparison.Ordinal))
            {
                links.Add(new RawReportLink(href, null, null, Status));
            }

            return links;
        }
    }
}

/// <summary>One downloadable part of a raw report.</summary>
public sealed record RawReportLink(string Href, DateTimeOffset? From, DateTimeOffset? To, string? Status);

/// <summary>One CSV row of a raw report: the header names mapped to the row's values, in column order.</summary>
public sealed record RawReportRow(string Event, RawReportLink Source, long RowNumber, IReadOnlyList<KeyValuePair<string, string>> Columns);

/// <summary>The time window a raw report job covers, as its <c>interval</c> text states it.</summary>
public sealed record RawReportInterval(DateTimeOffset Start, DateTimeOffset End)
{
    private static readonly string[] Formats = ["yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'"];

    /// <summary>Reads <c>start_end</c> (Swagger) or <c>start end</c> (Extract KB), each <c>yyyy-MM-dd HH:mm:ss.S</c>; null when neither fits.</summary>
    public static RawReportInterval? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var underscore = text.Split('_', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (underscore.Length == 2 && Parse(underscore[0]) is { } start && Parse(underscore[1]) is { } end)
        {
            return new RawReportInterval(start, end);
        }

        // Space-separated: each side itself holds a space between date and time, so split into four tokens.
        var tokens = text.Split(' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return tokens.Length == 4 && Parse($"{tokens[0]} {tokens[1]}") is { } from && Parse($"{tokens[2]} {tokens[3]}") is { } to
            ? new RawReportInterval(from, to)
            : null;
    }

    private static DateTimeOffset? Parse(string value) =>
        DateTimeOffset.TryParseExact(value, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
}
