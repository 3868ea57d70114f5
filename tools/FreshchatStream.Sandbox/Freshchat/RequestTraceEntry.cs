namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>One request <see cref="RequestCounter"/> kept: when it arrived, its route template and its path with the query.</summary>
public sealed record RequestTraceEntry(DateTimeOffset At, string Endpoint, string Target);
