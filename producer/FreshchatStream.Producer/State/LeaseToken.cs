namespace FreshchatStream.Producer.State;

/// <summary>The holder and epoch this process holds: what every fenced write presents.</summary>
public readonly record struct LeaseToken(string Holder, long Epoch);
