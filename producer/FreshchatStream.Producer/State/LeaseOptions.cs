using System.Security.Cryptography;

namespace FreshchatStream.Producer.State;

/// <summary>
/// The single-writer lease of an account (<c>Capture:InstanceId</c>, <c>Capture:LeaseTtl</c>,
/// <c>Capture:LeaseWaitTimeout</c>), bound from the <c>Capture</c> section beside <c>CaptureOptions</c>: the
/// lease belongs to the state store, which commands without a capture engine (<c>reset</c>) still fence.
/// </summary>
public sealed class LeaseOptions
{
    public const string Section = "Capture";

    /// <summary>
    /// This process's default identity: host, process id and 4 random hex digits, so two processes on one host, or
    /// a restarted one, never share it.
    /// </summary>
    public static readonly string DefaultInstanceId =
        $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{RandomNumberGenerator.GetHexString(4, lowercase: true)}";

    /// <summary>Who holds the lease, in the lease hash, <c>status</c>, logs and the Freshchat User-Agent; default <see cref="DefaultInstanceId"/>.</summary>
    public string? InstanceId { get; set; }

    /// <summary>How long a lease lives without renewal; renewed every third of it. A crashed holder is replaced after at most this plus one standby poll.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long <c>run --once</c>, <c>snapshot</c> and <c>reset</c> wait for a lease another instance holds before exiting 3.</summary>
    public TimeSpan LeaseWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><see cref="InstanceId"/> when set, else <see cref="DefaultInstanceId"/>.</summary>
    public string ResolvedInstanceId => string.IsNullOrEmpty(InstanceId) ? DefaultInstanceId : InstanceId;

    /// <summary>How often the holder renews and a standby retries: a third of <see cref="LeaseTtl"/>.</summary>
    public TimeSpan RenewInterval => LeaseTtl / 3;
}
