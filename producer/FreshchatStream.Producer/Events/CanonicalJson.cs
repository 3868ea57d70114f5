using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FreshchatStream.Producer.Events;

/// <summary>
/// The canonical text of a JSON value, the input of <see cref="Fingerprint"/>: object members sorted by
/// ordinal (UTF-16) comparison of their names, recursively; array order kept; no whitespace; numbers written
/// exactly as returned; strings re-escaped minimally (<c>\"</c>, <c>\\</c>, <c>\b \f \n \r \t</c>, other
/// control characters as <c>\u00xx</c>, everything else literal). Two responses that differ only in member
/// order, whitespace or string escaping therefore have the same canonical text.
/// </summary>
public static class CanonicalJson
{
    public static string Write(JsonElement value)
    {
        var builder = new StringBuilder(256);
        Append(builder, value);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<JsonProperty>();
                foreach (var member in value.EnumerateObject())
                {
                    members.Add(member);
                }

                // Stable ordinal sort: duplicate names (invalid but possible) keep their response order.
                var ordered = members.Select((m, i) => (m, i))
                    .OrderBy(p => p.m.Name, StringComparer.Ordinal)
                    .ThenBy(p => p.i);
                builder.Append('{');
                var first = true;
                foreach (var (member, _) in ordered)
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    AppendString(builder, member.Name);
                    builder.Append(':');
                    Append(builder, member.Value);
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!firstItem)
                    {
                        builder.Append(',');
                    }

                    firstItem = false;
                    Append(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                AppendString(builder, value.GetString()!);
                break;
            case JsonValueKind.Number:
                builder.Append(value.GetRawText());
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Null:
                builder.Append("null");
                break;
            default:
                throw new ArgumentException($"Cannot canonicalise a JSON value of kind {value.ValueKind}.", nameof(value));
        }
    }

    private static void AppendString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
