using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FreshchatStream.Sandbox.Freshchat.Endpoints;

/// <summary>/_sandbox/behaviour, /_sandbox/faults and /_sandbox/requests: read and change the run-time knobs over HTTP.</summary>
internal static class SandboxControlEndpoints
{
    public static void Map(IEndpointRouteBuilder sandbox, EmulatorBehaviour behaviour, EmulatorFaults faults, RequestCounter requests)
    {
        sandbox.MapGet("/behaviour", () => ApiResults.Json(Describe(behaviour)));
        sandbox.MapMethods("/behaviour", ["PATCH", "PUT"], (JsonObject body) => Apply(behaviour, body) is { } error
            ? ApiResults.BadRequest(error) : ApiResults.Json(Describe(behaviour)));

        sandbox.MapGet("/faults", () => ApiResults.Json(DescribeFaults(faults)));
        sandbox.MapMethods("/faults", ["PATCH", "PUT"], (JsonObject body) =>
        {
            var timeSpans = new[] { ("latency_ms", (Action<double>)(ms => faults.Latency = TimeSpan.FromMilliseconds(ms))),
                ("rate_limit_window_seconds", s => faults.RateLimitWindow = TimeSpan.FromSeconds(s)) };
            foreach (var (name, set) in timeSpans)
            {
                if (body[name] is not JsonValue v) continue;
                if (!v.TryGetValue<double>(out var number)) return ApiResults.BadRequest($"{name} must be a number");
                set(number);
                body.Remove(name);
            }
            if (body.ContainsKey("rate_limit_per_minute") && body["rate_limit_per_minute"] is null)
            {
                faults.RateLimitPerMinute = null;
                body.Remove("rate_limit_per_minute");
            }
            return Apply(faults, body) is { } error ? ApiResults.BadRequest(error) : ApiResults.Json(DescribeFaults(faults));
        });
        sandbox.MapPost("/faults/queue", (JsonObject body) =>
        {
            if (!Enum.TryParse<FaultKind>(SandboxEndpoints.Text(body, "kind"), ignoreCase: true, out var kind))
                return ApiResults.BadRequest($"kind must be one of {string.Join(", ", Enum.GetNames<FaultKind>())}");
            var count = body["count"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : 1;
            faults.Enqueue(kind, SandboxEndpoints.Text(body, "path_contains"), count);
            return ApiResults.Json(DescribeFaults(faults));
        });
        sandbox.MapDelete("/faults", () =>
        {
            faults.Clear();
            return ApiResults.Json(DescribeFaults(faults));
        });

        sandbox.MapGet("/requests", () => ApiResults.Json(new JsonObject
        {
            ["total"] = requests.Total,
            ["throttled"] = requests.Throttled,
            ["by_endpoint"] = new JsonObject([.. requests.Snapshot().OrderBy(p => p.Key).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
            ["by_user_agent"] = new JsonObject([.. requests.ByUserAgent().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject
            {
                ["requests"] = p.Value.Requests, ["first"] = p.Value.First.ToString("O"), ["last"] = p.Value.Last.ToString("O"),
            }))]),
        }));
        sandbox.MapDelete("/requests", () =>
        {
            requests.Reset();
            return Results.NoContent();
        });
    }

    private static JsonObject DescribeFaults(EmulatorFaults faults)
    {
        var described = Describe(faults);
        described["latency_ms"] = faults.Latency.TotalMilliseconds;
        described["rate_limit_window_seconds"] = faults.RateLimitWindow.TotalSeconds;
        described["pending_queued_faults"] = faults.PendingQueuedFaults;
        return described;
    }

    private static JsonObject Describe(object target) => SettingsReflection.Describe(target);

    private static string? Apply(object target, JsonObject body) => SettingsReflection.Apply(target, body);
}
