using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.State;
using FreshchatStream.Producer.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// A status signal (<c>conversation_resolution</c>, <c>conversation_reopen</c>, <c>conversation_assignment</c>) in
/// <see cref="ConversationsCapture"/>: the conversation is polled, and its messages are read only while
/// <c>message_create</c> webhooks are not known to arrive; a message whose webhook was lost is read at the re-check.
/// </summary>
[Trait("Issue", "#21")]
public sealed class ConversationStatusSignalTests : IDisposable
{
    private readonly StrategyHarness _harness = new();
    private readonly FreshchatMetrics _metrics = new();
    private readonly ConversationSignals _signals = new();
    private readonly WebhookActivity _webhooks;
    private readonly ConversationsCapture _conversations;

    public ConversationStatusSignalTests()
    {
        _harness.Options.Conversations.DiscoveryReport = null;
        _harness.Options.Conversations.HintReports = null;
        _harness.Options.Conversations.ResolvedInterval = TimeSpan.FromHours(1);
        _harness.Options.Conversations.MessageRecheckInterval = TimeSpan.FromHours(6);
        _webhooks = new WebhookActivity(Options.Create(new WebhookOptions { Enabled = true, GapWarningAfter = TimeSpan.FromMinutes(15) }), _harness.Time,
            NullLogger<WebhookActivity>.Instance);
        _conversations = Capture(_webhooks);
    }

    private DateTimeOffset Now => _harness.Time.GetUtcNow();

