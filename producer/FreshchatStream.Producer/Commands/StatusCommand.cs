using System.Globalization;
using FreshchatStream.Producer.Accounts;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Commands;

/// <summary>
/// <c>status</c>: a table of every resource's cursor, last cycle, last success, events and lag, read from Redis; with
/// <c>Accounts:*</c>, one block per account, headed by its name, namespace, topics and assignment partition.
/// </summary>
public static class StatusCommand
{
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> configuration, TextWriter output)
    {
        var builder = CommandHost.CreateBuilder(configuration, LogLevel.Warning);
        builder.AddCursorStore();
        using var host = builder.Build();
        if (AccountsConfiguration.IsConfigured(builder.Configuration))
        {
            var partitions = builder.Configuration.GetValue<int?>("Capture:AssignmentPartitions") is > 0 and var configured ? configured : new CaptureOptions().AssignmentPartitions;
            foreach (var account in AccountsConfiguration.Read(builder.Configuration, partitions))
            {
                output.Write($"account {account.Name} (Redis {account.KeyPrefix}, topics {account.TopicPrefix}.*, assignment partition {account.Partition}){Environment.NewLine}");
                var keys = new RedisKeys(account.KeyPrefix);
                var connection = host.Services.GetRequiredService<RedisConnection>();
                await using var lease = new CaptureLease(account.Name, keys, connection, host.Services.GetRequiredService<IOptions<LeaseOptions>>().Value,
                    TimeProvider.System, host.Services.GetRequiredService<ILogger<CaptureLease>>());
                await using var accountStore = new RedisCursorStore(connection, keys, host.Services.GetRequiredService<ILogger<RedisCursorStore>>(), lease);
                await WriteAsync(accountStore, builder.Configuration, output);
                output.Write(Environment.NewLine);
            }

            return ExitCodes.Ok;
        }

        await WriteAsync(host.Services.GetRequiredService<ICursorStore>(), builder.Configuration, output);
        return ExitCodes.Ok;
    }

    private static async Task WriteAsync(ICursorStore store, IConfiguration configuration, TextWriter output)
    {
        var now = TimeProvider.System.GetUtcNow();
        var cursors = await store.LoadCursorsAsync();
        var meta = await store.LoadMetaAsync();
        var scheduled = await store.CountScheduledConversationsAsync();
        var due = (await store.GetDueConversationsAsync(now, 1_000_000)).Count;
        var progress = await new Capture.Progress.ProgressStore(store).LoadAsync(CancellationToken.None);
        var queued = (await store.GetQueuedDiscoveriesAsync(10_000_000)).Count;
        var capture = configuration.GetSection(CaptureOptions.Section).Get<CaptureOptions>() ?? new CaptureOptions();
        var itemsPerPage = configuration.GetValue<int?>("Freshchat:ItemsPerPage") ?? new Freshchat.FreshchatOptions().ItemsPerPage;
        var backfill = EstimateBackfill(cursors, meta, now, due, queued, progress, capture, itemsPerPage);
        output.Write(Render(cursors, meta, now, new ConversationBacklog(scheduled, due), backfill));
        output.Write(progress?.Describe() ?? string.Empty);
        if ((store as RedisCursorStore)?.Fence is { } lease)
        {
            output.WriteLine($"lease: {(await lease.ReadAsync()).Describe()}");
        }
    }

    /// <summary>
    /// The work a backfill or snapshot has left, or null when neither is under way: a backfill while the users listing
    /// has not completed once, users wait for their conversation lists or the discovery report has not covered the
    /// backfill's horizon yet (conversations due now count as unread); a snapshot while its conversations pass is in flight.
    /// </summary>
    public static Capture.Progress.BackfillEstimate? EstimateBackfill(IReadOnlyDictionary<string, ResourceCursor> cursors, IReadOnlyDictionary<string, string> meta,
        DateTimeOffset now, long due, long queued, Capture.Progress.InFlightProgress? progress, CaptureOptions options, int usersPerPage)
    {
        ArgumentNullException.ThrowIfNull(cursors);
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(options);
        var horizon = Capture.Sources.BackfillDiscovery.StoredHorizon(meta);
        var snapshot = progress?.Passes.FirstOrDefault(p => p.Resource.StartsWith(CaptureCatalogue.Conversations, StringComparison.Ordinal) && p.Verb == "re-emitted");
        var backfill = cursors.GetValueOrDefault(CaptureCatalogue.Users)?.HighWaterMark is null || queued > 0 || horizon is not null;
        if (!backfill && snapshot is null)
        {
            return null;
        }

        DateTimeOffset? reportFrom = null;
        if (backfill && !string.IsNullOrWhiteSpace(options.Conversations.DiscoveryReport) && string.IsNullOrEmpty(meta.GetValueOrDefault(MetaFields.DiscoveryReportUnusable)))
        {
            var cursor = cursors.GetValueOrDefault(CaptureCatalogue.Conversations) ?? ResourceCursor.Initial();
            reportFrom = ReportWindowState.Of(cursor, options.Conversations.DiscoveryReport).WindowEnd
                         ?? horizon ?? now - options.Reports.Lookback;
        }

        var unread = snapshot is { Known: { } known } ? Math.Max(0, known - snapshot.Done) : backfill ? due : 0;
        return Capture.Progress.BackfillEstimate.Derive(progress, usersPerPage, backfill ? queued : 0, unread, reportFrom, now - options.Reports.SettleDelay,
            options.Conversations.DiscoveryWindow);
    }

    /// <summary>The table, one row per resource; <c>-</c> where nothing is recorded yet.</summary>
    public static string Render(IReadOnlyDictionary<string, ResourceCursor> cursors, IReadOnlyDictionary<string, string> meta, DateTimeOffset now,
        ConversationBacklog? conversations = null, Capture.Progress.BackfillEstimate? backfill = null)
    {
        string[] header = ["resource", "cursor", "last cycle", "last success", "events", "requests", "lag", "state"];
        var rows = new List<string[]> { header };
        foreach (var resource in CaptureCatalogue.Names)
        {
            var cursor = cursors.GetValueOrDefault(resource);
            var lastSuccess = MetaFields.ParseTime(meta.GetValueOrDefault(MetaFields.LastSuccessAt(resource)));
            var failures = meta.GetValueOrDefault(MetaFields.ConsecutiveFailures(resource));
            var error = meta.GetValueOrDefault(MetaFields.LastError(resource));
            var unsupported = meta.GetValueOrDefault(MetaFields.Unsupported(resource));
            var forbidden = meta.GetValueOrDefault(MetaFields.Forbidden(resource));
            rows.Add(
            [
                resource,
                cursor?.HighWaterMark is { } mark ? Time(mark) : cursor is null ? "-" : "(scan)",
                Time(MetaFields.ParseTime(meta.GetValueOrDefault(MetaFields.LastCycleAt(resource)))),
                Time(lastSuccess),
                meta.GetValueOrDefault(MetaFields.LastEvents(resource)) ?? "-",
                meta.GetValueOrDefault(MetaFields.LastRequests(resource)) ?? "-",
                lastSuccess is { } success ? Lag(now - success) : "-",
                !string.IsNullOrEmpty(forbidden) ? $"forbidden: 403 on {forbidden} (likely scope {Freshchat.EndpointAccess.LikelyScope(forbidden)}); retried every Capture:ReconcileInterval"
                : !string.IsNullOrEmpty(error) ? $"failing ({failures}x): {error}"
                : !string.IsNullOrEmpty(unsupported) ? $"unsupported: {unsupported}"
                : lastSuccess is null ? "never run" : "ok",
            ]);
        }

        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var lines = rows.Select(r => string.Join("  ", r.Select((cell, i) => i == r.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        var text = string.Join(Environment.NewLine, lines) + Environment.NewLine;
        if (conversations is { } backlog)
        {
            text += $"conversations scheduled: {backlog.Scheduled}, due now: {backlog.Due}{Environment.NewLine}";
        }

        if (backfill is not null)
        {
            text += backfill.Describe() + Environment.NewLine;
        }

        if (meta.GetValueOrDefault(MetaFields.LastReportFailure(CaptureCatalogue.ReportEvents)) is { Length: > 0 } reportFailure)
        {
            text += $"report_events last failure: {reportFailure}{Environment.NewLine}";
        }

        foreach (var (field, since) in meta.Where(p => p.Key.StartsWith(MetaFields.ForbiddenEndpointPrefix, StringComparison.Ordinal) && p.Value.Length > 0)
                     .OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var endpoint = field[MetaFields.ForbiddenEndpointPrefix.Length..];
            text += $"endpoint forbidden (403): {endpoint}, likely scope {Freshchat.EndpointAccess.LikelyScope(endpoint)}, since {since}{Environment.NewLine}";
        }

        if (meta.GetValueOrDefault(MetaFields.DiscoveryReportUnusable) is { Length: > 0 } unusable)
        {
            text += $"conversation discovery report unusable ({unusable}): users' conversation lists are read instead{Environment.NewLine}";
        }

        foreach (var (field, why) in meta.Where(p => p.Key.StartsWith(Capture.Sources.ReportHints.UnusablePrefix, StringComparison.Ordinal) && p.Value.Length > 0)
                     .OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text += $"conversation hint report {field[Capture.Sources.ReportHints.UnusablePrefix.Length..]} left out ({why}): its changes wait for the poll schedule{Environment.NewLine}";
        }

        foreach (var resource in CaptureCatalogue.Names)
        {
            if (meta.GetValueOrDefault(MetaFields.DeletionsHeld(resource)) is { Length: > 0 } held && held.Split(' ') is [var count, var heldSince, ..])
            {
                text += $"{resource}: {count} deletion(s) held since {heldSince}, waiting for a second listing that agrees{Environment.NewLine}";
            }
        }

        if (meta.GetValueOrDefault(MetaFields.DeadLetters) is { Length: > 0 } deadLetters)
        {
            text += $"dead letters: {deadLetters} (last {meta.GetValueOrDefault(MetaFields.LastDeadLetter) ?? "-"}); reasons in the dlq_reason header of {{prefix}}.dlq{Environment.NewLine}";
        }

        if (meta.GetValueOrDefault(MetaFields.UsersUpdatedFilter) is { } filter)
        {
            text += $"users updated_from filter: {filter}{Environment.NewLine}";
        }

        if (meta.GetValueOrDefault(RedisKeys.StateCreatedAtField) is { } created)
        {
            text += $"state created: {created}{Environment.NewLine}";
        }

        if (meta.GetValueOrDefault(MetaFields.Resnapshot) is { Length: > 0 } lost)
        {
            text += $"state lost: found empty at {lost} after events had been published; re-capturing as a snapshot (op r) until a cycle succeeds for every resource{Environment.NewLine}";
        }

        return text;
    }

    private static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    private static string Lag(TimeSpan lag) =>
        lag < TimeSpan.Zero ? "0s"
        : lag.TotalHours >= 1 ? $"{(int)lag.TotalHours}h{lag.Minutes:00}m"
        : lag.TotalMinutes >= 1 ? $"{(int)lag.TotalMinutes}m{lag.Seconds:00}s"
        : $"{(int)lag.TotalSeconds}s";
}

/// <summary>How many conversations the schedule holds, and how many of them are due now.</summary>
public readonly record struct ConversationBacklog(long Scheduled, int Due);
