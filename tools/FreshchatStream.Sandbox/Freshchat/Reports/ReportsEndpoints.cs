using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Endpoints;
using FreshchatStream.Sandbox.Freshchat.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FreshchatStream.Sandbox.Freshchat.Reports;

/// <summary>POST/GET /v2/reports/raw and the pre-signed download URLs (outside /v2, so no auth and no faults).</summary>
internal static class ReportsEndpoints
{
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(92);

    public static void Map(IEndpointRouteBuilder root, IEndpointRouteBuilder v2, ReportJobStore reports, EmulatorBehaviour behaviour)
    {
        v2.MapPost("/reports/raw", async (HttpRequest request) =>
        {
            var body = await ApiResults.ReadObjectAsync(request);
            if (body is null) return ApiResults.BadRequest("body must be a JSON object");
            var eventName = Text(body, "event");
            if (eventName is null || !ReportJobStore.EventNames.Contains(eventName, StringComparer.Ordinal))
                return ApiResults.BadRequest($"event must be one of {string.Join(", ", ReportJobStore.EventNames)}");
            if (Text(body, "format") != "csv") return ApiResults.BadRequest("format must be csv");
            if (!Timestamps.TryParse(Text(body, "start"), out var start) || !Timestamps.TryParse(Text(body, "end"), out var end))
                return ApiResults.BadRequest("start and end must be ISO-8601 timestamps");
            if (end <= start) return ApiResults.BadRequest("end must be after start");
            if (end - start > MaxRange.TotalMilliseconds) return ApiResults.BadRequest($"the range may span at most {MaxRange.TotalDays} days");
            var excludePii = body["should_exclude_pii"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
            var job = reports.Create(DateTimeOffset.FromUnixTimeMilliseconds(start), DateTimeOffset.FromUnixTimeMilliseconds(end), eventName, excludePii);
            return ApiResults.Json(ReportJobStore.Created(job), behaviour.ReportCreatedStatusCode);
        });

        v2.MapGet("/reports/raw/{id}", (string id) =>
            reports.Poll(id, behaviour) is { } job ? ApiResults.Json(job) : ApiResults.NotFound("REPORT_NOT_FOUND", "report not found"));

        root.MapGet("/_downloads/reports/{id}/{part:int}.zip", (string id, int part, HttpRequest request) =>
            reports.Download(id, part, request.Query["signature"].ToString(), behaviour) is { } zip
                ? Results.File(zip, "application/zip", $"{id}-{part}.zip")
                : Results.Text("<Error><Code>AccessDenied</Code></Error>", "application/xml", statusCode: StatusCodes.Status403Forbidden));
    }

    private static string? Text(JsonObject body, string name) => body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
