using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.State;
using FreshchatStream.Producer.Webhooks;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>
/// Users, the one large list. Each cycle reads only users created since the high-water mark (minus
/// <c>Capture:Overlap</c>, de-duplicated by fingerprint so equal or late timestamps neither drop nor repeat a
/// user) and — when the server honours <c>updated_from</c>, probed once per process — users updated since the
/// last cycle. A full reconciliation listing runs at <c>Capture:ReconcileInterval</c> (and on the first run):
/// it finds changes the server cannot filter for and deletions, each confirmed by <c>GET /users/{id}</c> → 404.
/// </summary>
public sealed class UsersCapture(ILogger<UsersCapture> logger, WebhookActivity? webhooks = null) : FingerprintScanCapture<FreshchatUser>(logger)
{
    /// <summary>The <c>created_from</c> of a full listing: before any Freshchat account existed.</summary>
    public static readonly DateTimeOffset Beginning = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Every user scan asks for <c>sort_by=created_time&amp;sort_order=asc</c> (PostHog's production client sends an
    /// explicit order too; the server's default is UNCONFIRMED). Oldest first matches the <c>created_from</c>
    /// high-water mark: a user created during the scan lands after the last page instead of pushing the rows of
    /// pages not yet read one place further, and an edit does not move a user, as <c>updated_time</c> order would.
    /// </summary>
    public const string SortBy = "created_time";

    /// <inheritdoc cref="SortBy"/>
    public const string SortOrder = "asc";

    /// <summary>Cursor property: the cycle start up to which updates were read with <c>updated_from</c>.</summary>
    public const string UpdatedHighWaterMark = "updated_hwm";

    /// <summary>Cursor time: the newest <c>updated_time</c> listed so far (Freshchat's clock).</summary>
    public const string NewestUpdateSeen = "updated_seen";

    /// <summary>Cursor time: when the whole <c>Capture:Overlap</c> window of the <c>updated_from</c> listing was last read (this host's clock).</summary>
    public const string OverlapReadAt = "overlap_read_at";

    /// <summary>How far before the newest <c>updated_time</c> seen a narrow listing starts: equal stamps, whichever way <c>updated_from</c> treats its bound.</summary>
    private static readonly TimeSpan NarrowMargin = TimeSpan.FromSeconds(1);

    private UpdatedFilterSupport? _updatedFilter;

    /// <summary>Users a backfill pass did not queue because the report covers them, per pass (kept while few).</summary>
    protected override TopicDescriptor Topic => CaptureCatalogue.UsersTopic;

    protected override string ListEndpoint => "/v2/users";

    protected override IAsyncEnumerable<FreshchatUser> ListAsync(IFreshchatClient freshchat, CancellationToken cancellationToken) =>
        freshchat.ListUsersAsync(new UserQuery { CreatedFrom = Beginning, SortBy = SortBy, SortOrder = SortOrder }, cancellationToken);

    protected override string IdOf(FreshchatUser entity) => entity.Id;

    protected override Task<IReadOnlyCollection<string>> ConfirmMissingAsync(CaptureContext context, IReadOnlyCollection<string> candidates, CancellationToken cancellationToken) =>
        ConfirmGoneByIdAsync(candidates, async id => await context.Freshchat.GetUserAsync(id, cancellationToken));

    /// <summary>
    /// A new or changed user may have new conversations: queue it for discovery in the same commit as its event,
    /// so a crash can delay discovery but never skip it. A user re-captured after a state loss (<c>r</c> in a
    /// changes cycle) is queued too: the lost state held its conversations' schedule. The <c>snapshot</c>
    /// command does not queue: it re-emits the conversations already scheduled. A user that merely changed is not
    /// queued while webhooks are healthy and the discovery report is on: a conversation opened by an existing user
    /// arrives as a <c>message_create</c> webhook and as a <c>Conversation-Created</c> row, so the extra
    /// conversation-list read per changed user would find nothing new. A discovery report that answers 403 or yields
    /// no conversation ids (<see cref="MetaFields.DiscoveryReportUnusable"/>) covers nothing: changed users are queued.
    /// In the first listing (the backfill) a user created after the discovery report's horizon is not queued
    /// (<see cref="BackfillDiscovery"/>): the report names its conversations.
    /// </summary>
    protected override void OnEmitted(CaptureContext context, FreshchatUser entity, string id, ChangeOp op)
    {
        if (BackfillDiscovery.UsableHorizon(context) is { } horizon && BackfillDiscovery.CoveredByReport(entity, horizon))
        {
            var skipped = context.PassNote<SkippedUsers>();
            if (skipped.Ids.Count <= BackfillDiscovery.ReportCost(context.Options.Conversations))
            {
                skipped.Ids.Add(id); // kept only while few enough that reading their lists may be cheaper than the report
            }

            return;
        }

        var coveredByPush = op == ChangeOp.Update && webhooks?.IsHealthy == true
                            && !string.IsNullOrWhiteSpace(context.Options.Conversations.DiscoveryReport)
                            && string.IsNullOrEmpty(context.Meta.GetValueOrDefault(MetaFields.DiscoveryReportUnusable));
        if (context.Mode == CaptureMode.Changes && !coveredByPush
            && (context.Selected.Contains(CaptureCatalogue.Conversations) || context.Selected.Contains(CaptureCatalogue.Messages)))
        {
            context.Batch.State.QueueDiscovery(id, context.Now);
        }
    }

    public override async Task CaptureAsync(CaptureContext context, CancellationToken cancellationToken)
    {
        var cursor = context.Cursor(Topic.Resource);
        var snapshot = context.Mode == CaptureMode.Snapshot;
        var full = snapshot || cursor.HighWaterMark is null || context.IsReconcileDue(Topic.Resource);
        var updatedFilter = snapshot ? null : await ProbeUpdatedFilterAsync(context, cancellationToken);

        var horizon = snapshot ? null : BackfillDiscovery.UsableHorizon(context);
        var decidedNow = horizon is not null && BackfillDiscovery.StoredHorizon(context.Meta) is null;
        if (horizon is { } relied)
        {
            // Staged before any event that relies on it, so it commits with the first of them.
            context.Batch.State.SetMeta(MetaFields.DiscoveryHorizon, MetaFields.Format(relied)).SetMeta(MetaFields.DiscoveryReliedUntil, MetaFields.Format(context.Now));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var created = new CreatedHighWaterMark(cursor);
        var newestUpdate = cursor.Time(NewestUpdateSeen);
        void ObserveUpdate(FreshchatUser user)
        {
            if (user.UpdatedTime is { } updated && (newestUpdate is null || updated > newestUpdate))
            {
                newestUpdate = updated;
            }
        }

        var createdFrom = full ? Beginning : cursor.HighWaterMark!.Value - context.Options.Overlap;
        Log.UsersListing(Logger, full ? "full reconciliation" : "incremental", createdFrom);
        await ScanAsync(context, context.Freshchat.ListUsersAsync(new UserQuery { CreatedFrom = createdFrom, SortBy = SortBy, SortOrder = SortOrder }, cancellationToken),
            seen, emitEntities: true, user => { created.Observe(user); ObserveUpdate(user); }, cancellationToken);

        // A full listing read every user: it counts as a read of the whole window.
        var overlapReadAt = full ? context.Now : cursor.Time(OverlapReadAt);
        if (!full && updatedFilter == UpdatedFilterSupport.Honoured
            && cursor.Time(UpdatedHighWaterMark) is { } updatedSince)
        {
            // Users created since the high-water mark were just read; this catches edits to older users.
            var wholeWindow = cursor.Time(NewestUpdateSeen) is null || overlapReadAt is not { } lastRead
                              || context.Now - lastRead >= context.Options.OverlapInterval;
            var updatedFrom = wholeWindow ? updatedSince - context.Options.Overlap : cursor.Time(NewestUpdateSeen)!.Value - NarrowMargin;
            await ScanAsync(context, context.Freshchat.ListUsersAsync(new UserQuery { UpdatedFrom = updatedFrom, SortBy = SortBy, SortOrder = SortOrder }, cancellationToken),
                seen, emitEntities: true, ObserveUpdate, cancellationToken);
            overlapReadAt = wholeWindow ? context.Now : overlapReadAt;
        }

        if (snapshot)
        {
            return;
        }

        if (full)
        {
            await DeleteMissingAsync(context, seen, cancellationToken);
            context.Batch.State.SetMeta(MetaFields.LastReconcileAt(Topic.Resource), MetaFields.Format(context.Now));
        }

        if (horizon is { } from)
        {
            DecideBackfill(context, from, decidedNow);
        }

        // Staged last: it is committed with the final flush, after every event it covers was acknowledged.
        context.Batch.State.SetCursor(Topic.Resource, created.Advance(cursor, context.Now).WithTime(UpdatedHighWaterMark, context.Now)
            .WithTime(NewestUpdateSeen, newestUpdate).WithTime(OverlapReadAt, overlapReadAt));
    }

    /// <summary>
    /// At the end of a backfill listing that chose its horizon in this pass: when it skipped fewer list reads than the
    /// report back to the horizon costs, the skipped users are queued and the horizon dropped, in the final commit (a
    /// crash before it leaves the horizon, which the report then honours). A horizon stored by an earlier pass is kept:
    /// users that pass skipped rely on it and are not listed as emitted again.
    /// </summary>
    private void DecideBackfill(CaptureContext context, DateTimeOffset horizon, bool decidedNow)
    {
        var skipped = context.HasPassNote<SkippedUsers>() ? context.PassNote<SkippedUsers>().Ids : [];
        var cost = BackfillDiscovery.ReportCost(context.Options.Conversations);
        if (decidedNow && skipped.Count <= cost)
        {
            foreach (var id in skipped)
            {
                context.Batch.State.QueueDiscovery(id, context.Now);
            }

            context.Batch.State.SetMeta(MetaFields.DiscoveryHorizon, string.Empty).SetMeta(MetaFields.DiscoveryReliedUntil, string.Empty);
            Log.BackfillReportNotWorthIt(Logger, skipped.Count, cost);
            return;
        }

        Log.BackfillRelyingOnReport(Logger, horizon, skipped.Count > cost ? $"more than {cost:N0}" : $"{skipped.Count:N0}");
    }

    private async Task<UpdatedFilterSupport?> ProbeUpdatedFilterAsync(CaptureContext context, CancellationToken cancellationToken)
    {
        if (_updatedFilter is null)
        {
            _updatedFilter = await context.Freshchat.ProbeUpdatedFilterAsync(cancellationToken);
            Log.UpdatedFilter(Logger, _updatedFilter.Value);
        }

        context.Batch.State.SetMeta(MetaFields.UsersUpdatedFilter, _updatedFilter.Value.ToString());
        return _updatedFilter;
    }

    /// <summary>Users of this pass whose conversation lists were skipped, relying on the discovery report.</summary>
    private sealed class SkippedUsers
    {
        public List<string> Ids { get; } = [];
    }

    /// <summary>Tracks the newest <c>created_time</c> listed and the ids at it.</summary>
    private sealed class CreatedHighWaterMark(ResourceCursor start)
    {
        private DateTimeOffset? _time = start.HighWaterMark;
        private readonly HashSet<string> _ids = new(start.IdsAtHighWaterMark, StringComparer.Ordinal);

        public void Observe(FreshchatUser user)
        {
            if (user.CreatedTime is not { } created || (_time is { } time && created < time))
            {
                return;
            }

            if (_time != created)
            {
                _time = created;
                _ids.Clear();
            }

            _ids.Add(user.Id);
        }

        public ResourceCursor Advance(ResourceCursor cursor, DateTimeOffset now) =>
            _time is { } time ? cursor.Advance(time, _ids, now) : cursor with { UpdatedAt = now };
    }
}
