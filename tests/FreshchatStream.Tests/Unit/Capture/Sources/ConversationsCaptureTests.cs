using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// <see cref="ConversationsCapture"/>: the hot/cold schedule (open conversations at the poll interval, resolved
/// ones at <c>ResolvedInterval</c>, both backing off while idle), messages read only when <c>updated_time</c> moved
/// (always when it is absent), and the message cursor at the boundary instant (no duplicate, no loss).
/// </summary>
public sealed class ConversationsCaptureTests : IDisposable
{
    // Activity within the last minute of the harness clock (10:00): a first-seen conversation this recent stays hot,
    // so these tests observe the poll right after the first one (a quiet one would wait; ConversationLifecycleTests).
    private static readonly DateTimeOffset M1 = new(2025, 7, 1, 9, 59, 20, TimeSpan.Zero);
    private static readonly DateTimeOffset M2 = new(2025, 7, 1, 9, 59, 40, TimeSpan.Zero);

    private readonly StrategyHarness _harness = new();
    private readonly FreshchatMetrics _metrics = new();
    private readonly ConversationsCapture _conversations;

    public ConversationsCaptureTests()
    {
        _harness.Options.Conversations.DiscoveryReport = null; // discovery by report is ReportsCapture's and RawReportWindow's subject
        _conversations = new ConversationsCapture(new ConversationSignals(), new RawReportWindow(_harness.Time, NullLogger<RawReportWindow>.Instance),
            new ReportDiscovery(new EndpointAccess(_metrics, NullLogger<EndpointAccess>.Instance), NullLogger<ReportDiscovery>.Instance),
            NullLogger<ConversationsCapture>.Instance);
    }

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task CaptureAsync_NewConversation_EmitsItAndItsMessagesOldestFirstAndCursorsTheNewest()
    {
        await ScheduleAsync("c1");
        Conversation("c1", "new", "2025-07-01T09:59:40.000Z");
        Message("c1", "m2", M2);
        Message("c1", "m1", M1);

        await _harness.RunAsync(_conversations);

        Assert.Equal([("c1", "conversations", ChangeOp.Create), ("m1", "messages", ChangeOp.Create), ("m2", "messages", ChangeOp.Create)],
            _harness.LastEvents.Select(e => (e.Key.Id, e.Resource.Resource, e.Op)));
        var cursor = await MessageCursorAsync("c1");
        Assert.Equal(M2, cursor.HighWaterMark);
        Assert.Equal(["m2"], cursor.IdsAtHighWaterMark);
    }

    [Fact]
    public async Task CaptureAsync_UpdatedTimeUnchanged_DoesNotReadMessages()
    {
        await ScheduleAsync("c1");
        Conversation("c1", "new", "2025-07-01T09:59:40.000Z");
        Message("c1", "m1", M1);
        await _harness.RunAsync(_conversations);
        Message("c1", "m2", M2); // invisible without a sign: updated_time did not move
        _harness.Time.Advance(_harness.Options.PollInterval);

        await _harness.RunAsync(_conversations);

        Assert.Equal(2, _harness.Freshchat.ConversationGets.Count);
        Assert.Single(_harness.Freshchat.MessageReads);
        Assert.Empty(_harness.LastEvents);
    }

