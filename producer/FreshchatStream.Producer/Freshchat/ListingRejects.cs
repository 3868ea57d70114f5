using System.Collections.Concurrent;
using System.Text.Json;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// Items of a listing that cannot become records — not a JSON object, or without their id — set aside by
/// <see cref="FreshchatClient"/> where it parses list items, for every resource alike. The walk goes on past
/// them; the capture cycle drains them into the pass that read them, which dead-letters them before it commits
/// its cursor, so one malformed item can neither stop capture nor be lost silently.
/// </summary>
public sealed class ListingRejects
{
    /// <summary>Raw text beyond this many characters is cut: a dead letter must stay under Kafka's record limit.</summary>
    public const int MaxRawLength = 100_000;

    private readonly ConcurrentQueue<RejectedItem> _items = new();

    /// <summary>Why <paramref name="item"/> cannot become a record of a list whose items carry <paramref name="idProperty"/>; null when it can.</summary>
    public static string? ReasonToReject(JsonElement item, string idProperty)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return $"not a JSON object (a JSON {item.ValueKind.ToString().ToLowerInvariant()})";
        }

        var hasId = item.TryGetProperty(idProperty, out var id)
                    && id.ValueKind is JsonValueKind.String or JsonValueKind.Number
                    && !string.IsNullOrWhiteSpace(id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText());
        return hasId ? null : $"no '{idProperty}'";
    }

    public void Add(RejectedItem item) => _items.Enqueue(item);

    /// <summary>Everything set aside since the last drain.</summary>
    public IReadOnlyList<RejectedItem> Drain()
    {
        var drained = new List<RejectedItem>();
        while (_items.TryDequeue(out var item))
        {
            drained.Add(item);
        }

        return drained;
    }

    public static RejectedItem Create(string resource, string endpoint, string reason, JsonElement item)
    {
        var raw = item.GetRawText();
        return new RejectedItem(resource, endpoint, reason, raw.Length > MaxRawLength ? raw[..MaxRawLength] : raw);
    }
}
