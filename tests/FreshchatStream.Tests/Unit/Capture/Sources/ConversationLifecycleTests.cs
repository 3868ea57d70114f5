using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// The life of a resolved conversation in <see cref="ConversationsCapture"/>: backoff up to
/// <c>Capture:Conversations:ResolvedMaxInterval</c>, retirement after <c>RetainResolved</c> without activity (keeping
/// the fingerprint and the message position), and the ways back — its user's conversation list and a signal.
/// </summary>
[Trait("Issue", "#21")]
public sealed class ConversationLifecycleTests : IDisposable
{
    private readonly StrategyHarness _harness = new();
    private readonly FreshchatMetrics _metrics = new();
    private readonly ConversationSignals _signals = new();
    private readonly ConversationsCapture _conversations;

    public ConversationLifecycleTests()
    {
        _harness.Options.Conversations.DiscoveryReport = null;
        _harness.Options.Conversations.ResolvedInterval = TimeSpan.FromHours(1);
        _harness.Options.Conversations.ResolvedMaxInterval = TimeSpan.FromDays(7);
        _harness.Options.Conversations.RetainResolved = TimeSpan.FromDays(30);
        _conversations = new ConversationsCapture(_signals, new RawReportWindow(_harness.Time, NullLogger<RawReportWindow>.Instance),
            new ReportDiscovery(new EndpointAccess(_metrics, NullLogger<EndpointAccess>.Instance), NullLogger<ReportDiscovery>.Instance),
            NullLogger<ConversationsCapture>.Instance);
    }

    private DateTimeOffset Now => _harness.Time.GetUtcNow();

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task CaptureAsync_QuietResolvedConversation_BacksOffFromResolvedIntervalUpToResolvedMaxInterval()
    {
        _harness.Options.Conversations.RetainResolved = TimeSpan.Zero; // never retired: only the backoff is observed
        await ScheduleAsync("c1");
        Conversation("c1", "resolved", Now);

        var waits = new List<TimeSpan>();
        for (var poll = 0; poll < 10; poll++)
        {
            await _harness.RunAsync(_conversations);
            var due = await NextDueAsync("c1");
            waits.Add(due - Now);
            _harness.Time.Advance(due - Now);
        }

        Assert.Equal(TimeSpan.FromHours(1), waits[0]);
        Assert.Equal(TimeSpan.FromHours(2), waits[1]);
        Assert.Equal(TimeSpan.FromDays(7), waits.Max());
        Assert.Equal(TimeSpan.FromDays(7), waits[^1]);
        Assert.Equal(10, _harness.Freshchat.ConversationGets.Count);
    }

    [Fact]
    public async Task CaptureAsync_ResolvedAndQuietForRetainResolved_LeavesTheScheduleKeepingFingerprintAndMessagePosition()
    {
        var resolvedAt = Now - TimeSpan.FromDays(10);
        await ScheduleAsync("c1");
        Conversation("c1", "resolved", resolvedAt);
        Message("c1", "m1", resolvedAt);

        await _harness.RunAsync(_conversations);
        Assert.Equal(["c1", "m1"], _harness.LastEvents.Select(e => e.Key.Id));

        // Polled at the backoff until the last activity is RetainResolved (30 days) old, then retired.
        var polls = 1;
        while (await _harness.Store.CountScheduledConversationsAsync() > 0)
        {
            var due = await NextDueAsync("c1");
            Assert.True(due - resolvedAt <= TimeSpan.FromDays(30) + TimeSpan.FromDays(7), $"still scheduled at {due - resolvedAt} after its last activity");
            _harness.Time.Advance(due - Now);
            await _harness.RunAsync(_conversations);
            Assert.Empty(_harness.LastEvents);
            polls++;
        }

        Assert.True(Now - resolvedAt >= TimeSpan.FromDays(30));
        var state = (await _harness.Store.GetConversationStatesAsync(["c1"]))["c1"];
        Assert.True(state.Retired);
        Assert.Equal(resolvedAt, state.Messages.HighWaterMark);
        Assert.Equal(["m1"], state.Messages.IdsAtHighWaterMark);
        Assert.Null(state.RecheckAt);
        Assert.Single(await _harness.Store.GetFingerprintsAsync(CaptureCatalogue.Conversations, ["c1"]));

        // Retired means no request at all, however long it waits.
        _harness.Time.Advance(TimeSpan.FromDays(365));
        await _harness.RunAsync(_conversations);
        Assert.Equal(polls, _harness.Freshchat.ConversationGets.Count);
    }

