using FreshchatStream.Producer.Capture;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// A deployment of two accounts on shared topics (<c>Accounts:{alpha}</c> and <c>Accounts:{beta}</c>, design §9): a
/// <see cref="CaptureScenario"/> whose own emulator serves alpha, and a second small emulator for beta. Both names end
/// in one random suffix, so that no two tests share an account's lease, Redis namespace or metric series. Starts
/// with both accounts configured; <see cref="UseAlphaAlone"/> and <see cref="UseBoth"/> change that between runs.
/// </summary>
internal sealed class TwoAccountScenario : IAsyncDisposable
{
    private readonly CaptureStackFixture _stack;

    private TwoAccountScenario(CaptureStackFixture stack, CaptureScenario scenario, FreshchatEmulator betaFreshchat)
    {
        _stack = stack;
        Scenario = scenario;
        BetaFreshchat = betaFreshchat;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        Alpha = $"alpha-{suffix}";
        Beta = $"beta-{suffix}";
        UseBoth();
    }

    public CaptureScenario Scenario { get; }

    public string Alpha { get; }

    public string Beta { get; }

    /// <summary>Beta's Freshchat; alpha's is <see cref="CaptureScenario.Freshchat"/>.</summary>
    public FreshchatEmulator BetaFreshchat { get; }

    /// <summary>
    /// Starts the scenario and beta's emulator: <see cref="CaptureScenario.SmallAccount"/> data for both, beta's
    /// generated from <paramref name="betaSeed"/> so that the two accounts hold different users and conversations.
    /// </summary>
    public static async Task<TwoAccountScenario> StartAsync(CaptureStackFixture stack, int betaSeed)
    {
        var scenario = await CaptureScenario.StartAsync(stack);
        try
        {
            return new(stack, scenario, await FreshchatEmulator.StartAsync(CaptureScenario.SmallAccount with { Seed = betaSeed, Behaviour = new(), Faults = new() }));
        }
        catch
        {
            await scenario.DisposeAsync();
            throw;
        }
    }

    /// <summary>The names and emulators as the tests' locals: <c>var (scenario, alpha, beta, second) = accounts;</c>.</summary>
    public void Deconstruct(out CaptureScenario scenario, out string alpha, out string beta, out FreshchatEmulator betaFreshchat) =>
        (scenario, alpha, beta, betaFreshchat) = (Scenario, Alpha, Beta, BetaFreshchat);

    /// <summary>Both accounts in the deployment (as it starts).</summary>
    public void UseBoth() => Scenario.UseAccounts((Alpha, Scenario.Freshchat), (Beta, BetaFreshchat));

    /// <summary>Alpha alone in the deployment: every <c>Accounts:{beta}:*</c> setting goes (beta's state and records stay).</summary>
    public void UseAlphaAlone()
    {
        foreach (var key in Scenario.Settings.Keys.Where(k => k.StartsWith($"Accounts:{Beta}:", StringComparison.Ordinal)).ToList())
        {
            Scenario.Settings.Remove(key);
        }

        Scenario.UseAccounts((Alpha, Scenario.Freshchat));
    }

    /// <summary>
    /// Starts <c>run</c>, which runs until <paramref name="stop"/>. With <c>Accounts</c> it joins the consumer group on
    /// <c>{prefix}.capture-assignments</c>: created here through the mock API, whose admin API does not answer, with the
    /// default partition count; the session timeout is short so that the group settles in seconds on the mock cluster
    /// (design §7).
    /// </summary>
    public Task<CommandResult> RunUntilAsync(CancellationToken stop)
    {
        _stack.Kafka.CreateTopic($"{Scenario.Prefix}.capture-assignments", new CaptureOptions().AssignmentPartitions);
        Scenario.Settings["Capture:AssignmentSessionTimeout"] = "00:00:03";
        return Scenario.RunAsync(stop, "run");
    }

    public async ValueTask DisposeAsync()
    {
        await BetaFreshchat.DisposeAsync();
        await Scenario.DisposeAsync();
    }
}
