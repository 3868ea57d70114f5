namespace FreshchatStream.Producer.State;

/// <summary>
/// The account's lease stayed with another instance for all of <c>Capture:LeaseWaitTimeout</c>: a command that
/// needs it (<c>run --once</c>, <c>snapshot</c>, <c>reset</c>) exits 3 naming the holder.
/// </summary>
public sealed class LeaseUnavailableException(string account, LeaseStatus status, TimeSpan waited)
    : Exception($"account {account} is captured by {status.Holder} (epoch {status.Epoch}, lease expires {(status.ExpiresAt is { } at ? LeaseStatus.Format(at) : "-")}); " +
                $"gave up after Capture:LeaseWaitTimeout ({waited}). Stop that instance or wait for it to finish.")
{
    public LeaseStatus Status { get; } = status;
}
