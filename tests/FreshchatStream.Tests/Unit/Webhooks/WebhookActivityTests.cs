using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Webhooks;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Unit.Webhooks;

/// <summary>Adaptive cadence and gap detection: when polling may slow down, and when a missing webhook is reported.</summary>
public sealed class WebhookActivityTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<WebhookActivity> _log = new();

    [Fact]
    public void Healthy_OnlyOnceAWebhookArrived()
    {
        var activity = Activity(enabled: true);
        Assert.False(activity.IsHealthy);
        Assert.Null(activity.QuietPollInterval);

        activity.Received();

        Assert.True(activity.IsHealthy);
        Assert.Equal(TimeSpan.FromMinutes(10), activity.QuietPollInterval);
    }

    [Fact]
    public void Disabled_NeverHealthyNeverWarns()
    {
        var activity = Activity(enabled: false);
        activity.Received();
        _clock.Advance(TimeSpan.FromHours(1));
        activity.PolledChanges("c1", 3);

        Assert.False(activity.IsHealthy);
        Assert.Empty(Lines);
    }

    [Fact]
    public void PolledChanges_WithinTheWindow_IsNotAGap()
    {
        var activity = Activity(enabled: true);
        activity.Received();
        _clock.Advance(TimeSpan.FromMinutes(14));

        activity.PolledChanges("c1", 2);

        Assert.True(activity.IsHealthy);
        Assert.Empty(Lines);
    }

    [Fact]
    public void PolledChanges_AfterTheWindowWithoutWebhooks_WarnsOnceAndFallsBackUntilTheNextWebhook()
    {
        var activity = Activity(enabled: true);
        activity.Received();
        _clock.Advance(TimeSpan.FromMinutes(16));
        activity.PolledChanges("c1", 0); // nothing new: no evidence of a gap
        Assert.Empty(Lines);

        activity.PolledChanges("c1", 2);
        activity.PolledChanges("c2", 1);

        var warning = Assert.Single(Lines);
        Assert.Contains("Webhook gap", warning, StringComparison.Ordinal);
        Assert.Contains("c1", warning, StringComparison.Ordinal);
        Assert.True(activity.GapDetected);
        Assert.False(activity.IsHealthy);

        activity.Received();
        Assert.True(activity.IsHealthy);
        _clock.Advance(TimeSpan.FromMinutes(16));
        activity.PolledChanges("c3", 1);
        Assert.Equal(2, Lines.Count);
    }

    [Fact]
    public void PolledChanges_NoWebhookEverSinceStart_WarnsAfterTheWindow()
    {
        var activity = Activity(enabled: true);
        activity.PolledChanges("c1", 1);
        Assert.Empty(Lines);

        _clock.Advance(TimeSpan.FromMinutes(15));
        activity.PolledChanges("c1", 1);

        Assert.Contains("none since start", Assert.Single(Lines), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Issue", "#21")]
    public void MessagesPushed_OnlyWhileMessageWebhooksArriveWithinTheWindow_AndNoGap()
    {
        var activity = Activity(enabled: true);
        activity.Received("conversation_resolution");
        Assert.True(activity.IsHealthy);
        Assert.False(activity.MessagesPushed); // healthy, but no message_create seen: Freshchat may not send them

        activity.Received("message_create");
        Assert.True(activity.MessagesPushed);

        _clock.Advance(TimeSpan.FromMinutes(14));
        activity.Received("conversation_reopen"); // other events keep the account healthy, not the message push
        Assert.True(activity.MessagesPushed);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(activity.IsHealthy);
        Assert.False(activity.MessagesPushed);

        activity.Received("message_create");
        Assert.True(activity.MessagesPushed);
        _clock.Advance(TimeSpan.FromMinutes(15));
        activity.Received("message_create");
        activity.PolledChanges("c1", 1); // within the window: no gap
        Assert.True(activity.MessagesPushed);

        Assert.False(Activity(enabled: false).MessagesPushed);
    }

    [Fact]
    public void NextDue_QuietInterval_StretchesOpenConversationsOnly()
    {
        var now = _clock.GetUtcNow();
        var options = new ConversationCaptureOptions();
        var poll = TimeSpan.FromSeconds(60);

        Assert.Equal(now + poll, ConversationSchedule.NextDue(now, "assigned", 0, poll, options));
        Assert.Equal(now + TimeSpan.FromMinutes(10), ConversationSchedule.NextDue(now, "assigned", 0, poll, options, TimeSpan.FromMinutes(10)));
        Assert.Equal(now + options.OpenMaxInterval, ConversationSchedule.NextDue(now, "assigned", 3, poll, options, TimeSpan.FromMinutes(10)));
        Assert.Equal(now + options.ResolvedInterval, ConversationSchedule.NextDue(now, "resolved", 0, poll, options, TimeSpan.FromMinutes(10)));
        Assert.Equal(now + poll, ConversationSchedule.NextDue(now, "new", 0, poll, options, TimeSpan.FromSeconds(5))); // never faster than polling
    }

    private List<string> Lines => [.. _log.Collector.GetSnapshot().Select(r => r.Message)];

    private WebhookActivity Activity(bool enabled) =>
        new(Options.Create(new WebhookOptions { Enabled = enabled, GapWarningAfter = TimeSpan.FromMinutes(15), QuietPollInterval = TimeSpan.FromMinutes(10) }),
            _clock, _log);
}