    public void Dispose() => _metrics.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StatusSignal_WhileMessageWebhooksArrive_PollsTheConversationWithoutAMessagesPage(bool push)
    {
        await KnownOpenConversationAsync("c1");
        _webhooks.Received(WebhookNotification.MessageCreate);
        var reads = _harness.Freshchat.MessageReads.Count;

        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        Conversation("c1", "resolved", Now);
        await _signals.SignalAsync("c1", ConversationSignal.Status, CancellationToken.None);
        await _harness.RunAsync(_conversations, push: push);

        Assert.Equal([("c1", ChangeOp.Update)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
        Assert.Equal(2, _harness.Freshchat.ConversationGets.Count);
        Assert.Equal(reads, _harness.Freshchat.MessageReads.Count);
        var state = (await _harness.Store.GetConversationStatesAsync(["c1"]))["c1"];
        Assert.Equal(Now, state.UpdatedTime); // the status change's updated_time is taken as seen
    }

    [Theory]
    [InlineData("none")] // Webhooks:Enabled off: no WebhookActivity at all
    [InlineData("status webhooks only")] // healthy, but Freshchat sends no message_create (a partial subscription)
    [InlineData("message webhooks stopped")] // the last message_create is older than Webhooks:GapWarningAfter
    public async Task StatusSignal_WithoutMessageWebhooksArriving_StillReadsTheMessages(string webhooks)
    {
        var activity = webhooks == "none" ? null : _webhooks;
        var capture = Capture(activity);
        await KnownOpenConversationAsync("c1", capture);
        if (webhooks == "message webhooks stopped")
        {
            _webhooks.Received(WebhookNotification.MessageCreate);
            _harness.Time.Advance(TimeSpan.FromMinutes(16));
        }

        _webhooks.Received("conversation_resolution");
        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        Message("c1", "m2", Now);
        Conversation("c1", "resolved", Now);
        await _signals.SignalAsync("c1", ConversationSignal.Status, CancellationToken.None);
        await _harness.RunAsync(capture, push: true);

        Assert.Equal([("c1", ChangeOp.Update), ("m2", ChangeOp.Create)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
    }

    [Fact]
    public async Task StatusAndMessageSignalsForOneConversation_ReadTheMessages()
    {
        await KnownOpenConversationAsync("c1");
        _webhooks.Received(WebhookNotification.MessageCreate);

        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        Message("c1", "m2", Now);
        Conversation("c1", "resolved", Now);
        await _signals.SignalAsync("c1", ConversationSignal.Messages, CancellationToken.None);
        await _signals.SignalAsync("c1", ConversationSignal.Status, CancellationToken.None);
        await _harness.RunAsync(_conversations, push: true);

        Assert.Equal([("c1", ChangeOp.Update), ("m2", ChangeOp.Create)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
    }

    [Fact]
    public async Task StatusSignalForAConversationNotYetKnown_ReadsItsMessages()
    {
        _webhooks.Received(WebhookNotification.MessageCreate);
        Conversation("c9", "resolved", Now);
        Message("c9", "m1", Now - TimeSpan.FromMinutes(1));

        await _signals.SignalAsync("c9", ConversationSignal.Status, CancellationToken.None);
        await _harness.RunAsync(_conversations, push: true);

        Assert.Equal([("c9", ChangeOp.Create), ("m1", ChangeOp.Create)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
    }

    [Fact]
    public async Task MessageWhoseWebhookWasLost_BeforeAStatusChange_IsReadAtTheFirstPollAfterMessageRecheckInterval()
    {
        await KnownOpenConversationAsync("c1");
        var lastRead = Now;
        _webhooks.Received(WebhookNotification.MessageCreate);

        // A customer writes (its message_create is lost), then an agent resolves: only the resolution is signalled.
        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        Message("c1", "m2", Now);
        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        Conversation("c1", "resolved", Now);
        await _signals.SignalAsync("c1", ConversationSignal.Status, CancellationToken.None);
        await _harness.RunAsync(_conversations, push: true);
        Assert.Equal([("c1", ChangeOp.Update)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));

        // Its scheduled polls (resolved: 1 h, then 2 h, 4 h) see updated_time unchanged until the re-check is due.
        var published = new List<(TimeSpan After, string Id)>();
        for (var poll = 0; poll < 6 && published.Count == 0; poll++)
        {
            var due = (await _harness.Store.GetDueConversationsAsync(DateTimeOffset.MaxValue, 10)).Single();
            Assert.Equal("c1", due);
            _harness.Time.Advance(await NextDueAsync("c1") - Now);
            _webhooks.Received(WebhookNotification.MessageCreate); // other conversations' messages keep arriving
            await _harness.RunAsync(_conversations);
            published.AddRange(_harness.LastEvents.Where(e => e.Key.Id == "m2").Select(e => (Now - lastRead, e.Key.Id)));
        }

        var (after, _) = Assert.Single(published);
        Assert.True(after >= _harness.Options.Conversations.MessageRecheckInterval, $"read after {after}");
        // Resolved polls back off from ResolvedInterval, so the first poll at or past the re-check comes within twice it plus ResolvedInterval.
        Assert.True(after < (2 * _harness.Options.Conversations.MessageRecheckInterval) + _harness.Options.Conversations.ResolvedInterval, $"read after {after}");
    }

    private ConversationsCapture Capture(WebhookActivity? webhooks) =>
        new(_signals, new RawReportWindow(_harness.Time, NullLogger<RawReportWindow>.Instance),
            new ReportDiscovery(new EndpointAccess(_metrics, NullLogger<EndpointAccess>.Instance), NullLogger<ReportDiscovery>.Instance),
            NullLogger<ConversationsCapture>.Instance, webhooks);

    /// <summary>An open conversation with one message, polled once, so its state (updated_time, message position) is stored.</summary>
    private async Task KnownOpenConversationAsync(string id, ConversationsCapture? capture = null)
    {
        await _harness.Store.CommitAsync(new StateCommit().ScheduleConversation(id, Now));
        Conversation(id, "assigned", Now);
        Message(id, "m1", Now);
        await _harness.RunAsync(capture ?? _conversations);
        Assert.Equal([(id, ChangeOp.Create), ("m1", ChangeOp.Create)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
    }

    private Task<DateTimeOffset> NextDueAsync(string id) => _harness.NextDueAsync(id);

    private void Conversation(string id, string status, DateTimeOffset updated) => _harness.Conversation(id, status, updated);

    private void Message(string conversationId, string id, DateTimeOffset created) => _harness.Message(conversationId, id, created);
}
