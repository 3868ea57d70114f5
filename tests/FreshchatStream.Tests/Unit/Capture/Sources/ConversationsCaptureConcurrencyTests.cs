using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// <see cref="ConversationsCapture"/> with several conversations read at once (<c>Freshchat:MaxConcurrency</c>):
/// reads overlap and complete out of order, yet each conversation's events stay contiguous, in poll order and
/// oldest message first, and nothing is committed unless every event of the batch was acknowledged.
/// </summary>
[Trait("Issue", "#21")]
public sealed class ConversationsCaptureConcurrencyTests : IDisposable
{
    private static readonly DateTimeOffset Base = new(2025, 7, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly StrategyHarness _harness = new();
    private readonly FreshchatMetrics _metrics = new();
    private readonly ConversationsCapture _conversations;

    public ConversationsCaptureConcurrencyTests()
    {
        _harness.Options.Conversations.DiscoveryReport = null;
        _harness.Freshchat.MaxConcurrency = 4;
        _conversations = new ConversationsCapture(new ConversationSignals(), new RawReportWindow(_harness.Time, NullLogger<RawReportWindow>.Instance),
            new ReportDiscovery(new EndpointAccess(_metrics, NullLogger<EndpointAccess>.Instance), NullLogger<ReportDiscovery>.Instance),
            NullLogger<ConversationsCapture>.Instance);
    }

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task CaptureAsync_ReadsCompleteOutOfOrder_EventsStayInPollOrderAndMessagesOldestFirst()
    {
        var ids = Enumerable.Range(1, 7).Select(i => $"c{i}").ToList();
        foreach (var id in ids)
        {
            await ScheduleAsync(id);
            Conversation(id);
            // Added newest first and shuffled: the capture must sort them by created_time.
            foreach (var minute in new[] { 2, 0, 3, 1 })
            {
                Message(id, $"{id}-m{minute}", Base.AddMinutes(minute));
            }
        }

        var pollOrder = await _harness.Store.GetDueConversationsAsync(_harness.Time.GetUtcNow(), 100);
        // The first conversation's messages answer only once the fourth's read has started: reads must overlap,
        // and the first completes last among them.
        var fourthStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _harness.Freshchat.BeforeMessages = async id =>
        {
            if (id == pollOrder[3])
            {
                fourthStarted.TrySetResult();
            }
            else if (id == pollOrder[0])
            {
                await fourthStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
        };

        await _harness.RunAsync(_conversations);

        Assert.True(_harness.Freshchat.MaxMessageReadsInFlight >= 2, "message reads of different conversations never overlapped");
        var expected = pollOrder.SelectMany(id => new[] { (id, "conversations") }
            .Concat(new[] { 0, 1, 2, 3 }.Select(minute => ($"{id}-m{minute}", "messages")))).ToList();
        Assert.Equal(expected, _harness.LastEvents.Select(e => (e.Key.Id, e.Resource.Resource)).ToList());
        var states = await _harness.Store.GetConversationStatesAsync(ids);
        Assert.All(ids, id => Assert.Equal(Base.AddMinutes(3), states[id].Messages.HighWaterMark));
    }

    [Fact]
    public async Task CaptureAsync_ConcurrentReadsAndOneEventNotAcknowledged_CommitsNothing()
    {
        var ids = Enumerable.Range(1, 6).Select(i => $"c{i}").ToList();
        foreach (var id in ids)
        {
            await ScheduleAsync(id);
            Conversation(id);
            Message(id, $"{id}-m0", Base);
        }

        _harness.Sink.FailWhen = e => e.Key.Id == "c5-m0";

        await Assert.ThrowsAsync<DeliveryIncompleteException>(() => _harness.RunAsync(_conversations));

        Assert.Empty(_harness.Sink.Acknowledged);
        Assert.Empty(await _harness.Store.GetConversationStatesAsync(ids));
        Assert.Empty(await _harness.Store.GetFingerprintsAsync(CaptureCatalogue.Conversations, ids));
        Assert.Equal(ids.Count, (await _harness.Store.GetDueConversationsAsync(_harness.Time.GetUtcNow(), 100)).Count); // all still due
    }

    [Fact]
    public async Task CaptureAsync_SmallBatchesWithConcurrentReads_CursorOfAConversationIsCommittedOnlyWithItsLastMessage()
    {
        _harness.Options.BatchSize = 3;
        var ids = Enumerable.Range(1, 5).Select(i => $"c{i}").ToList();
        foreach (var id in ids)
        {
            await ScheduleAsync(id);
            Conversation(id);
            for (var minute = 0; minute < 4; minute++)
            {
                Message(id, $"{id}-m{minute}", Base.AddMinutes(minute));
            }
        }

        var pollOrder = await _harness.Store.GetDueConversationsAsync(_harness.Time.GetUtcNow(), 100);
        // Everything from the third conversation's last message on fails: what was acknowledged before stays, nothing after.
        var failFrom = $"{pollOrder[2]}-m3";
        var failing = false;
        _harness.Sink.FailWhen = e => failing = failing || e.Key.Id == failFrom;

        await Assert.ThrowsAsync<DeliveryIncompleteException>(() => _harness.RunAsync(_conversations));

        var cursors = (await _harness.Store.GetConversationStatesAsync(ids)).ToDictionary(p => p.Key, p => p.Value.Messages, StringComparer.Ordinal);
        var acknowledged = _harness.Sink.Acknowledged.Select(e => e.Key.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            // A committed cursor implies every message up to it was acknowledged.
            if (cursors.TryGetValue(id, out var cursor))
            {
                Assert.Equal(Base.AddMinutes(3), cursor.HighWaterMark);
                Assert.All(Enumerable.Range(0, 4), minute => Assert.Contains($"{id}-m{minute}", acknowledged));
            }
        }

        Assert.True(cursors.ContainsKey(pollOrder[0]));
        Assert.False(cursors.ContainsKey(pollOrder[2]));
        Assert.False(cursors.ContainsKey(pollOrder[3]));
    }

    [Fact]
    public async Task CaptureAsync_DiscoveryReadsUsersListsConcurrently_SchedulesEveryConversationAndDrainsTheQueue()
    {
        var queue = new StateCommit();
        for (var u = 1; u <= 6; u++)
        {
            queue.QueueDiscovery($"u{u}", _harness.Time.GetUtcNow());
            _harness.Freshchat.UserConversations[$"u{u}"] = u % 2 == 0 ? [$"cu{u}"] : [];
            Conversation($"cu{u}");
        }

        await _harness.Store.CommitAsync(queue);

        await _harness.RunAsync(_conversations);

        Assert.Equal(["cu2", "cu4", "cu6"], _harness.LastEvents.Where(e => e.Resource.Resource == "conversations").Select(e => e.Key.Id).Order().ToList());
        Assert.Empty(await _harness.Store.GetQueuedDiscoveriesAsync(100));
    }

    [Fact]
    public async Task SnapshotAsync_ConcurrentReads_ReEmitsInIdOrderWithMessagesOldestFirst()
    {
        var ids = new[] { "c3", "c1", "c2", "c5", "c4" };
        foreach (var id in ids)
        {
            await ScheduleAsync(id);
            Conversation(id);
            Message(id, $"{id}-m1", Base.AddMinutes(1));
            Message(id, $"{id}-m0", Base);
        }

        _harness.Freshchat.BeforeMessages = id => id == "c1" ? Task.Delay(50) : Task.CompletedTask;

        await _harness.RunAsync(_conversations, CaptureMode.Snapshot);

        var expected = ids.Order(StringComparer.Ordinal).SelectMany(id => new[] { id, $"{id}-m0", $"{id}-m1" }).ToList();
        Assert.Equal(expected, _harness.LastEvents.Select(e => e.Key.Id).ToList());
        Assert.All(_harness.LastEvents, e => Assert.Equal(ChangeOp.Snapshot, e.Op));
    }

    private Task ScheduleAsync(string id) => _harness.Store.CommitAsync(new StateCommit().ScheduleConversation(id, _harness.Time.GetUtcNow()));

    private void Conversation(string id) =>
        _harness.Freshchat.Conversations[id] = $$"""{"conversation_id":"{{id}}","status":"new","updated_time":"2025-07-01T09:05:00.000Z"}""";

    private void Message(string conversationId, string id, DateTimeOffset created)
    {
        if (!_harness.Freshchat.Messages.TryGetValue(conversationId, out var list))
        {
            _harness.Freshchat.Messages[conversationId] = list = [];
        }

        list.Add($$"""{"id":"{{id}}","conversation_id":"{{conversationId}}","created_time":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}"}""");
    }
}