    [Fact]
    public async Task CaptureAsync_UpdatedTimeMoved_ReadsOnlyMessagesPastTheCursor()
    {
        await ScheduleAsync("c1");
        Conversation("c1", "new", "2025-07-01T09:59:20.000Z");
        Message("c1", "m1", M1);
        await _harness.RunAsync(_conversations);
        Conversation("c1", "new", "2025-07-01T09:59:40.000Z");
        Message("c1", "m2", M2);
        _harness.Time.Advance(_harness.Options.PollInterval);

        await _harness.RunAsync(_conversations);

        var boundary = _harness.Freshchat.MessageReads[^1].StopAt!;
        Assert.Equal(M1, boundary.CreatedTime);
        Assert.Equal(["m1"], boundary.IdsAtCreatedTime);
        Assert.Equal([("c1", ChangeOp.Update), ("m2", ChangeOp.Create)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
    }

    [Fact]
    public async Task CaptureAsync_ConversationWithoutUpdatedTime_ReadsMessagesAtEveryPoll()
    {
        await ScheduleAsync("c1");
        Conversation("c1", "new", updatedTime: null);
        Message("c1", "m1", M1);
        await _harness.RunAsync(_conversations);
        Message("c1", "m2", M2);
        _harness.Time.Advance(_harness.Options.PollInterval);

        await _harness.RunAsync(_conversations);

        Assert.Equal(2, _harness.Freshchat.MessageReads.Count);
        var message = Assert.Single(_harness.LastEvents);
        Assert.Equal(("m2", "messages"), (message.Key.Id, message.Resource.Resource));
    }

    [Fact]
    public async Task CaptureAsync_MessageAtTheBoundaryInstant_IsEmittedOnceAndJoinsTheIdsAtTheMark()
    {
        await ScheduleAsync("c1");
        Conversation("c1", "new", updatedTime: null);
        Message("c1", "m1", M1);
        Message("c1", "m2", M2);
        await _harness.RunAsync(_conversations);
        Message("c1", "m3", M2); // same instant as the high-water mark, arrived after the first read
        _harness.Time.Advance(_harness.Options.PollInterval);

        await _harness.RunAsync(_conversations);

        var message = Assert.Single(_harness.LastEvents);
        Assert.Equal("m3", message.Key.Id);
        var cursor = await MessageCursorAsync("c1");
        Assert.Equal(M2, cursor.HighWaterMark);
        Assert.Equal(["m2", "m3"], cursor.IdsAtHighWaterMark.Order());

        _harness.Time.Advance(_harness.Options.PollInterval * 2);
        await _harness.RunAsync(_conversations);
        Assert.Empty(_harness.LastEvents);
    }

    [Fact]
    public async Task CaptureAsync_OpenConversation_IsDueAgainAfterThePollIntervalAndBacksOffWhileIdle()
    {
        await ScheduleAsync("c1");
        Conversation("c1", "new", "2025-07-01T09:59:20.000Z");
        await _harness.RunAsync(_conversations);
        var polledAt = _harness.Time.GetUtcNow();

        Assert.Empty(await DueAsync(polledAt + _harness.Options.PollInterval - TimeSpan.FromSeconds(1)));
        Assert.Equal(["c1"], await DueAsync(polledAt + _harness.Options.PollInterval));

        _harness.Time.Advance(_harness.Options.PollInterval);
        await _harness.RunAsync(_conversations); // nothing changed: the next wait doubles
        var idleAt = _harness.Time.GetUtcNow();

        Assert.Empty(await DueAsync(idleAt + (_harness.Options.PollInterval * 2) - TimeSpan.FromSeconds(1)));
        Assert.Equal(["c1"], await DueAsync(idleAt + (_harness.Options.PollInterval * 2)));
    }

    [Fact]
    public async Task CaptureAsync_ResolvedConversation_IsDueOnlyAfterTheResolvedInterval()
    {
        _harness.Options.Conversations.ResolvedWatch = TimeSpan.Zero; // resolved 40 s ago: the watch has its own tests (ConversationLifecycleTests)
        await ScheduleAsync("c1");
        Conversation("c1", "resolved", "2025-07-01T09:59:20.000Z");
        await _harness.RunAsync(_conversations);
        var polledAt = _harness.Time.GetUtcNow();

        Assert.Empty(await DueAsync(polledAt + _harness.Options.Conversations.ResolvedInterval - TimeSpan.FromSeconds(1)));
        Assert.Equal(["c1"], await DueAsync(polledAt + _harness.Options.Conversations.ResolvedInterval));

        _harness.Time.Advance(_harness.Options.PollInterval);
        await _harness.RunAsync(_conversations);
        Assert.Single(_harness.Freshchat.ConversationGets); // not due: not asked again
    }

    [Fact]
    public async Task CaptureAsync_ConversationAnswers404_DeletesItAndStopsPollingIt()
    {
        await ScheduleAsync("c1");
        Conversation("c1", "new", "2025-07-01T09:59:20.000Z");
        await _harness.RunAsync(_conversations);
        _harness.Freshchat.Conversations.Remove("c1");
        _harness.Time.Advance(_harness.Options.PollInterval);

        await _harness.RunAsync(_conversations);

        var deleted = Assert.Single(_harness.LastEvents);
        Assert.Equal(("c1", ChangeOp.Delete), (deleted.Key.Id, deleted.Op));
        Assert.Empty(await DueAsync(DateTimeOffset.MaxValue));
    }

    private Task ScheduleAsync(string id) => _harness.Store.CommitAsync(new StateCommit().ScheduleConversation(id, _harness.Time.GetUtcNow()));

    private async Task<IReadOnlyList<string>> DueAsync(DateTimeOffset at) => await _harness.Store.GetDueConversationsAsync(at, 100);

    private async Task<ResourceCursor> MessageCursorAsync(string id) => (await _harness.Store.GetConversationStatesAsync([id]))[id].Messages;

    private void Conversation(string id, string status, string? updatedTime) =>
        _harness.Freshchat.Conversations[id] = updatedTime is null
            ? $$"""{"conversation_id":"{{id}}","status":"{{status}}"}"""
            : $$"""{"conversation_id":"{{id}}","status":"{{status}}","updated_time":"{{updatedTime}}"}""";

    private void Message(string conversationId, string id, DateTimeOffset created)
    {
        if (!_harness.Freshchat.Messages.TryGetValue(conversationId, out var list))
        {
            _harness.Freshchat.Messages[conversationId] = list = [];
        }

        list.Add($$"""{"id":"{{id}}","conversation_id":"{{conversationId}}","created_time":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}"}""");
    }
}
