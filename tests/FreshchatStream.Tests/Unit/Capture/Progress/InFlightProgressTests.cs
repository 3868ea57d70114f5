using FreshchatStream.Producer.Capture.Progress;

namespace FreshchatStream.Tests.Unit.Capture.Progress;

/// <summary>The value of <c>{prefix}:progress</c> round-trips, and <c>status</c> prints resource, done/known, requests, time left and when it was estimated.</summary>
[Trait("Issue", "#23")]
public sealed class InFlightProgressTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 1, 53, 43, TimeSpan.Zero);

    [Fact]
    public void SerializeLoad_RoundTrips_AndStatusDescribesEachPass()
    {
        var readings = new[]
        {
            new ProgressReading("conversations+messages", "polled", 120, 1_000, 1_840, 412, 200, 0.97, TimeSpan.FromMinutes(4), Now, TimeSpan.FromMinutes(2)),
            new ProgressReading("users", "listed", 300, null, 300, 7, 200, null, null, Now, TimeSpan.FromSeconds(12)),
        };

        var loaded = InFlightProgress.Load(InFlightProgress.From("host-1", Now, readings).Serialize());

        Assert.NotNull(loaded);
        Assert.Equal(Now - TimeSpan.FromMinutes(2), loaded.Passes[0].StartedAt);
        var text = loaded.Describe();
        Assert.Contains("in flight on host-1, as of 2026-12-06 01:53:43Z:", text);
        Assert.Contains("conversations+messages: 120 of ~1,000 polled, 1,840 events acknowledged, 412 requests (200/min budget), about 4 min left (estimated at 2026-12-06 01:53:43Z)", text);
        Assert.Contains("users: 300 (total unknown) listed, 300 events acknowledged, 7 requests (200/min budget), time left unknown", text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{not json")]
    public void Load_MissingOrUnreadable_IsNothingInFlight(string? json)
    {
        Assert.Null(InFlightProgress.Load(json));
    }
}
