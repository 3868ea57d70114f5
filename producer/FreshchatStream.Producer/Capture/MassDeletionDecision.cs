namespace FreshchatStream.Producer.Capture;

/// <summary>Whether held deletions may proceed, since when they were first held, and the meta value to store (empty to clear).</summary>
public readonly record struct MassDeletionDecision(bool Proceed, DateTimeOffset HeldSince, string State);
