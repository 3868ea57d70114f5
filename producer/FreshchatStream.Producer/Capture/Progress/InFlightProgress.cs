using System.Text.Json;
using System.Text.Json.Serialization;

namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>
/// The value of <c>{KeyPrefix}:progress</c>: what the running instance is doing, refreshed every
/// <c>Observability:ProgressInterval</c> and read by <c>status</c> from another terminal.
/// </summary>
public sealed record InFlightProgress(
    [property: JsonPropertyName("instance")] string Instance,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("passes")] IReadOnlyList<InFlightPass> Passes)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    /// <summary>The stored value, or null when it is missing or unreadable (a newer or older writer).</summary>
    public static InFlightProgress? Load(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<InFlightProgress>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The lines <c>status</c> prints: one per pass, with done/known, requests, time left and when that was estimated.</summary>
    public string Describe()
    {
        var text = new System.Text.StringBuilder();
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"in flight on {Instance}, as of {Time(UpdatedAt)}:").AppendLine();
        foreach (var pass in Passes)
        {
            var count = pass.Known is { } known ? $"{ProgressLine.Number(pass.Done)} of ~{ProgressLine.Number(known)}" : $"{ProgressLine.Number(pass.Done)} (total unknown)";
            var left = ProgressLine.Left(pass.LeftSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"  {pass.Resource}: {count} {pass.Verb}, {ProgressLine.Number(pass.Events)} events acknowledged, {ProgressLine.Number(pass.Requests)} requests " +
                $"({ProgressLine.Number(pass.BudgetPerMinute)}/min budget), {left} (estimated at {Time(pass.EstimatedAt)})").AppendLine();
        }

        return text.ToString();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static InFlightProgress From(string instance, DateTimeOffset now, IEnumerable<ProgressReading> readings) =>
        new(instance, now, [.. readings.Select(r => new InFlightPass(r.Resource, r.Verb, r.Done, r.Known, r.Events, r.Requests, r.BudgetPerMinute,
            r.Left is { } left ? (long)left.TotalSeconds : null, r.EstimatedAt, r.EstimatedAt - r.Elapsed))]);
}
