using FreshchatStream.Producer.Capture.Progress;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Unit.Capture.Progress;

/// <summary>The time-left estimate: work known to remain over the request rate achieved, and "unknown" rather than a guess.</summary>
[Trait("Issue", "#23")]
public sealed class ProgressEstimatorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero));
    private long _requests = 1_000;

    private PassProgress Start(string resource = "conversations+messages") => new(resource, _time, () => _requests, sampled: null);

    private ProgressReading Read(PassProgress pass, int budget = 200) => ProgressEstimator.Read(pass.Read(), _time.GetUtcNow(), _requests, budget);

    /// <summary>One item done per request, at <paramref name="perSecond"/> requests a second, for <paramref name="seconds"/>.</summary>
    private void Work(PassProgress pass, int seconds, int perSecond = 2)
    {
        for (var s = 0; s < seconds; s++)
        {
            for (var i = 0; i < perSecond; i++)
            {
                _requests++;
                pass.Advance();
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public void Estimate_ItemsLeftAtTheAchievedRate_IsTheirRequestsOverTheRate()
    {
        var pass = Start();
        pass.StartPhase("polled", known: 100);
        Work(pass, seconds: 10);

        var reading = Read(pass);

        Assert.Equal(20, reading.Done);
        Assert.Equal(100, reading.Known);
        Assert.Equal(20, reading.Requests);
        Assert.Equal(TimeSpan.FromSeconds(40), reading.Left); // 80 items × 1 request ÷ 2 requests/s
        Assert.Equal(0.6, reading.BudgetUsed!.Value, 3); // 120/min of a 200/min budget
    }

    [Fact]
    public void Estimate_AsWorkProceedsAtASteadyRate_Decreases()
    {
        var pass = Start();
        pass.StartPhase("polled", known: 100);
        var estimates = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            Work(pass, seconds: 5);
            estimates.Add(Read(pass).Left!.Value);
        }

        Assert.Equal([TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(30)], estimates);
    }

    [Fact]
    public void Estimate_SlowerRate_IsLonger()
    {
        var fast = Start("a");
        fast.StartPhase("polled", known: 100);
        Work(fast, seconds: 10, perSecond: 4);
        var slow = Start("b");
        slow.StartPhase("polled", known: 100);
        Work(slow, seconds: 10, perSecond: 1);

        Assert.True(Read(slow).Left > Read(fast).Left);
    }

    [Fact]
    public void Estimate_WithoutAKnownTotal_IsUnknown()
    {
        var pass = Start();
        Work(pass, seconds: 10);

        var reading = Read(pass);

        Assert.Null(reading.Known);
        Assert.Null(reading.Left);
        Assert.Contains("(total unknown)", ProgressLine.InFlight(reading));
        Assert.EndsWith("time left unknown", ProgressLine.InFlight(reading));
    }

    [Fact]
    public void Estimate_BeforeAnythingIsDoneOrASecondPassed_IsUnknown()
    {
        var pass = Start();
        pass.StartPhase("polled", known: 100);
        Assert.Null(Read(pass).Left);

        _requests++;
        pass.Advance();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Null(Read(pass).Left);
        Assert.Null(Read(pass).BudgetUsed);

        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.NotNull(Read(pass).Left);
    }

    [Fact]
    public void Estimate_DuringDiscovery_CountsTheConversationsFoundAndProjected()
    {
        var pass = Start();
        pass.StartPhase("users' conversation lists read", known: 100, requestsPerFound: 2);
        for (var i = 0; i < 20; i++)
        {
            _requests++;
            pass.Advance(found: i % 5 == 0 ? 1 : 0); // 4 conversations in 20 lists
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        // 80 lists left (80 requests) + (4 found + 0.2 × 80 projected) × 2 requests = 120 requests at 2 requests/s.
        Assert.Equal(TimeSpan.FromSeconds(60), Read(pass).Left);
    }

    [Fact]
    public void NewPhase_StartsItsOwnCountAndRate()
    {
        var pass = Start();
        pass.StartPhase("users' conversation lists read", known: 10);
        Work(pass, seconds: 5);
        pass.StartPhase("polled", known: 40);
        Assert.Null(Read(pass).Left); // nothing polled yet: no rate for this phase

        Work(pass, seconds: 5, perSecond: 4);
        var reading = Read(pass);

        Assert.Equal(20, reading.Done);
        Assert.Equal(40, reading.Known);
        Assert.Equal(30, reading.Requests); // the pass's requests, both phases
        Assert.Equal(TimeSpan.FromSeconds(5), reading.Left); // 20 left at 4 a second
    }

    [Fact]
    public void DiscoveryPhase_ReportsItsSampleOnce_WhenTheSampleIsReadOrTheQueueIsShorter()
    {
        var sampled = new List<long>();
        var pass = new PassProgress("conversations+messages", _time, () => _requests, p => sampled.Add(p.Read().Done));
        pass.StartPhase("users' conversation lists read", known: 500, requestsPerFound: 2);
        for (var i = 0; i < 50; i++)
        {
            pass.Advance();
        }

        var shortQueue = new PassProgress("conversations+messages", _time, () => _requests, p => sampled.Add(p.Read().Done));
        shortQueue.StartPhase("users' conversation lists read", known: 3, requestsPerFound: 2);
        for (var i = 0; i < 3; i++)
        {
            shortQueue.Advance();
        }

        Assert.Equal([PassProgress.DiscoverySample, 3], sampled);
    }

    [Fact]
    public void Lines_InFlightAndFinished_ReadAsDocumented()
    {
        var pass = Start();
        pass.StartPhase("polled", known: 1_000);
        _requests += 412;
        for (var i = 0; i < 120; i++)
        {
            pass.Advance();
        }

        pass.Acknowledged(1_840);
        _time.Advance(TimeSpan.FromSeconds(127));
        var reading = Read(pass);

        // 880 left × 412/120 requests each ÷ (412 requests / 127 s) = 931 s
        Assert.Equal("conversations+messages: 120 of ~1,000 polled, 1,840 events acknowledged, 412 requests (200/min budget, 97% used), about 16 min left",
            ProgressLine.InFlight(reading));
        Assert.Equal("conversations+messages: done, 120 of 1,000 polled, 1,840 events acknowledged, 412 requests in 2 h 07 min",
            ProgressLine.Finished(reading with { Elapsed = TimeSpan.FromMinutes(127) }));
        Assert.Equal("about 40 s left", ProgressLine.Left(TimeSpan.FromSeconds(40)));
        Assert.Equal("about 4 min left", ProgressLine.Left(TimeSpan.FromSeconds(250)));
    }
}
