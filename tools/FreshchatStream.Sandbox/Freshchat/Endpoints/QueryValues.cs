using Microsoft.AspNetCore.Http;
using FreshchatStream.Sandbox.Freshchat.Generation;

namespace FreshchatStream.Sandbox.Freshchat.Endpoints;

/// <summary>Typed reads of optional query parameters that answer 400 on malformed values.</summary>
internal static class QueryValues
{
    public static string? Text(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        return value.Length == 0 ? null : value;
    }

    public static bool TryTime(HttpRequest request, string name, out long? unixMs, out IResult? error)
    {
        unixMs = null;
        error = null;
        var raw = Text(request, name);
        if (raw is null) return true;
        if (!Timestamps.TryParse(raw, out var ms))
        {
            error = ApiResults.BadRequest($"{name} must be an ISO-8601 timestamp such as 2020-01-01T00:00:00.000Z");
            return false;
        }
        unixMs = ms;
        return true;
    }

    public static bool TryBool(HttpRequest request, string name, out bool? value, out IResult? error)
    {
        value = null;
        error = null;
        var raw = Text(request, name);
        if (raw is null) return true;
        if (!bool.TryParse(raw, out var parsed))
        {
            error = ApiResults.BadRequest($"{name} must be true or false");
            return false;
        }
        value = parsed;
        return true;
    }

    public static bool TrySortOrder(HttpRequest request, out bool descending, out IResult? error)
    {
        descending = false;
        error = null;
        var raw = Text(request, "sort_order");
        if (raw is null || raw.Equals("asc", StringComparison.OrdinalIgnoreCase)) return true;
        if (raw.Equals("desc", StringComparison.OrdinalIgnoreCase)) { descending = true; return true; }
        error = ApiResults.BadRequest("sort_order must be asc or desc");
        return false;
    }
}
