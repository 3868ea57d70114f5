using System.Text;

namespace FreshchatStream.Producer.Events;

/// <summary>
/// The record key of an event: <c>{id}</c>, or <c>{conversation_id, id}</c> for messages. Its
/// <see cref="CanonicalJson"/> (e.g. <c>{"conversation_id":"c1","id":"m1"}</c>) is what <see cref="EventIds"/>
/// hashes and what dead-letter headers show.
/// </summary>
public sealed record ChangeEventKey
{
    public ChangeEventKey(string id, string? conversationId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (conversationId is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(conversationId);
        }

        Id = id;
        ConversationId = conversationId;

        // Computed once: every event id hashes it, and it is derived from the two ids only, so equality is unchanged.
        CanonicalJson = conversationId is null
            ? $"{{\"id\":{Quote(id)}}}"
            : $"{{\"conversation_id\":{Quote(conversationId)},\"id\":{Quote(id)}}}";
    }

    public string Id { get; }

    /// <summary>Set only on message keys.</summary>
    public string? ConversationId { get; }

    public string CanonicalJson { get; }

    public override string ToString() => CanonicalJson;

    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                < ' ' => builder.Append($"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }
}
