using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.State;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>
/// Which backfilled users need their conversation list read. A conversation is created after its user, so the
/// <c>Conversation-Created</c> discovery report read from a horizon (<c>Capture:Conversations:DiscoveryLookback</c>
/// before the first cycle) to now names every conversation of a user created after that horizon: only users created
/// before it (or without a <c>created_time</c>) are queued for <c>GET /users/{id}/conversations</c>. The horizon is
/// stored (<see cref="MetaFields.DiscoveryHorizon"/>) in the commit of the first events that relied on it, and the
/// report's first window starts there, so a crash or a later cycle cannot leave a gap. A first listing that skipped
/// fewer list reads than the report back to the horizon costs (<see cref="ReportCost"/>, e.g. a small account) queues
/// them after all and drops the horizon, and the report starts at <c>Capture:Reports:Lookback</c> as before. Should the report prove
/// unusable (403, or rows without conversation ids) before it reached the backfill, every user created after the
/// horizon is queued after all (<see cref="ConversationsCapture"/>); once it reached it, the horizon is cleared.
/// </summary>
public static class BackfillDiscovery
{
    /// <summary>
    /// The horizon the users pass of <paramref name="context"/> may rely on, or null when every new user must be
    /// queued: not the first listing, a re-capture after a state loss (incremental users are queued as before), discovery report off or published by
    /// <c>ReportsCapture</c>, report known unusable or forbidden, or a report already under way without a stored horizon.
    /// </summary>
    public static DateTimeOffset? UsableHorizon(CaptureContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A re-capture after a state loss (first-seen op r) queues every user, as before: it is rare, and the
        // conversations' schedule it rebuilds should not wait on report jobs.
        if (context.Mode != CaptureMode.Changes || context.FirstSeenOp != ChangeOp.Create || context.Cursor(CaptureCatalogue.Users).HighWaterMark is not null || !Applies(context)
            || !string.IsNullOrEmpty(context.Meta.GetValueOrDefault(MetaFields.DiscoveryReportUnusable)) || ReportDiscovery.AwaitsRetry(context))
        {
            return null;
        }

        if (StoredHorizon(context.Meta) is { } stored)
        {
            return stored;
        }

        var state = ReportWindowState.Of(context.Cursor(CaptureCatalogue.Conversations), context.Options.Conversations.DiscoveryReport!);
        return state.WindowEnd is null && state.JobId is null ? context.Now - context.Options.Conversations.DiscoveryLookback : null;
    }

    /// <summary>Whether report-based backfill discovery is configured for this run at all.</summary>
    public static bool Applies(CaptureContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var eventName = context.Options.Conversations.DiscoveryReport;
        return context.Options.Conversations.DiscoveryLookback > TimeSpan.Zero && !string.IsNullOrWhiteSpace(eventName)
               && !(context.Selected.Contains(CaptureCatalogue.ReportEvents) && context.Options.Reports.EventNames().Contains(eventName))
               && (context.Selected.Contains(CaptureCatalogue.Conversations) || context.Selected.Contains(CaptureCatalogue.Messages));
    }

    /// <summary>
    /// Where the discovery report's first window starts, from the meta as committed now (the users pass of the same
    /// cycle decides): the horizon a backfill relied on, else <c>Capture:Reports:Lookback</c> back.
    /// </summary>
    public static DateTimeOffset FirstWindowStart(CaptureContext context, IReadOnlyDictionary<string, string> meta)
    {
        ArgumentNullException.ThrowIfNull(context);
        return StoredHorizon(meta) ?? context.Now - context.Options.Reports.Lookback;
    }

    /// <summary>
    /// What reading the report back to the horizon costs, in requests: per window a <c>POST</c> and two status polls,
    /// and one download per day (the emulator's split; the real split is UNCONFIRMED, Swagger's example links span a
    /// week). A backfill that would skip no more list reads than this reads them instead (<see cref="UsersCapture"/>).
    /// </summary>
    public static long ReportCost(ConversationCaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var windows = (long)Math.Ceiling(options.DiscoveryLookback / options.DiscoveryWindow);
        return windows * 3 + (long)Math.Ceiling(options.DiscoveryLookback.TotalDays);
    }

    /// <summary>
    /// Whether the report covers <paramref name="user"/>'s conversations: created strictly after the horizon (whether
    /// the report's start bound is inclusive is not documented).
    /// </summary>
    public static bool CoveredByReport(FreshchatUser user, DateTimeOffset horizon)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.CreatedTime is { } created && created > horizon;
    }

    public static DateTimeOffset? StoredHorizon(IReadOnlyDictionary<string, string> meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return MetaFields.ParseTime(meta.GetValueOrDefault(MetaFields.DiscoveryHorizon));
    }
}
