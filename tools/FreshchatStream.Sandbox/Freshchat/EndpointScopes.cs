namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>
/// The token scope each emulated endpoint requires, for <see cref="EmulatorBehaviour.ForbiddenScopes"/>. Only
/// <c>reports:extract</c>, <c>role:read</c> and <c>outboundmessage:get</c> were seen in a real token; the rest follow
/// the same pattern.
/// </summary>
public static class EndpointScopes
{
    /// <summary>The scope a /v2 path needs (e.g. <c>/v2/reports/raw</c> → <c>reports:extract</c>).</summary>
    public static string For(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var start = segments.Length > 0 && segments[0] == "v2" ? 1 : 0;
        var resource = segments.Length > start ? segments[start] : "";
        var sub = segments.Length > start + 2 ? segments[start + 2] : null;
        return resource switch
        {
            "reports" => "reports:extract",
            "outbound-messages" => "outboundmessage:get",
            "roles" => "role:read",
            "agents" => "agent:read",
            "groups" => "group:read",
            "channels" => "channel:read",
            "conversations" => "conversation:read",
            "users" when sub == "conversations" => "conversation:read",
            "users" => "user:read",
            "accounts" => "account:read",
            _ => resource + ":read",
        };
    }

    /// <summary>Whether <paramref name="path"/> is forbidden under the comma-separated <paramref name="forbiddenScopes"/> (<c>*</c> = all).</summary>
    public static bool IsForbidden(string path, string forbiddenScopes)
    {
        if (string.IsNullOrWhiteSpace(forbiddenScopes)) return false;
        var scopes = forbiddenScopes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return scopes.Contains("*") || scopes.Contains(For(path), StringComparer.OrdinalIgnoreCase);
    }
}
