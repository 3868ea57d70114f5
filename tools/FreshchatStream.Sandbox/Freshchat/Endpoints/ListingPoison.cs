using System.Text.Json.Nodes;

namespace FreshchatStream.Sandbox.Freshchat.Endpoints;

/// <summary>
/// Poison items (<see cref="EmulatorBehaviour.PoisonItems"/>) appended to the first page of one listing, fresh
/// nodes per response: a JSON string where an object belongs, an object without <c>id</c>, one whose
/// <c>created_time</c> is not a timestamp, and one too large for a Kafka record.
/// </summary>
internal static class ListingPoison
{
    public static IEnumerable<JsonNode> Add(string listing, int page, IEnumerable<JsonNode> items, EmulatorBehaviour behaviour)
    {
        var kinds = behaviour.PoisonItems.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (page != 1 || kinds.Length == 0 || !string.Equals(behaviour.PoisonListing, listing, StringComparison.OrdinalIgnoreCase)) return items;
        return [.. items, .. kinds.Select(kind => Item(kind, listing, behaviour)).OfType<JsonNode>()];
    }

    private static JsonNode? Item(string kind, string listing, EmulatorBehaviour behaviour) => kind.ToLowerInvariant() switch
    {
        "not_object" => JsonValue.Create($"poison {listing} item"),
        "missing_id" => new JsonObject { ["first_name"] = "Poison", ["name"] = "poison without id", ["created_time"] = "2025-06-01T00:00:00.000Z" },
        "unconvertible" => new JsonObject { ["id"] = $"poison-unconvertible-{listing}", ["name"] = "poison", ["created_time"] = "not a timestamp", ["updated_time"] = "never" },
        "oversized" => new JsonObject
        {
            ["id"] = $"poison-oversized-{listing}", ["name"] = "poison", ["first_name"] = new string('x', behaviour.PoisonOversizedBytes),
        },
        _ => null,
    };
}
