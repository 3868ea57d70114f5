using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.State;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// When the catalogues that have no change feed and rarely change (account configuration, roles, groups, channels)
/// are listed: at most every <c>Capture:CatalogueInterval</c> instead of every cycle. Their listings are a fixed cost
/// per cycle that dominates the requests of a quiet account with webhooks. Agents stay every cycle: their availability
/// is a product feature whose latency is the poll interval.
/// </summary>
public static class CatalogueCadence
{
    /// <summary>Whether <paramref name="strategy"/> is listed at <c>Capture:CatalogueInterval</c> rather than every cycle.</summary>
    public static bool IsPaced(Type strategy) =>
        strategy == typeof(AccountConfigurationCapture) || strategy == typeof(RolesCapture)
        || strategy == typeof(GroupsCapture) || strategy == typeof(ChannelsCapture);

    /// <summary>
    /// When the listing of <paramref name="served"/> is next due, if that is later than <paramref name="now"/>; null when it
    /// runs this cycle. Always due: with the interval 0, in a snapshot, a <c>--once</c> run or the first cycle of a process,
    /// while a lost state store is re-captured, after a failed or never completed listing, and once
    /// <c>Capture:ReconcileInterval</c> has passed (so reconciliation still sees everything). The due time derives from
    /// the last successful listing, which is committed with its batch and so survives restarts.
    /// </summary>
    public static DateTimeOffset? DeferredUntil(IReadOnlyList<string> served, CaptureRun run, bool firstCycleOfProcess,
        IReadOnlyDictionary<string, string> meta, CaptureOptions options, DateTimeOffset now)
    {
        var interval = options.ReconcileInterval > TimeSpan.Zero && options.ReconcileInterval < options.CatalogueInterval
            ? options.ReconcileInterval
            : options.CatalogueInterval;
        if (interval <= TimeSpan.Zero || run.Push || run.Once || run.Mode != CaptureMode.Changes || firstCycleOfProcess
            || !string.IsNullOrEmpty(meta.GetValueOrDefault(MetaFields.Resnapshot)))
        {
            return null;
        }

        DateTimeOffset? due = null;
        foreach (var resource in served)
        {
            if (!string.IsNullOrEmpty(meta.GetValueOrDefault(MetaFields.LastError(resource)))
                || MetaFields.ParseTime(meta.GetValueOrDefault(MetaFields.LastSuccessAt(resource))) is not { } last
                || last > now // a clock set back must not defer the listing for longer than the interval
                || now - last >= interval)
            {
                return null;
            }

            var next = last + interval;
            due = due is { } earlier && earlier < next ? earlier : next;
        }

        return due;
    }
}
