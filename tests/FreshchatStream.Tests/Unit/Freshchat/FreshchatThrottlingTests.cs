using System.Globalization;
using System.Net;
using FreshchatStream.Producer.Freshchat;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Unit.Freshchat;

/// <summary>
/// The two meanings of a 429 (issue #21 item 3), the concurrency bound and pacing as the server's window runs low,
/// on the fake clock: "this request was throttled" costs that request its Retry-After and nothing else; "the
/// account's window is exhausted" pauses every request until X-RateLimit-Reset.
/// </summary>
[Trait("Issue", "#21")]
public sealed class FreshchatThrottlingTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Call_429ForThatRequestOnly_RetriesAfterRetryAfterWhileOtherRequestsGoOn()
    {
        var reset = Unix(Start.AddSeconds(60));
        using var freshchat = new ScriptedFreshchat((request, call) => call == 1
            ? Throttled(retryAfter: "1", remaining: "50", reset)
            : ScriptedFreshchat.Account());

        var throttled = freshchat.Client.GetAccountConfigurationAsync();
        await WaitUntilAsync(() => freshchat.Handler.Calls == 1);
        // No clock advance: the other request must not wait for anything.
        var other = await freshchat.Client.GetAccountConfigurationAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("1", other.AccountId);
        Assert.False(throttled.IsCompleted);

        var waited = await freshchat.AdvanceUntilDoneAsync(throttled, TimeSpan.FromSeconds(30));

        Assert.Equal("1", (await throttled).AccountId);
        Assert.Equal(3, freshchat.Handler.Calls);
        // About its Retry-After, no backoff on top (the fake clock advances in 100 ms steps; a backoff would add ≥ 1 s).
        Assert.InRange(waited, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task Call_429WithoutRateLimitHeaders_RetriesAfterRetryAfterOnly()
    {
        using var freshchat = new ScriptedFreshchat((_, call) => call <= 3
            ? With(ScriptedFreshchat.Json(HttpStatusCode.TooManyRequests, "{}"), "Retry-After", "1")
            : ScriptedFreshchat.Account());

        var call = freshchat.Client.GetAccountConfigurationAsync();
        var waited = await freshchat.AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(60));

        await call;
        Assert.Equal(4, freshchat.Handler.Calls);
        // Three 429s cost three Retry-Afters: no exponential growth between them.
        Assert.InRange(waited, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4)); // exponential backoff would take ≥ 7 s
    }

    [Fact]
    public async Task Call_429WithWindowExhausted_PausesEveryRequestUntilTheReset()
    {
        var reset = Unix(Start.AddSeconds(5));
        using var freshchat = new ScriptedFreshchat((_, call) => call == 1
            ? Throttled(retryAfter: "5", remaining: "0", reset)
            : ScriptedFreshchat.Account());

        var throttled = freshchat.Client.GetAccountConfigurationAsync();
        await WaitUntilAsync(() => freshchat.Handler.Calls == 1);
        var other = freshchat.Client.GetAccountConfigurationAsync();
        await Task.Delay(100);
        Assert.False(other.IsCompleted); // paused globally, not only the throttled request
        Assert.Equal(1, freshchat.Handler.Calls);

        var waited = await freshchat.AdvanceUntilDoneAsync(Task.WhenAll(throttled, other), TimeSpan.FromSeconds(60));

        await Task.WhenAll(throttled, other);
        Assert.Equal(3, freshchat.Handler.Calls);
        Assert.InRange(waited, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6.5)); // the reset plus one second of margin
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task Gate_Budget_NoSixtySecondIntervalEverHoldsMoreAttemptsThanTheBudget()
    {
        var clock = new FakeTimeProvider(Start);
        using var gate = new FreshchatRequestGate(8, 2, clock, NullLogger.Instance, requestsPerMinute: 10);

        // 35 attempts as fast as they are let through (as a token bucket with a bank would send them), the clock
        // stepping 250 ms at a time: every attempt's send time is at least a minute after the one 10 places before it.
        var sent = new List<DateTimeOffset>();
        var held = new List<int>();
        for (var i = 0; i < 35; i++)
        {
            var enter = gate.EnterAsync(CancellationToken.None).AsTask();
            while (!enter.IsCompleted)
            {
                await Task.WhenAny(enter, Task.Delay(5));
                if (!enter.IsCompleted)
                {
                    held.Add(i);
                    clock.Advance(TimeSpan.FromMilliseconds(250));
                }
            }

            (await enter).Slot.Dispose();
            sent.Add(clock.GetUtcNow());
            clock.Advance(TimeSpan.FromMilliseconds(100 * (i % 3)));
        }

        Assert.DoesNotContain(held, i => i < 10); // the first ten at once: nothing was sent in the minute before
        for (var i = 10; i < sent.Count; i++)
        {
            Assert.True(sent[i] - sent[i - 10] >= TimeSpan.FromMinutes(1), $"attempts {i - 10} and {i} were {sent[i] - sent[i - 10]} apart");
        }

        Assert.True(sent[^1] - Start < TimeSpan.FromMinutes(3.1), "the budget itself must not be slowed further");
    }

    [Fact]
    public async Task Gate_MaxConcurrency_BoundsRequestsInFlight()
    {
        using var gate = new FreshchatRequestGate(2, 2, new FakeTimeProvider(Start), NullLogger.Instance);

        var (first, _) = await gate.EnterAsync(CancellationToken.None);
        var (second, _) = await gate.EnterAsync(CancellationToken.None);
        var third = gate.EnterAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);

        Assert.False(third.IsCompleted);
        Assert.Equal(2, gate.InFlight);
        first.Dispose();
        var (slot, _) = await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, gate.InFlight);
        second.Dispose();
        slot.Dispose();
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public async Task Gate_RemainingBudgetLow_SpacesRequestsEvenlyUntilTheReset()
    {
        var clock = new FakeTimeProvider(Start);
        using var gate = new FreshchatRequestGate(8, 2, clock, NullLogger.Instance);

        // 12 left, 2 kept as headroom, reset at +10 s (+1 s margin): 10 requests spread over 11 s.
        gate.Observe(remaining: 12, resetUnixSeconds: Unix(Start.AddSeconds(10)));
        var entered = new List<Task<(IDisposable Slot, TimeSpan ServerWait)>>();
        for (var i = 0; i < 3; i++)
        {
            entered.Add(gate.EnterAsync(CancellationToken.None).AsTask());
        }

        await Task.Delay(50);
        Assert.True(entered[0].IsCompleted);
        Assert.False(entered[1].IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1.1));
        await entered[1].WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(entered[2].IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1.1));
        await entered[2].WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(2.2), (await entered[2]).ServerWait);
        foreach (var task in entered)
        {
            (await task).Slot.Dispose();
        }
    }

    [Fact]
    public async Task Gate_PlentyOfBudgetLeft_NeverWaits()
    {
        var clock = new FakeTimeProvider(Start);
        using var gate = new FreshchatRequestGate(8, 2, clock, NullLogger.Instance);

        gate.Observe(remaining: 500, resetUnixSeconds: Unix(Start.AddSeconds(30)));
        gate.Observe(remaining: null, resetUnixSeconds: null);
        for (var i = 0; i < 8; i++)
        {
            var (slot, wait) = await gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(TimeSpan.Zero, wait);
            slot.Dispose();
        }

        Assert.Equal(DateTimeOffset.MinValue, gate.PausedUntil);
    }

    private static HttpResponseMessage Throttled(string retryAfter, string remaining, long reset) =>
        With(With(With(ScriptedFreshchat.Json(HttpStatusCode.TooManyRequests, """{"status":"TOO_MANY_REQUESTS"}"""), "Retry-After", retryAfter),
            "X-RateLimit-Remaining", remaining), "X-RateLimit-Reset", reset.ToString(CultureInfo.InvariantCulture));

    private static long Unix(DateTimeOffset at) => at.ToUnixTimeSeconds();

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private static HttpResponseMessage With(HttpResponseMessage response, string header, string value)
    {
        response.Headers.TryAddWithoutValidation(header, value);
        return response;
    }
}
