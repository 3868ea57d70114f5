using System.Text.Json.Nodes;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// Freshchat faults under a running producer, each in rounds between mutations: 429 storms with and without
/// <c>Retry-After</c> and 5xx bursts here; timeouts, truncated and malformed pages and fields of an unexpected type
/// in <see cref="FreshchatPageFaultTests"/>; an entity vanishing between list and get, a listing whose total
/// changes mid-scan and skewed clocks in <see cref="FreshchatListingFaultTests"/>. The scenarios are split over
/// three classes only so that they run in parallel (each class has its own stack).
/// </summary>
[Trait("Category", "Reliability")]
[LongRunning]
public sealed class FreshchatFaultTests(CaptureStackFixture stack, ReliabilityLedger ledger) : IClassFixture<CaptureStackFixture>, IClassFixture<ReliabilityLedger>
{
    private static readonly TimeSpan FaultWindow = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("429 storm with Retry-After")]
    [InlineData("429 storm without Retry-After")]
    [InlineData("5xx burst")]
    public Task Run_UnderFreshchatFault_LosesNothing(string fault) => RunUnderFaultAsync(stack, ledger, fault);

    /// <summary>Runs the producer through rounds of mutations, each with one round of <paramref name="fault"/>, and audits the topics.</summary>
    internal static async Task RunUnderFaultAsync(CaptureStackFixture stack, ReliabilityLedger ledger, string fault)
    {
        var rounds = ReliabilityLedger.Soak ? 10 : 2;
        await using var drill = await ReliabilityDrill.StartAsync(stack, seed: 50 + fault.Length);
        using var producer = drill.StartProducer();
        await KafkaFaultTests.WaitUntilAsync(() => drill.CountPublished(CaptureCatalogue.MessagesTopic) > 0, TimeSpan.FromSeconds(60));
        var injected = 0;
        for (var round = 1; round <= rounds; round++)
        {
            drill.Mutate();
            injected += await InjectAsync(drill, fault);
            Assert.False(producer.HasExited, string.Join("\n", drill.Output.TakeLast(20)));
        }

        drill.Freshchat.Faults.Clear();
        var (recovery, audit) = await drill.ConvergeAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(0, await ReliabilityDrill.TerminateAsync(producer));

        Assert.True(audit.Clean, audit.ToString());
        if (fault == "fields of an unexpected type")
        {
            Assert.True(audit.DeadLettered > 0, "a timestamp that is not a timestamp must reach the dead-letter topic");
        }

        ledger.Record(new ScenarioFigures($"Freshchat: {fault}", drill.Runs, Describe(fault, injected, audit.DeadLettered),
            audit.EventsChecked, audit.Lost, audit.Duplicates, recovery));
    }

    /// <summary>Runs the producer against an emulator whose clock is <paramref name="minutes"/> off the producer's, through rounds of mutations.</summary>
    internal static async Task RunClockSkewedAsync(CaptureStackFixture stack, ReliabilityLedger ledger, int minutes)
    {
        var skew = TimeSpan.FromMinutes(minutes);
        var rounds = ReliabilityLedger.Soak ? 10 : 3;
        await using var drill = await ReliabilityDrill.StartAsync(stack, seed: 60 + minutes,
            ReliabilityDrill.DefaultAccount with { TimeProvider = new SkewedClock(skew) });
        using var producer = drill.StartProducer();
        for (var round = 1; round <= rounds; round++)
        {
            drill.Mutate();
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var (recovery, audit) = await drill.ConvergeAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(0, await ReliabilityDrill.TerminateAsync(producer));

        Assert.True(audit.Clean, audit.ToString());
        ledger.Record(new ScenarioFigures($"Freshchat: clock skewed {minutes:+0;-0} min (timestamps ahead of/behind the producer)", drill.Runs,
            $"{rounds} mutation rounds stamped {minutes:+0;-0} min", audit.EventsChecked, audit.Lost, audit.Duplicates, recovery));
    }

    /// <summary>Applies one round of the fault and clears it; returns how many faulty answers or changes it made.</summary>
    private static async Task<int> InjectAsync(ReliabilityDrill drill, string fault)
    {
        var faults = drill.Freshchat.Faults;
        var data = drill.Freshchat.Data;
        var answeredBefore = drill.Freshchat.Requests.Throttled;
        switch (fault)
        {
            case "429 storm with Retry-After":
            case "429 storm without Retry-After":
                drill.Freshchat.Behaviour.SendRetryAfter = fault.EndsWith("with Retry-After", StringComparison.Ordinal);
                faults.RetryAfterSeconds = 1;
                faults.Fraction429 = 0.6;
                await Task.Delay(FaultWindow);
                faults.Fraction429 = 0;
                return (int)(drill.Freshchat.Requests.Throttled - answeredBefore);
            case "5xx burst":
                return await DuringWindowAsync(drill, () => faults.Fraction5xx = 0.5, () => faults.Fraction5xx = 0);
            case "truncated or malformed JSON pages":
                return await DuringWindowAsync(drill, () => faults.FractionMalformed = 0.5, () => faults.FractionMalformed = 0);
            case "timeouts":
                faults.TimeoutHold = TimeSpan.FromSeconds(30);
                faults.Enqueue(FaultKind.Timeout, count: 4);
                await WaitForQueueAsync(faults);
                return 4;
            case "fields of an unexpected type":
                return UnexpectedTypes(drill);
            case "entity vanishes between list and get":
                drill.Freshchat.Behaviour.DeleteUserRemovesConversations = true;
                return await AfterServedOnceAsync(drill, path => path.Contains("/conversations", StringComparison.Ordinal) && path.StartsWith("/v2/users/", StringComparison.Ordinal),
                    path => data.DeleteUser(path.Split('/')[3]));
            case "listing total changes mid-scan":
                return await AfterServedOnceAsync(drill, path => path.StartsWith("/v2/users?", StringComparison.Ordinal) && path.Contains("page=2", StringComparison.Ordinal),
                    _ =>
                    {
                        // Two users of page 1 vanish (every later user moves forward, across the page boundary) and two are created.
                        foreach (var user in data.EnumerateUsers().Take(2).Select(u => (string)u["id"]!).ToList())
                        {
                            data.DeleteUser(user);
                        }

                        data.CreateUser("MidScan", "One", $"midscan-{Guid.NewGuid():N}@example.com");
                        data.CreateUser("MidScan", "Two", $"midscan-{Guid.NewGuid():N}@example.com");
                    });
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    private static async Task<int> DuringWindowAsync(ReliabilityDrill drill, Action start, Action stop)
    {
        var before = drill.Freshchat.Requests.Total;
        start();
        await Task.Delay(FaultWindow);
        stop();
        return (int)Math.Round((drill.Freshchat.Requests.Total - before) * 0.5); // the fraction injected, as an estimate of the count
    }

    private static async Task WaitForQueueAsync(EmulatorFaults faults) =>
        await KafkaFaultTests.WaitUntilAsync(() => faults.PendingQueuedFaults == 0, TimeSpan.FromSeconds(60));

    /// <summary>
    /// A user whose <c>first_name</c> is a number and whose <c>custom_properties</c> is a string (both held as
    /// text), and a user whose <c>created_time</c> is not a timestamp (no Avro column can hold it: dead-lettered).
    /// </summary>
    private static int UnexpectedTypes(ReliabilityDrill drill)
    {
        var data = drill.Freshchat.Data;
        var users = data.EnumerateUsers().Select(u => (string)u["id"]!).ToList();
        var (lenient, poison) = (users[users.Count / 3], users[users.Count / 2]);
        data.UpdateUser(lenient, u =>
        {
            u["first_name"] = 12345;
            u["properties"] = "not a list";
        });
        data.UpdateUser(poison, u => u["created_time"] = "sometime last week");
        drill.Oracle.Observe();
        return 2;
    }

    /// <summary>Runs <paramref name="change"/> once, right after the emulator answered a request matching <paramref name="match"/>.</summary>
    private static async Task<int> AfterServedOnceAsync(ReliabilityDrill drill, Func<string, bool> match, Action<string> change)
    {
        var fired = 0;
        drill.Freshchat.Faults.AfterServed = path =>
        {
            if (match(path) && Interlocked.CompareExchange(ref fired, 1, 0) == 0)
            {
                change(path);
            }
        };
        try
        {
            await KafkaFaultTests.WaitUntilAsync(() => Volatile.Read(ref fired) == 1, TimeSpan.FromSeconds(60));
        }
        finally
        {
            drill.Freshchat.Faults.AfterServed = null;
        }

        drill.Oracle.Observe();
        return 1;
    }

    private static string Describe(string fault, int injected, int deadLettered) => fault switch
    {
        "429 storm with Retry-After" or "429 storm without Retry-After" => $"{injected} answers 429 (60% of requests for 5 s per round)",
        "5xx burst" => $"≈{injected} answers 500/503 (50% of requests for 5 s per round)",
        "truncated or malformed JSON pages" => $"≈{injected} truncated or malformed 200 answers (50% for 5 s per round)",
        "timeouts" => $"{injected} requests never answered (attempt timeout 3 s)",
        "fields of an unexpected type" => $"{injected} users with mistyped fields; {deadLettered} version(s) dead-lettered with the reason",
        "entity vanishes between list and get" => $"{injected} user deleted (with its conversations) right after its conversations were listed",
        "listing total changes mid-scan" => $"{injected} scan(s) where 2 users of page 1 vanished and 2 were created while page 2 was served",
        _ => $"{injected}",
    };

    /// <summary>The emulator's clock, offset from the producer's.</summary>
    private sealed class SkewedClock(TimeSpan skew) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + skew;
    }
}