    [Fact]
    public async Task CaptureAsync_ArchivedConversationFirstSeen_IsCapturedOnceAndRetiredAtOnce()
    {
        var resolvedAt = Now - TimeSpan.FromDays(400);
        await ScheduleAsync("c1");
        Conversation("c1", "resolved", resolvedAt);
        Message("c1", "m1", resolvedAt);

        await _harness.RunAsync(_conversations);

        Assert.Equal([("c1", ChangeOp.Create), ("m1", ChangeOp.Create)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
        Assert.Equal(0, await _harness.Store.CountScheduledConversationsAsync());
        Assert.True((await _harness.Store.GetConversationStatesAsync(["c1"]))["c1"].Retired);
    }

    [Fact]
    public async Task CaptureAsync_OpenConversationQuietForLong_StaysScheduled()
    {
        await ScheduleAsync("c1");
        Conversation("c1", "new", Now - TimeSpan.FromDays(400));

        await _harness.RunAsync(_conversations);

        Assert.Equal(1, await _harness.Store.CountScheduledConversationsAsync());
    }

    [Fact]
    public async Task CaptureAsync_RetiredConversationInItsUsersList_IsPolledOnceAndReturnsOnlyWhenItChanged()
    {
        var resolvedAt = Now - TimeSpan.FromDays(400);
        await ScheduleAsync("c1");
        Conversation("c1", "resolved", resolvedAt);
        Message("c1", "m1", resolvedAt);
        await _harness.RunAsync(_conversations);
        _harness.Freshchat.UserConversations["u1"] = ["c1"];

        // The user changed (reconciliation queued it): its list names c1, which is polled once, unchanged, and retired again.
        _harness.Time.Advance(TimeSpan.FromDays(1));
        await _harness.Store.CommitAsync(new StateCommit().QueueDiscovery("u1", Now));
        await _harness.RunAsync(_conversations);
        Assert.Equal(2, _harness.Freshchat.ConversationGets.Count);
        Assert.Empty(_harness.LastEvents);
        Assert.Equal(0, await _harness.Store.CountScheduledConversationsAsync());
        Assert.Empty(await _harness.Store.GetQueuedDiscoveriesAsync(10));

        // Reopened with a new message: the next reconciliation of the user brings it back with exactly the changes.
        _harness.Time.Advance(TimeSpan.FromDays(1));
        Conversation("c1", "new", Now);
        Message("c1", "m2", Now);
        await _harness.Store.CommitAsync(new StateCommit().QueueDiscovery("u1", Now));
        await _harness.RunAsync(_conversations);

        Assert.Equal([("c1", ChangeOp.Update), ("m2", ChangeOp.Create)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
        Assert.Equal(Now + _harness.Options.PollInterval, await NextDueAsync("c1"));
        Assert.False((await _harness.Store.GetConversationStatesAsync(["c1"]))["c1"].Retired);
    }

    [Fact]
    public async Task CaptureAsync_RetiredConversationSignalledForAMessage_GetsAFullPollAndReturns()
    {
        var resolvedAt = Now - TimeSpan.FromDays(400);
        await ScheduleAsync("c1");
        Conversation("c1", "resolved", resolvedAt);
        await _harness.RunAsync(_conversations);

        _harness.Time.Advance(TimeSpan.FromDays(1));
        Conversation("c1", "new", Now);
        Message("c1", "m1", Now);
        await _signals.SignalAsync("c1", messagesOnly: true, CancellationToken.None);
        await _harness.RunAsync(_conversations);

        Assert.Equal([("c1", ChangeOp.Update), ("m1", ChangeOp.Create)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
        Assert.Equal(1, await _harness.Store.CountScheduledConversationsAsync());
    }

    [Fact]
    public void Validate_RetainResolvedShorterThanResolvedMaxInterval_NamesTheKey()
    {
        var options = new ConversationCaptureOptions { ResolvedMaxInterval = TimeSpan.FromDays(7), RetainResolved = TimeSpan.FromDays(3) };

        Assert.Contains(options.Validate(), e => e.StartsWith("Capture:Conversations:RetainResolved", StringComparison.Ordinal));
        Assert.Empty(new ConversationCaptureOptions().Validate());
        Assert.Empty(new ConversationCaptureOptions { RetainResolved = TimeSpan.Zero }.Validate());
    }

    private Task ScheduleAsync(string id) => _harness.Store.CommitAsync(new StateCommit().ScheduleConversation(id, Now));

    private async Task<DateTimeOffset> NextDueAsync(string id)
    {
        // The in-memory schedule answers "due by"; the exact due time is found by bisection over milliseconds.
        Assert.Contains(id, await _harness.Store.GetDueConversationsAsync(DateTimeOffset.MaxValue, 100));
        long low = Now.ToUnixTimeMilliseconds() - 1, high = (Now + TimeSpan.FromDays(400)).ToUnixTimeMilliseconds();
        while (high - low > 1)
        {
            var mid = low + ((high - low) / 2);
            if ((await _harness.Store.GetDueConversationsAsync(DateTimeOffset.FromUnixTimeMilliseconds(mid), 100)).Contains(id))
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(high);
    }

    private void Conversation(string id, string status, DateTimeOffset updated) =>
        _harness.Freshchat.Conversations[id] = $$"""{"conversation_id":"{{id}}","status":"{{status}}","updated_time":"{{updated:yyyy-MM-ddTHH:mm:ss.fffZ}}"}""";

    private void Message(string conversationId, string id, DateTimeOffset created)
    {
        if (!_harness.Freshchat.Messages.TryGetValue(conversationId, out var list))
        {
            _harness.Freshchat.Messages[conversationId] = list = [];
        }

        list.Add($$"""{"id":"{{id}}","conversation_id":"{{conversationId}}","created_time":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}"}""");
    }
}
