using System.Globalization;

namespace FreshchatStream.Producer.State;

/// <summary>
/// What the lease hash says, read with the Redis server's clock (<see cref="ServerTime"/>): the holder (null after
/// a release or before the first acquisition), the fencing epoch (never decreases) and the expiry.
/// </summary>
public sealed record LeaseStatus(string? Holder, long Epoch, DateTimeOffset? ExpiresAt, DateTimeOffset ServerTime)
{
    /// <summary>Someone holds it and it has not expired by the server's clock.</summary>
    public bool IsHeld => Holder is { Length: > 0 } && ExpiresAt > ServerTime;

    /// <summary>For <c>status</c> and error lines: <c>held by H (epoch E), expires T (in 9 s)</c> or <c>free (epoch E)</c>.</summary>
    public string Describe() => IsHeld
        ? $"held by {Holder} (epoch {Epoch}), expires {Format(ExpiresAt!.Value)} (in {Math.Ceiling((ExpiresAt.Value - ServerTime).TotalSeconds).ToString(CultureInfo.InvariantCulture)} s)"
        : $"free (epoch {Epoch}{(Holder is { Length: > 0 } ? $", last held by {Holder}, expired" : "")})";

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
