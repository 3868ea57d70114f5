using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>
/// Raw report rows for the events in <c>Capture:Reports:Events</c>, one <see cref="RawReportWindow"/> per event
/// per cycle; every CSV row becomes a <c>report_events</c> record (id <c>{event}:{window start ms}:{row}</c>, stable
/// across re-downloads). Rows naming a conversation (<see cref="ReportDiscovery.ConversationIdOf"/>) also put that
/// conversation on the poll schedule.
/// </summary>
public sealed class ReportsCapture(RawReportWindow window, ReportDiscovery discovery) : IResourceCapture
{
    public IReadOnlyList<string> Resources => [CaptureCatalogue.ReportEvents];

    public async Task CaptureAsync(CaptureContext context, CancellationToken cancellationToken)
    {
        // Report rows are events, not state: a snapshot has nothing to re-emit for them.
        if (context.Mode == CaptureMode.Snapshot)
        {
            return;
        }

        var scheduleConversations = context.Selected.Contains(CaptureCatalogue.Conversations) || context.Selected.Contains(CaptureCatalogue.Messages);
        var cursor = context.Cursor(CaptureCatalogue.ReportEvents);
        context.Progress.StartPhase("report windows done", context.Options.Reports.EventNames().Count);
        foreach (var eventName in context.Options.Reports.EventNames())
        {
            var isDiscovery = string.Equals(eventName, context.Options.Conversations.DiscoveryReport, StringComparison.Ordinal);
            long rows = 0, withIds = 0;
            IReadOnlyList<string>? header = null;
            try
            {
                cursor = await window.RunAsync(context, CaptureCatalogue.ReportEvents, eventName, cursor, async (row, bounds) =>
                {
                    var record = ReportEventRow.Create(eventName, row.Source.From ?? bounds.Start, row.Source.To ?? bounds.End, row.RowNumber, row.Columns);
                    await context.Batch.AddAsync(ReportEventRow.ToChangeEvent(record, context.Now, context.Account), cancellationToken);
                    rows++;
                    header ??= [.. row.Columns.Select(c => c.Key)];
                    if (ReportDiscovery.ConversationIdOf(row) is { } conversationId)
                    {
                        withIds++;
                        if (scheduleConversations)
                        {
                            context.Batch.State.ScheduleConversation(conversationId, context.Now);
                        }
                    }
                }, cancellationToken, onWindowDone: () =>
                {
                    if (isDiscovery)
                    {
                        discovery.Observe(context, eventName, rows, withIds, header);
                    }
                });
            }
            catch (Freshchat.FreshchatForbiddenException e) when (isDiscovery)
            {
                // The pass itself is disabled by the cycle; discovery must not count on this report meanwhile.
                discovery.Forbidden(context, e);
                throw;
            }

            context.Progress.Advance();
        }
    }
}
