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
    public bool IsCompleted => string.Equals(Status, "COMPLETED", StringComparison.OrdinalIgnoreCase);
    public bool IsFailed => string.Equals(Status, "FAILED", StringComparison.OrdinalIgnoreCase);

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
