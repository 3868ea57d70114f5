using System.Globalization;
using System.Text.Json.Nodes;
using FreshchatStream.Producer.Capture;

namespace FreshchatStream.Producer.Events;

/// <summary>
/// One CSV row of a raw (Extract API) report as a <c>report_events</c> entity:
/// <c>{id, event, window_start, window_end, row_number, row{column: text}}</c> with
/// <c>id = "{event}:{window start epoch ms}:{row_number}"</c>, stable across re-downloads of the same window.
/// </summary>
public static class ReportEventRow
{
    public static string Id(string eventName, DateTimeOffset windowStart, long rowNumber) =>
        string.Create(CultureInfo.InvariantCulture, $"{eventName}:{windowStart.ToUnixTimeMilliseconds()}:{rowNumber}");

    public static JsonObject Create(string eventName, DateTimeOffset windowStart, DateTimeOffset windowEnd, long rowNumber, IEnumerable<KeyValuePair<string, string>> columns)
    {
        var row = new JsonObject();
        foreach (var (name, value) in columns)
        {
            row[name] = value;
        }

        return new JsonObject
        {
            ["id"] = Id(eventName, windowStart, rowNumber),
            ["event"] = eventName,
            ["window_start"] = AgentAvailabilityTransition.Iso(windowStart),
            ["window_end"] = AgentAvailabilityTransition.Iso(windowEnd),
            ["row_number"] = rowNumber,
            ["row"] = row,
        };
    }

    /// <summary>A <c>c</c> event on <c>report_events</c> for one row.</summary>
    public static ChangeEvent ToChangeEvent(JsonObject reportRow, DateTimeOffset capturedAt, string account, string endpoint = "/v2/reports/raw") =>
        ChangeEvent.ForEntity(CaptureCatalogue.ReportEventsTopic, ChangeOp.Create, reportRow, capturedAt, account, endpoint);
}
