namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>How many requests one <c>User-Agent</c> made, and when the first and the last arrived (wall clock).</summary>
public sealed record UserAgentTally(long Requests, DateTimeOffset First, DateTimeOffset Last);
