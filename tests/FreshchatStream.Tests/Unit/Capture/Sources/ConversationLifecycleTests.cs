using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// The life of a resolved conversation in <see cref="ConversationsCapture"/>: the watch right after its resolution
/// (<c>Capture:Conversations:ResolvedWatch</c>), backoff up to
/// <c>Capture:Conversations:ResolvedMaxInterval</c>, retirement after <c>RetainResolved</c> without activity (keeping
/// the fingerprint and the message position), and the ways back — its user's conversation list and a signal.
/// </summary>
[Trait("Issue", "#21")]
public sealed class ConversationLifecycleTests : IDisposable
{
    private readonly StrategyHarness _harness = new();

    /// <summary>The watch of recent resolutions, off by default, as its tests turn it on (the value operations.md suggests).</summary>
    private static readonly TimeSpan Watch = TimeSpan.FromMinutes(10);
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
        _harness.Options.Conversations.ResolvedWatch = TimeSpan.Zero; // resolved just now: the watch before the backoff has its own tests
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
        await _signals.SignalAsync("c1", ConversationSignal.Messages, CancellationToken.None);
        await _harness.RunAsync(_conversations);

        Assert.Equal([("c1", ChangeOp.Update), ("m1", ChangeOp.Create)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
        Assert.Equal(1, await _harness.Store.CountScheduledConversationsAsync());
    }

    [Fact]
    public async Task CaptureAsync_OpenConversationFirstSeenQuietForDays_IsScheduledAtOpenMaxIntervalNotNextCycle()
    {
        var lastActive = Now - TimeSpan.FromDays(3);
        await ScheduleAsync("c1");
        Conversation("c1", "assigned", lastActive);
        Message("c1", "m1", lastActive);

        await _harness.RunAsync(_conversations);

        Assert.Equal([("c1", ChangeOp.Create), ("m1", ChangeOp.Create)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
        Assert.Equal(Now + _harness.Options.Conversations.OpenMaxInterval, await NextDueAsync("c1"));

        // Unchanged at that poll: it stays at the longest interval instead of starting the doubling again.
        _harness.Time.Advance(_harness.Options.Conversations.OpenMaxInterval);
        await _harness.RunAsync(_conversations);
        Assert.Empty(_harness.LastEvents);
        Assert.Equal(Now + _harness.Options.Conversations.OpenMaxInterval, await NextDueAsync("c1"));
        Assert.Equal(2, _harness.Freshchat.ConversationGets.Count);
    }

    [Fact]
    public async Task CaptureAsync_OpenConversationFirstSeenQuietForMinutes_WaitsThatLongThenDoublesFromThere()
    {
        _harness.Options.PollInterval = TimeSpan.FromSeconds(30);
        _harness.Options.Conversations.OpenMaxInterval = TimeSpan.FromHours(1);
        await ScheduleAsync("c1");
        Conversation("c1", "new", Now - TimeSpan.FromMinutes(5));

        await _harness.RunAsync(_conversations);
        Assert.Equal(Now + TimeSpan.FromMinutes(5), await NextDueAsync("c1"));

        // Quiet for 5 minutes is step 3 of the doubling from 30 s (4 min); the next unchanged poll is step 4 (8 min).
        _harness.Time.Advance(TimeSpan.FromMinutes(5));
        await _harness.RunAsync(_conversations);
        Assert.Equal(Now + TimeSpan.FromMinutes(8), await NextDueAsync("c1"));
        Assert.Equal(4, (await _harness.Store.GetConversationStatesAsync(["c1"]))["c1"].IdlePolls);
    }

    [Fact]
    public async Task CaptureAsync_OpenConversationFirstSeenWithRecentActivity_StaysHot()
    {
        await ScheduleAsync("c1");
        await ScheduleAsync("c2");
        Conversation("c1", "new", Now - TimeSpan.FromSeconds(50)); // within two poll intervals (30 s)
        Conversation("c2", "new", Now - TimeSpan.FromDays(2));
        Message("c2", "m1", Now - TimeSpan.FromSeconds(10)); // an old updated_time, but a message just now

        await _harness.RunAsync(_conversations);

        Assert.Equal(Now + _harness.Options.PollInterval, await NextDueAsync("c1"));
        Assert.Equal(Now + _harness.Options.PollInterval, await NextDueAsync("c2"));
        Assert.Equal(0, (await _harness.Store.GetConversationStatesAsync(["c1"]))["c1"].IdlePolls);
    }

    [Fact]
    public async Task CaptureAsync_ResolvedConversationFirstSeenQuiet_KeepsTheResolvedIntervalRule()
    {
        await ScheduleAsync("c1");
        Conversation("c1", "resolved", Now - TimeSpan.FromDays(3));

        await _harness.RunAsync(_conversations);

        Assert.Equal(Now + _harness.Options.Conversations.ResolvedInterval, await NextDueAsync("c1"));
    }

    [Fact]
    public async Task CaptureAsync_QuietFirstSeenConversationGetsAMessage_CaughtAtItsNextPollOrAtOnceWhenSignalled()
    {
        var lastActive = Now - TimeSpan.FromDays(3);
        await ScheduleAsync("c1");
        await ScheduleAsync("c2");
        Conversation("c1", "new", lastActive);
        Conversation("c2", "new", lastActive);
        await _harness.RunAsync(_conversations);

        // Both get a message a minute later: c1 is caught at its scheduled poll, c2 at once by a signal (a webhook).
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        Conversation("c1", "new", Now);
        Message("c1", "m1", Now);
        Conversation("c2", "new", Now);
        Message("c2", "m2", Now);
        await _signals.SignalAsync("c2", ConversationSignal.Messages, CancellationToken.None);
        await _harness.RunAsync(_conversations);
        Assert.Equal([("c2", ChangeOp.Update), ("m2", ChangeOp.Create)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));

        _harness.Time.Advance(_harness.Options.Conversations.OpenMaxInterval);
        await _harness.RunAsync(_conversations);
        Assert.Equal([("c1", ChangeOp.Update), ("m1", ChangeOp.Create)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
        Assert.Equal(Now + _harness.Options.PollInterval, await NextDueAsync("c1")); // changed: hot again
    }

    [Theory]
    [InlineData(0, 30, 0)] // active now: hot
    [InlineData(59, 30, 0)] // within two poll intervals: hot
    [InlineData(60, 60, 1)]
    [InlineData(300, 300, 3)]
    [InlineData(86_400, 900, 4)] // quiet for a day: OpenMaxInterval (15 min), the idle count of 30 s × 2^4 = 8 min < 15 min
    public void FirstSeen_OpenConversation_WaitsMinOfQuietTimeAndOpenMaxInterval(int quietSeconds, int expectedWaitSeconds, int expectedIdle)
    {
        var now = Now;
        var (due, idle) = ConversationSchedule.FirstSeen(now, "new", now - TimeSpan.FromSeconds(quietSeconds), TimeSpan.FromSeconds(30), new ConversationCaptureOptions());

        Assert.Equal(now + TimeSpan.FromSeconds(expectedWaitSeconds), due);
        Assert.Equal(expectedIdle, idle);
    }

    [Fact]
    public void FirstSeen_WithAQuietInterval_IsHotOnlyWithinTwoOfThoseAndNeverBelowIt()
    {
        var now = Now;
        var options = new ConversationCaptureOptions { OpenMaxInterval = TimeSpan.FromHours(1) };
        var quiet = TimeSpan.FromMinutes(10);

        Assert.Equal((now + quiet, 0), ConversationSchedule.FirstSeen(now, "new", now - TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(30), options, quiet));
        Assert.Equal((now + TimeSpan.FromMinutes(25), 1), ConversationSchedule.FirstSeen(now, "new", now - TimeSpan.FromMinutes(25), TimeSpan.FromSeconds(30), options, quiet));
        Assert.Equal((now + options.ResolvedInterval, 0), ConversationSchedule.FirstSeen(now, "resolved", now - TimeSpan.FromDays(2), TimeSpan.FromSeconds(30), options, quiet));
        Assert.Equal((now + TimeSpan.FromSeconds(30), 0), ConversationSchedule.FirstSeen(now, "new", now + TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30), options)); // clock skew
    }

    [Fact]
    public async Task CaptureAsync_ConversationJustResolved_IsWatchedUntilResolvedWatchThenBacksOffFromTwiceResolvedInterval()
    {
        _harness.Options.Conversations.ResolvedWatch = Watch;
        _harness.Options.Conversations.RetainResolved = TimeSpan.Zero;
        await ScheduleAsync("c1");
        Conversation("c1", "assigned", Now - TimeSpan.FromDays(1));
        await _harness.RunAsync(_conversations);
        _harness.Time.Advance(await NextDueAsync("c1") - Now);
        Conversation("c1", "resolved", Now);
        await _harness.RunAsync(_conversations);
        Assert.Equal([("c1", ChangeOp.Update)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
        var resolvedSeenAt = Now;

        // Watched: as long as it has been quiet, from the poll interval (30 s) up to ResolvedWatchInterval (1 min).
        var waits = new List<TimeSpan>();
        while (Now - resolvedSeenAt < _harness.Options.Conversations.ResolvedWatch)
        {
            var due = await NextDueAsync("c1");
            waits.Add(due - Now);
            _harness.Time.Advance(due - Now);
            await _harness.RunAsync(_conversations);
            Assert.Empty(_harness.LastEvents);
        }

        Assert.Equal(TimeSpan.FromSeconds(30), waits[0]);
        Assert.Equal(TimeSpan.FromSeconds(30), waits[1]);
        Assert.All(waits.Skip(2), w => Assert.Equal(TimeSpan.FromMinutes(1), w));
        Assert.Equal(11, waits.Count); // the cost of a quiet resolution: ResolvedWatch ÷ ResolvedWatchInterval + 1 reads

        // Then the resolved backoff from its second step, as after an unchanged poll.
        Assert.Equal(Now + (2 * _harness.Options.Conversations.ResolvedInterval), await NextDueAsync("c1"));
        Assert.Equal(1, (await _harness.Store.GetConversationStatesAsync(["c1"]))["c1"].IdlePolls);
    }

    [Fact]
    public async Task CaptureAsync_ReopenWithoutAMessageDuringTheWatch_IsCapturedWithinResolvedWatchInterval()
    {
        _harness.Options.Conversations.ResolvedWatch = Watch;
        await ScheduleAsync("c1");
        Conversation("c1", "assigned", Now - TimeSpan.FromDays(1));
        Message("c1", "m1", Now - TimeSpan.FromDays(1));
        await _harness.RunAsync(_conversations);
        _harness.Time.Advance(await NextDueAsync("c1") - Now);
        Conversation("c1", "resolved", Now);
        await _harness.RunAsync(_conversations);

        // Reopened by status alone 7.5 minutes later, with no message and no signal.
        _harness.Time.Advance(TimeSpan.FromMinutes(7.5));
        var reopenedAt = Now;
        Conversation("c1", "reopened", Now);
        do
        {
            _harness.Time.Advance(await NextDueAsync("c1") - Now);
            await _harness.RunAsync(_conversations);
        }
        while (!_harness.LastEvents.Any(e => e.Key.Id == "c1"));

        Assert.True(Now - reopenedAt <= _harness.Options.Conversations.ResolvedWatchInterval, $"seen {Now - reopenedAt} after the reopen");
        Assert.Equal(Now + _harness.Options.PollInterval, await NextDueAsync("c1")); // changed and open: hot again
    }

    [Fact]
    public async Task CaptureAsync_ResolvedAgainAfterAReopen_IsWatchedAgain()
    {
        _harness.Options.Conversations.ResolvedWatch = Watch;
        await ScheduleAsync("c1");
        Conversation("c1", "resolved", Now - TimeSpan.FromDays(3));
        await _harness.RunAsync(_conversations);
        Assert.Equal(Now + _harness.Options.Conversations.ResolvedInterval, await NextDueAsync("c1")); // long resolved: not watched

        // Reopened and resolved again between two polls: the poll sees a new resolution (a change) and watches it.
        _harness.Time.Advance(_harness.Options.Conversations.ResolvedInterval);
        Conversation("c1", "resolved", Now - TimeSpan.FromMinutes(20));
        await _harness.RunAsync(_conversations);
        Assert.Equal([("c1", ChangeOp.Update)], _harness.LastEvents.Select(e => (e.Key.Id, e.Op)));
        Assert.Equal(Now + _harness.Options.PollInterval, await NextDueAsync("c1"));
        Assert.Equal(0, (await _harness.Store.GetConversationStatesAsync(["c1"]))["c1"].IdlePolls);
    }

    [Fact]
    public async Task CaptureAsync_ResolvedConversationFirstSeenWithinTheWatch_IsWatchedByItsQuietTime()
    {
        _harness.Options.Conversations.ResolvedWatch = Watch;
        await ScheduleAsync("c1");
        await ScheduleAsync("c2");
        Conversation("c1", "resolved", Now - TimeSpan.FromSeconds(45));
        Conversation("c2", "resolved", Now - TimeSpan.FromMinutes(11)); // resolved before the watch would end

        await _harness.RunAsync(_conversations);

        Assert.Equal(Now + TimeSpan.FromSeconds(45), await NextDueAsync("c1"));
        Assert.Equal(Now + _harness.Options.Conversations.ResolvedInterval, await NextDueAsync("c2"));
    }

    [Theory]
    [InlineData(0, 30)]
    [InlineData(29, 30)]
    [InlineData(45, 45)]
    [InlineData(300, 60)]
    [InlineData(-600, 30)] // Freshchat's clock ahead of this host's: as if just changed
    public void Next_ResolvedWithinTheWatch_WaitsItsQuietTimeBetweenThePollIntervalAndResolvedWatchInterval(int quietSeconds, int expectedWaitSeconds)
    {
        var now = Now;
        var options = new ConversationCaptureOptions { ResolvedWatch = Watch };

        Assert.Equal((now + TimeSpan.FromSeconds(expectedWaitSeconds), 0),
            ConversationSchedule.Next(now, "resolved", 4, now - TimeSpan.FromSeconds(quietSeconds), TimeSpan.FromSeconds(30), options));
    }

    [Fact]
    public void Next_DefaultOptions_WatchIsOff_AJustResolvedConversationWaitsResolvedInterval()
    {
        var options = new ConversationCaptureOptions();

        Assert.Equal(TimeSpan.Zero, options.ResolvedWatch);
        Assert.Equal((Now + options.ResolvedInterval, 0), ConversationSchedule.Next(Now, "resolved", 0, Now - TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), options));
    }

    [Fact]
    public void Next_OutsideTheWatchOrWhileWebhooksPushReopens_KeepsTheBackoff()
    {
        var now = Now;
        var options = new ConversationCaptureOptions { ResolvedWatch = Watch };
        var poll = TimeSpan.FromSeconds(30);
        var justResolved = now - TimeSpan.FromSeconds(10);

        Assert.Equal((now + options.ResolvedInterval, 0), ConversationSchedule.Next(now, "resolved", 0, justResolved, poll, options, reopensPushed: true));
        Assert.Equal((now + (4 * options.ResolvedInterval), 2), ConversationSchedule.Next(now, "resolved", 2, now - options.ResolvedWatch, poll, options));
        Assert.Equal((now + poll, 0), ConversationSchedule.Next(now, "assigned", 0, justResolved, poll, options)); // open: the open backoff
        Assert.Equal((now + options.ResolvedInterval, 0), ConversationSchedule.Next(now, "resolved", 0, justResolved, poll,
            new ConversationCaptureOptions { ResolvedWatch = TimeSpan.Zero }));
        Assert.Equal((now + options.ResolvedInterval, 0), ConversationSchedule.FirstSeen(now, "resolved", justResolved, poll, options, reopensPushed: true));
        Assert.Equal((now + poll, 0), ConversationSchedule.FirstSeen(now, "resolved", justResolved, poll, options));
        var everyCycle = new ConversationCaptureOptions { ResolvedWatch = Watch, ResolvedInterval = TimeSpan.Zero, ResolvedMaxInterval = TimeSpan.Zero };
        Assert.Equal((now, 0), ConversationSchedule.Next(now, "resolved", 3, now - TimeSpan.FromMinutes(5), poll, everyCycle)); // never later than the backoff
    }

    [Theory]
    [InlineData("ResolvedWatch", "-00:00:01", "Capture:Conversations:ResolvedWatch")]
    [InlineData("ResolvedWatch", "2.00:00:00", "Capture:Conversations:ResolvedWatch")]
    [InlineData("ResolvedWatchInterval", "00:00:00", "Capture:Conversations:ResolvedWatchInterval")]
    [InlineData("ResolvedWatchInterval", "00:20:00", "Capture:Conversations:ResolvedWatchInterval")] // longer than the watch (10 min)
    public void Validate_ResolvedWatchOutOfRange_NamesTheKey(string property, string value, string key)
    {
        var options = new ConversationCaptureOptions { ResolvedWatch = Watch };
        typeof(ConversationCaptureOptions).GetProperty(property)!.SetValue(options, TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Contains(options.Validate(), e => e.StartsWith(key + " ", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_WatchOffWithAnyIntervalOrRetainResolvedShorterThanTheWatch_IsValid()
    {
        // Retirement comes first: a conversation retired within its watch is simply no longer polled.
        Assert.Empty(new ConversationCaptureOptions { ResolvedInterval = TimeSpan.Zero, ResolvedMaxInterval = TimeSpan.FromSeconds(1), RetainResolved = TimeSpan.FromSeconds(1) }.Validate());
        Assert.Empty(new ConversationCaptureOptions { ResolvedWatch = TimeSpan.Zero, ResolvedWatchInterval = TimeSpan.FromHours(1) }.Validate());
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

    private Task<DateTimeOffset> NextDueAsync(string id) => _harness.NextDueAsync(id);

    private void Conversation(string id, string status, DateTimeOffset updated) => _harness.Conversation(id, status, updated);

    private void Message(string conversationId, string id, DateTimeOffset created) => _harness.Message(conversationId, id, created);
}
