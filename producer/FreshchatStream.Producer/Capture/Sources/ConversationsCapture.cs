using System.Globalization;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.State;
using FreshchatStream.Producer.Webhooks;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>
/// Conversations and their messages. Freshchat cannot list conversations, so they are discovered: from the
/// conversation lists of users that were created or changed (queued by <see cref="UsersCapture"/> in the same
/// commit as the user's event), from raw report rows and from push signals; without healthy webhooks, raw report
/// change hints (<see cref="ReportHints"/>) make changed conversations due at once. Known conversations sit in a
/// schedule in Redis (sorted by next due poll); a due conversation costs one <c>GET /conversations/{id}</c>,
/// emits <c>c</c>/<c>u</c> when its fingerprint changed, and its messages are read — newest first, only down to
/// the last message already captured — when its <c>updated_time</c> moved (at every poll when the object has no
/// <c>updated_time</c>), a signal asked for it, or the safety re-check is due. A status signal (resolution, reopen,
/// assignment) about a known conversation does not read its messages while <c>message_create</c> webhooks arrive
/// (<see cref="WebhookActivity.MessagesPushed"/>): the status change is what moved <c>updated_time</c>, a message added
/// meanwhile is its own signal, and one whose webhook was lost is read at the re-check. Messages are published oldest
/// first, so they stay in order within the conversation.
/// </summary>
public sealed class ConversationsCapture(ConversationSignals signals, RawReportWindow reports, ReportDiscovery discovery, ILogger<ConversationsCapture> logger,
    WebhookActivity? webhooks = null, ReportHints? hints = null) : IResourceCapture
{
    /// <summary>Meta field: the last conversation id a snapshot finished (empty once it completed).</summary>
    public static readonly string SnapshotAfter = $"{CaptureCatalogue.Conversations}:snapshot_after";

    private const int ChunkSize = 50;

    /// <summary>Bounds one cycle's report catch-up (450 days of 1-minute windows would otherwise hold the cycle for hours).</summary>
    private const int MaxReportWindowsPerCycle = 64;

    public IReadOnlyList<string> Resources => [CaptureCatalogue.Conversations, CaptureCatalogue.Messages];

    public async Task CaptureAsync(CaptureContext context, CancellationToken cancellationToken)
    {
        if (context.Mode == CaptureMode.Snapshot)
        {
            await SnapshotAsync(context, cancellationToken);
            return;
        }

        var signalled = await signals.TakeAsync(cancellationToken);
        if (context.Push)
        {
            await PushAsync(context, signalled, cancellationToken);
            return;
        }

        foreach (var id in signalled.Keys)
        {
            context.Batch.State.ScheduleConversation(id, context.Now);
        }

        if (signalled.Count > 0)
        {
            // Taken signals exist nowhere else now: commit them as due before discovery can fail the cycle.
            await context.Batch.FlushAsync(cancellationToken);
        }

        var discovered = await DiscoverFromReportAsync(context, cancellationToken) + await DiscoverAsync(context, cancellationToken);
        if (hints is not null)
        {
            discovered += await hints.RunAsync(context, webhooks?.IsHealthy == true, cancellationToken);
        }

        // The schedule must hold what was just discovered before the due conversations are read from it.
        await context.Batch.FlushAsync(cancellationToken);

        var due = await context.Store.GetDueConversationsAsync(context.Now, context.Options.Conversations.MaxPerCycle, cancellationToken);
        var scheduled = await context.Store.CountScheduledConversationsAsync(cancellationToken);
        Log.ConversationsCycle(logger, discovered, due.Count, scheduled);
        context.Progress.StartPhase("polled", due.Count);
        await PollChunksAsync(context, due, signalled, cancellationToken);
        context.Batch.State.SetMeta(MetaFields.Scheduled(CaptureCatalogue.Conversations), scheduled.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A push cycle: signalled conversations are polled at once — a known conversation signalled only for a new
    /// message has just its new messages read; anything else gets a full poll, made due in Redis first so a crash
    /// mid-poll leaves it due.
    /// </summary>
    private async Task PushAsync(CaptureContext context, IReadOnlyDictionary<string, ConversationSignal> signalled, CancellationToken cancellationToken)
    {
        Log.ConversationsPush(logger, signalled.Count);
        var messagesOnly = new List<string>();
        var retired = 0;
        if (context.Selected.Contains(CaptureCatalogue.Messages))
        {
            var known = await context.Store.GetConversationStatesAsync([.. signalled.Where(s => s.Value == ConversationSignal.Messages).Select(s => s.Key)],
                cancellationToken);
            // A retired conversation that gets a message is back: it gets a full poll, which schedules it again.
            retired = known.Count(k => k.Value.Retired);
            foreach (var (id, state) in known.Where(k => !k.Value.Retired))
            {
                var (next, _) = await CaptureMessagesAsync(context, id, state.Messages, CaptureMode.Changes, cancellationToken);
                context.Batch.State.SetConversationState(id, state with { Messages = next, PolledAt = context.Now });
                messagesOnly.Add(id);
            }
        }

        var full = signalled.Keys.Except(messagesOnly, StringComparer.Ordinal).ToList();
        var status = full.Count(id => signalled[id] == ConversationSignal.Status);
        var other = full.Count(id => signalled[id] == ConversationSignal.Full);
        Log.ConversationsPushPolls(logger, messagesOnly.Count, full.Count, status, webhooks?.MessagesPushed == true ? "without" : "with", other, retired,
            full.Count - status - other - retired);
        foreach (var id in full)
        {
            context.Batch.State.ScheduleConversation(id, context.Now);
        }

        await context.Batch.FlushAsync(cancellationToken);
        context.Progress.StartPhase("polled", full.Count);
        await PollChunksAsync(context, full, signalled, cancellationToken);
    }

    /// <summary>
    /// Polls <paramref name="ids"/> with their reads overlapping (<see cref="OrderedFetch.ReadAhead"/>, the client bounding requests in flight);
    /// what each read found is published and staged in the order of <paramref name="ids"/>, one conversation at a time.
    /// A conversation in <paramref name="signalled"/> is polled as that signal asks, whatever its schedule says.
    /// </summary>
    private async Task PollChunksAsync(CaptureContext context, IReadOnlyList<string> ids, IReadOnlyDictionary<string, ConversationSignal> signalled,
        CancellationToken cancellationToken)
    {
        // Decided once per pass, so every status signal of the pass is treated alike.
        var messagesPushed = webhooks?.MessagesPushed == true;
        await foreach (var (due, polled) in OrderedFetch.InOrderAsync(WithStateAsync(context, ids, cancellationToken), OrderedFetch.ReadAhead(context.Freshchat),
                           (due, token) => FetchAsync(context, due, SignalOf(due.Id), messagesPushed, token), cancellationToken))
        {
            await ApplyAsync(context, due, polled, signalled.ContainsKey(due.Id), cancellationToken);
            context.Progress.Advance();
        }

        ConversationSignal? SignalOf(string id) => signalled.TryGetValue(id, out var signal) ? signal : null;
    }

    /// <summary>The due conversations with their stored fingerprint and poll state, read from the store a chunk at a time.</summary>
    private static async IAsyncEnumerable<DueConversation> WithStateAsync(CaptureContext context, IReadOnlyList<string> ids,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            var fingerprints = await context.Store.GetFingerprintsAsync(CaptureCatalogue.Conversations, chunk, cancellationToken);
            var states = await context.Store.GetConversationStatesAsync(chunk, cancellationToken);
            foreach (var id in chunk)
            {
                yield return new DueConversation(id, fingerprints.GetValueOrDefault(id), states.GetValueOrDefault(id));
            }
        }
    }

    /// <summary>
    /// Reads the discovery report's windows up to now — several in one cycle while it catches up (a backfill's
    /// horizon, a long outage), each at most <c>Capture:Conversations:DiscoveryWindow</c>; every conversation id in
    /// them becomes due now. While a backfill relies on the report (<see cref="BackfillDiscovery"/>), a report found
    /// unusable queues the users it was to cover, and a report that reached the backfill clears the horizon.
    /// </summary>
    private async Task<int> DiscoverFromReportAsync(CaptureContext context, CancellationToken cancellationToken)
    {
        var eventName = context.Options.Conversations.DiscoveryReport;
        var publishedByReports = context.Selected.Contains(CaptureCatalogue.ReportEvents) && context.Options.Reports.EventNames().Contains(eventName);
        if (string.IsNullOrWhiteSpace(eventName) || publishedByReports)
        {
            return 0; // ReportsCapture already schedules the conversations of that event's rows
        }

        if (BackfillDiscovery.StoredHorizon(context.Meta) is not null && context.Meta.GetValueOrDefault(MetaFields.DiscoveryReportUnusable) is { Length: > 0 } known)
        {
            await RequeueBackfillAsync(context, context.Meta, known, cancellationToken); // found unusable earlier, the requeue not committed
        }

        if (ReportDiscovery.AwaitsRetry(context))
        {
            return 0; // forbidden (403): users' conversation lists discover meanwhile; asked again at Capture:ReconcileInterval
        }

        var found = 0;
        string? unusable = null;
        var cursor = context.Cursor(CaptureCatalogue.Conversations);
        var initial = ReportWindowState.Of(cursor, eventName);
        // Before the first window, what this cycle's users pass committed decides where the report starts.
        var firstStart = initial.WindowEnd is null && initial.JobId is null
            ? BackfillDiscovery.FirstWindowStart(context, await context.Store.LoadMetaAsync(cancellationToken))
            : (DateTimeOffset?)null;
        try
        {
            for (var window = 0; window < MaxReportWindowsPerCycle && unusable is null; window++)
            {
                long rows = 0;
                long withIds = 0;
                IReadOnlyList<string>? header = null;
                var before = ReportWindowState.Of(cursor, eventName);
                cursor = await reports.RunAsync(context, CaptureCatalogue.Conversations, eventName, cursor, (row, _) =>
                {
                    rows++;
                    header ??= [.. row.Columns.Select(c => c.Key)];
                    if (ReportDiscovery.ConversationIdOf(row) is { } id)
                    {
                        context.Batch.State.ScheduleConversation(id, context.Now);
                        withIds++;
                        found++;
                    }

                    return ValueTask.CompletedTask;
                }, cancellationToken, onWindowDone: () =>
                {
                    discovery.Observe(context, eventName, rows, withIds, header);
                    unusable = rows > 0 && withIds == 0 ? $"{eventName} rows carry no conversation id" : null;
                }, cadence: DiscoveryCadence(context.Options), firstStart: firstStart);
                if (ReportWindowState.Of(cursor, eventName).WindowEnd == before.WindowEnd)
                {
                    break; // caught up, or a job pending or failed: the next cycle goes on
                }
            }
        }
        catch (Freshchat.FreshchatForbiddenException e)
        {
            // Tokens carry per-resource scopes: without reports:extract the conversations pass goes on without the report.
            discovery.Forbidden(context, e);
            unusable = $"403 on {e.Endpoint}";
        }

        if (BackfillDiscovery.StoredHorizon(context.Meta) is not null || unusable is not null)
        {
            // This cycle's users pass may have relied on the report: what it committed decides.
            var meta = await context.Store.LoadMetaAsync(cancellationToken);
            if (unusable is not null)
            {
                await RequeueBackfillAsync(context, meta, unusable, cancellationToken);
            }
            else if (BackfillDiscovery.StoredHorizon(meta) is { } horizon && MetaFields.ParseTime(meta.GetValueOrDefault(MetaFields.DiscoveryReliedUntil)) is { } until
                     && ReportWindowState.Of(cursor, eventName).WindowEnd >= until)
            {
                context.Batch.State.SetMeta(MetaFields.DiscoveryHorizon, string.Empty).SetMeta(MetaFields.DiscoveryReliedUntil, string.Empty);
                Log.BackfillCovered(logger, horizon, until);
            }
        }

        return found;
    }

    /// <summary>The discovery report's windows: <c>Capture:Reports:*</c>, but at most <c>Capture:Conversations:DiscoveryWindow</c> long.</summary>
    private static RawReportCadence DiscoveryCadence(CaptureOptions options) =>
        new(options.Reports.Lookback, options.Conversations.DiscoveryWindow, options.Reports.MinWindow, options.Reports.SettleDelay);

    /// <summary>
    /// The discovery report proved unusable while a backfill relied on it: every user created after the horizon is
    /// queued for its conversation list (one users listing from the horizon), in the commit that clears the horizon,
    /// so a crash before it leaves the horizon set and the next cycle queues them again.
    /// </summary>
    private async Task RequeueBackfillAsync(CaptureContext context, IReadOnlyDictionary<string, string> meta, string why, CancellationToken cancellationToken)
    {
        if (BackfillDiscovery.StoredHorizon(meta) is not { } horizon)
        {
            return;
        }

        var queued = 0;
        await foreach (var user in context.Freshchat.ListUsersAsync(new UserQuery { CreatedFrom = horizon, SortBy = UsersCapture.SortBy, SortOrder = UsersCapture.SortOrder },
                           cancellationToken))
        {
            if (BackfillDiscovery.CoveredByReport(user, horizon))
            {
                context.Batch.State.QueueDiscovery(user.Id, context.Now);
                queued++;
            }
        }

        context.Batch.State.SetMeta(MetaFields.DiscoveryHorizon, string.Empty).SetMeta(MetaFields.DiscoveryReliedUntil, string.Empty);
        await context.Batch.FlushAsync(cancellationToken);
        Log.BackfillRequeued(logger, why, queued, horizon);
    }

    /// <summary>
    /// Reads the conversation lists of queued users; conversations not yet known, and retired ones (a reconciliation
    /// of the user brings them back for one poll), become due now.
    /// </summary>
    private async Task<int> DiscoverAsync(CaptureContext context, CancellationToken cancellationToken)
    {
        var users = await context.Store.GetQueuedDiscoveriesAsync(context.Options.Conversations.DiscoveryPerCycle, cancellationToken);

        var discovered = 0;
        context.Progress.StartPhase("users' conversation lists read", users.Count, requestsPerFound: 1 + Progress.FirstCycleEstimate.MessagePagesPerConversation);
        await foreach (var (userId, listed) in OrderedFetch.InOrderAsync(users.ToAsyncEnumerable(), OrderedFetch.ReadAhead(context.Freshchat),
                           (userId, token) => context.Freshchat.GetUserConversationIdsAsync(userId, token), cancellationToken))
        {
            var before = discovered;
            var conversationIds = listed ?? [];
            if (conversationIds.Count > 0)
            {
                var known = await context.Store.GetConversationStatesAsync(conversationIds, cancellationToken);
                foreach (var id in conversationIds.Where(id => !known.TryGetValue(id, out var state) || state.Retired))
                {
                    context.Batch.State.ScheduleConversation(id, context.Now);
                    discovered++;
                }
            }

            context.Batch.State.DequeueDiscovery(userId);
            context.Progress.Advance(found: discovered - before);
        }

        return discovered;
    }

    /// <summary>
    /// The Freshchat reads of one due conversation, without touching the batch: <c>GET /conversations/{id}</c>, then
    /// its new messages when they are due (see <see cref="ApplyAsync"/> for what is published). <paramref name="signal"/>
    /// is what a push signal asked for (null: due by its schedule); <paramref name="messagesPushed"/> whether
    /// <c>message_create</c> webhooks arrive.
    /// </summary>
    private static async Task<PolledConversation> FetchAsync(CaptureContext context, DueConversation due, ConversationSignal? signal, bool messagesPushed,
        CancellationToken cancellationToken)
    {
        FreshchatConversation? conversation;
        try
        {
            conversation = await context.Freshchat.GetConversationAsync(due.Id, cancellationToken);
        }
        catch (FreshchatRejectedItemException e)
        {
            return new PolledConversation(null, e.Reason, false, []);
        }

        if (conversation is null)
        {
            return new PolledConversation(null, null, false, []);
        }

        var updatedTime = MetaFields.ParseTime(conversation.GetString("updated_time"));
        var state = due.State;
        var recheckDue = state?.RecheckAt is not { } recheck || recheck <= context.Now;
        // A status change moves updated_time by itself; while message_create webhooks arrive, a message added
        // meanwhile is its own signal, so neither the signal nor the moved updated_time calls for a messages page.
        // A message whose webhook was lost waits for the re-check (MessageRecheckInterval): a delay, never a loss.
        var statusOnly = signal == ConversationSignal.Status && messagesPushed;
        var updated = state is not null && state.UpdatedTime != updatedTime && !statusOnly;
        // A minimal conversation object (no updated_time, as the community thread shows) gives no sign of new
        // messages, so its messages are probed at every poll: one request, which stops at the cursor. So is a retired
        // conversation that came back (it kept no updated_time).
        var messagesDue = state is null || state.Retired || (signal is not null && !statusOnly) || recheckDue || updatedTime is null || updated;
        if (!messagesDue || !context.Selected.Contains(CaptureCatalogue.Messages))
        {
            return new PolledConversation(conversation, null, false, []);
        }

        var messages = await ReadMessagesAsync(context, due.Id, state?.Messages ?? ResourceCursor.Initial(), CaptureMode.Changes, cancellationToken);
        return new PolledConversation(conversation, null, true, messages);
    }

    /// <summary>Publishes what <see cref="FetchAsync"/> read for one conversation and stages its state, in the poll order.</summary>
    private async Task ApplyAsync(CaptureContext context, DueConversation due, PolledConversation polled, bool forced, CancellationToken cancellationToken)
    {
        var (id, storedFingerprint, state) = due;
        var emitConversations = context.Selected.Contains(CaptureCatalogue.Conversations);
        var endpoint = $"/v2/conversations/{id}";
        if (polled.RejectedReason is { } reason)
        {
            // Dead-lettered by the client; asked again next poll it would fail the pass every cycle, so it waits a
            // reconciliation interval (at least a poll interval) while the other conversations go on.
            var retryIn = context.Options.ReconcileInterval > context.Options.PollInterval ? context.Options.ReconcileInterval : context.Options.PollInterval;
            context.Batch.State.ScheduleConversation(id, context.Now + retryIn);
            Log.ConversationRejected(logger, id, reason, retryIn);
            return;
        }

        if (polled.Conversation is not { } conversation)
        {
            // Gone (its user was deleted, or it never existed): confirmed by the 404 itself, so never polled again.
            if (emitConversations && storedFingerprint is not null)
            {
                await context.Batch.AddAsync(context.Deleted(CaptureCatalogue.ConversationsTopic, id, endpoint), cancellationToken);
            }

            context.Batch.State.RemoveFingerprint(CaptureCatalogue.Conversations, id).RemoveConversationState(id).UnscheduleConversation(id);
            Log.ConversationVanished(logger, id);
            return;
        }

        var decision = ChangeDetector.Decide(conversation.Json, storedFingerprint, CaptureMode.Changes, context.FirstSeenOp);
        if (emitConversations && decision.Op is { } op)
        {
            await context.Batch.AddAsync(context.Entity(CaptureCatalogue.ConversationsTopic, op, conversation.Json, endpoint, decision.Fingerprint), cancellationToken);
        }

        var updatedTime = MetaFields.ParseTime(conversation.GetString("updated_time"));
        var messages = state?.Messages ?? ResourceCursor.Initial();
        var recheckAt = state?.RecheckAt;
        var newMessages = 0;
        if (polled.MessagesRead)
        {
            (messages, newMessages) = await PublishMessagesAsync(context, id, messages, polled.Messages, CaptureMode.Changes, cancellationToken);
            recheckAt = context.Now + context.Options.Conversations.MessageRecheckInterval;
        }

        if (!forced && state is not null && !state.Retired)
        {
            webhooks?.PolledChanges(id, newMessages); // polling found what a webhook should have announced
        }

        var changed = decision.Op is not null || newMessages > 0;
        var idle = changed ? 0 : (state?.IdlePolls ?? 0) + 1;
        // First seen, the conversation's own updated_time says when it last changed; afterwards a change a poll saw.
        var changedAt = state is null ? updatedTime ?? context.Now : changed ? context.Now : state.ChangedAt ?? updatedTime ?? context.Now;
        var lastActivity = updatedTime is { } u && u > changedAt ? u : changedAt;
        var next = new ConversationPollState
        {
            Messages = messages,
            UpdatedTime = updatedTime,
            IdlePolls = idle,
            RecheckAt = recheckAt,
            ChangedAt = changedAt,
            PolledAt = context.Now,
        };
        if (emitConversations)
        {
            context.Batch.State.SetFingerprint(CaptureCatalogue.Conversations, id, decision.Fingerprint);
        }

        if (ConversationSchedule.ShouldRetire(context.Now, conversation.Status, lastActivity, context.Options.Conversations))
        {
            // Keeps what tells a change when it comes back: the fingerprint and the message position.
            context.Batch.State.SetConversationState(id, next.Retire()).UnscheduleConversation(id);
            if (state?.Retired != true)
            {
                Log.ConversationRetired(logger, id, lastActivity);
            }

            return;
        }

        var quietInterval = webhooks?.QuietPollInterval ?? ReportHints.QuietPollInterval(context);
        var reopensPushed = webhooks?.IsHealthy == true;
        DateTimeOffset nextDue;
        if (state is null)
        {
            // First seen: scheduled by how long it has been quiet already, not as a change (a backfill would otherwise
            // poll every discovered conversation again next cycle). Its newest message counts as activity too; without
            // an updated_time the last activity is now, so it stays hot.
            var newest = messages.HighWaterMark is { } mark && mark > lastActivity ? mark : lastActivity;
            (nextDue, idle) = ConversationSchedule.FirstSeen(context.Now, conversation.Status, newest, context.Options.PollInterval, context.Options.Conversations,
                quietInterval, reopensPushed);
        }
        else
        {
            // The last change a poll saw (a resolution among them), on this host's clock: a recent resolution is watched.
            (nextDue, idle) = ConversationSchedule.Next(context.Now, conversation.Status, idle, changedAt, context.Options.PollInterval, context.Options.Conversations,
                quietInterval, reopensPushed);
        }

        next = next with { IdlePolls = idle };

        context.Batch.State.SetConversationState(id, next).ScheduleConversation(id, nextDue);
    }

    /// <summary>A due conversation and the state stored for it.</summary>
    private readonly record struct DueConversation(string Id, string? Fingerprint, ConversationPollState? State);

    /// <summary>
    /// What the reads of one conversation found: the object (null when gone or rejected), the reason it was rejected,
    /// and its new messages oldest first when they were read.
    /// </summary>
    private sealed record PolledConversation(FreshchatConversation? Conversation, string? RejectedReason, bool MessagesRead, IReadOnlyList<FreshchatMessage> Messages);

    /// <summary>
    /// Reads the messages newer than <paramref name="cursor"/> (all of them in a snapshot), publishes them oldest
    /// first and returns the advanced cursor. A conversation's new messages are held in memory only until published.
    /// </summary>
    private static async Task<(ResourceCursor Cursor, int Count)> CaptureMessagesAsync(CaptureContext context, string conversationId, ResourceCursor cursor,
        CaptureMode mode, CancellationToken cancellationToken)
    {
        var ordered = await ReadMessagesAsync(context, conversationId, cursor, mode, cancellationToken);
        return await PublishMessagesAsync(context, conversationId, cursor, ordered, mode, cancellationToken);
    }

    /// <summary>The messages newer than <paramref name="cursor"/> (all of them in a snapshot), oldest first.</summary>
    private static async Task<IReadOnlyList<FreshchatMessage>> ReadMessagesAsync(CaptureContext context, string conversationId, ResourceCursor cursor,
        CaptureMode mode, CancellationToken cancellationToken)
    {
        var boundary = mode == CaptureMode.Changes && cursor.HighWaterMark is { } mark
            ? new MessageBoundary(mark, cursor.IdsAtHighWaterMark.ToHashSet(StringComparer.Ordinal))
            : null;
        var fresh = new List<FreshchatMessage>();
        await foreach (var message in context.Freshchat.ListMessagesAsync(conversationId, boundary, cancellationToken))
        {
            fresh.Add(message);
        }

        // Newest first on the wire; oldest first into Kafka. The sort is stable, so equal timestamps keep API order reversed.
        fresh.Reverse();
        return [.. fresh.OrderBy(m => m.CreatedTime ?? DateTimeOffset.MinValue)];
    }

    /// <summary>Publishes <paramref name="ordered"/> (oldest first) and returns the cursor advanced past them.</summary>
    private static async Task<(ResourceCursor Cursor, int Count)> PublishMessagesAsync(CaptureContext context, string conversationId, ResourceCursor cursor,
        IReadOnlyList<FreshchatMessage> ordered, CaptureMode mode, CancellationToken cancellationToken)
    {
        var op = mode == CaptureMode.Snapshot ? ChangeOp.Snapshot : context.FirstSeenOp;
        var endpoint = $"/v2/conversations/{conversationId}/messages";
        foreach (var message in ordered)
        {
            await context.Batch.AddAsync(ChangeEvent.ForEntity(CaptureCatalogue.MessagesTopic, op, message.Json, context.Now, context.Account, endpoint, conversationId), cancellationToken);
            if (mode == CaptureMode.Changes && message.CreatedTime is { } created)
            {
                cursor = cursor.Advance(created, [message.Id], context.Now);
            }
        }

        return (cursor, ordered.Count);
    }

    /// <summary>
    /// Re-emits every known conversation (and its messages) as <c>r</c>, in id order, recording progress in the
    /// same commits so an interrupted snapshot resumes after the last conversation it finished.
    /// </summary>
    private async Task SnapshotAsync(CaptureContext context, CancellationToken cancellationToken)
    {
        var after = context.Meta.GetValueOrDefault(SnapshotAfter);
        // Scheduled and retired conversations alike: a retired one is still part of the current state.
        var known = new HashSet<string>(await context.Store.GetDueConversationsAsync(DateTimeOffset.MaxValue, int.MaxValue, cancellationToken), StringComparer.Ordinal);
        await foreach (var (id, _) in context.Store.ScanFingerprintsAsync(CaptureCatalogue.Conversations, cancellationToken))
        {
            known.Add(id);
        }

        var ids = known
            .Where(id => string.IsNullOrEmpty(after) || string.CompareOrdinal(id, after) > 0)
            .Order(StringComparer.Ordinal)
            .ToList();
        Log.ConversationsSnapshot(logger, ids.Count, string.IsNullOrEmpty(after) ? "the beginning" : after);
        context.Progress.StartPhase("re-emitted", ids.Count);
        await foreach (var (id, read) in OrderedFetch.InOrderAsync(ids.ToAsyncEnumerable(), OrderedFetch.ReadAhead(context.Freshchat),
                           (id, token) => ReadForSnapshotAsync(context, id, token), cancellationToken))
        {
            if (read.RejectedReason is { } reason)
            {
                Log.ConversationRejected(logger, id, reason, TimeSpan.Zero); // dead-lettered by the client; the snapshot goes on
            }

            if (read.Conversation is { } conversation)
            {
                if (context.Selected.Contains(CaptureCatalogue.Conversations))
                {
                    var decision = ChangeDetector.Decide(conversation.Json, null, CaptureMode.Snapshot);
                    await context.Batch.AddAsync(context.Entity(CaptureCatalogue.ConversationsTopic, ChangeOp.Snapshot, conversation.Json, $"/v2/conversations/{id}", decision.Fingerprint), cancellationToken);
                }

                if (read.MessagesRead)
                {
                    await PublishMessagesAsync(context, id, ResourceCursor.Initial(), read.Messages, CaptureMode.Snapshot, cancellationToken);
                }
            }

            context.Batch.State.SetMeta(SnapshotAfter, id);
            context.Progress.Advance();
        }

        context.Batch.State.SetMeta(SnapshotAfter, string.Empty);
    }

    /// <summary>The reads a snapshot makes of one conversation: the object and, when selected, all its messages.</summary>
    private static async Task<PolledConversation> ReadForSnapshotAsync(CaptureContext context, string id, CancellationToken cancellationToken)
    {
        FreshchatConversation? conversation;
        try
        {
            conversation = await context.Freshchat.GetConversationAsync(id, cancellationToken);
        }
        catch (FreshchatRejectedItemException e)
        {
            return new PolledConversation(null, e.Reason, false, []);
        }

        if (conversation is null || !context.Selected.Contains(CaptureCatalogue.Messages))
        {
            return new PolledConversation(conversation, null, false, []);
        }

        return new PolledConversation(conversation, null, true, await ReadMessagesAsync(context, id, ResourceCursor.Initial(), CaptureMode.Snapshot, cancellationToken));
    }
}
