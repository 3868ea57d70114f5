using System.Text.Json.Serialization;

namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>One pass in <see cref="InFlightProgress"/>; <see cref="LeftSeconds"/> is absent while the estimate is unknown.</summary>
public sealed record InFlightPass(
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("verb")] string Verb,
    [property: JsonPropertyName("done")] long Done,
    [property: JsonPropertyName("known")] long? Known,
    [property: JsonPropertyName("events")] int Events,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("budget_per_minute")] int BudgetPerMinute,
    [property: JsonPropertyName("left_seconds")] long? LeftSeconds,
    [property: JsonPropertyName("estimated_at")] DateTimeOffset EstimatedAt,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt);
