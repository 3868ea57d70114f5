namespace FreshchatStream.Producer.State;

/// <summary>The result of one acquisition attempt: whether this process now holds the lease, and the lease as the server saw it.</summary>
public sealed record LeaseAttempt(bool Acquired, LeaseStatus Status);
