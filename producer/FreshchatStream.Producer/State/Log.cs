using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.State;

/// <summary>Every <c>[LoggerMessage]</c> of this folder, so event ids, levels and texts are read and reviewed in one place.</summary>
internal static partial class Log
{
    // CaptureLease
    [LoggerMessage(EventId = 780, Level = LogLevel.Information, Message = "Lease acquired: account {Account}, epoch {Epoch}, holder {Holder}, expires {ExpiresAt}")]
    internal static partial void LeaseAcquired(ILogger logger, string account, long epoch, string holder, string expiresAt);

    [LoggerMessage(EventId = 781, Level = LogLevel.Warning, Message = "Lease lost: account {Account}, epoch {Epoch}: {Reason}; capture of the account stops, nothing more is committed")]
    internal static partial void LeaseLost(ILogger logger, string account, long epoch, string reason);

    [LoggerMessage(EventId = 782, Level = LogLevel.Warning, Message = "Lease renewal failed for account {Account}: {Reason}; retrying until Capture:LeaseTtl has passed")]
    internal static partial void LeaseRenewalFailed(ILogger logger, string account, string reason);

    [LoggerMessage(EventId = 783, Level = LogLevel.Information, Message = "Lease released: account {Account}, epoch {Epoch}")]
    internal static partial void LeaseReleased(ILogger logger, string account, long epoch);

    [LoggerMessage(EventId = 784, Level = LogLevel.Information, Message = "Waiting for the lease of account {Account}, held by {Holder} (epoch {Epoch})")]
    internal static partial void LeaseWaiting(ILogger logger, string account, string holder, long epoch);

    // RedisCursorStore
    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "No previous capture state under Redis prefix {Prefix}; starting from the beginning")]
    internal static partial void StateCreated(ILogger logger, string prefix);

    [LoggerMessage(EventId = 222, Level = LogLevel.Information, Message = "Capture state under Redis prefix {Prefix} is now in format {Format}; {Rewritten} stored value(s) rewritten")]
    internal static partial void StateUpgraded(ILogger logger, string prefix, int format, long rewritten);

    [LoggerMessage(EventId = 221, Level = LogLevel.Information, Message = "Reset {Resource} state under Redis prefix {Prefix}")]
    internal static partial void StateReset(ILogger logger, string resource, string prefix);
}
