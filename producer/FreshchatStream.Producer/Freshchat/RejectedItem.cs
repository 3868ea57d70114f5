namespace FreshchatStream.Producer.Freshchat;

/// <summary>One listing item set aside: the resource it was listed for, the endpoint, why, and its raw JSON text.</summary>
public sealed record RejectedItem(string Resource, string Endpoint, string Reason, string RawText);
