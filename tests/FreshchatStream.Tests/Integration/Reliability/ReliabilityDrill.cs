using System.Collections.Concurrent;
using System.Diagnostics;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// One reliability scenario: a <see cref="CaptureScenario"/> whose cadences make every conversation and every
/// reconciliation due in every cycle (so a checkpoint is exact), an <see cref="EmulatorOracle"/> that follows
/// each mutation, a seeded workload of mutations, and the producer run as a child process that faults kill,
/// starve or disconnect. <see cref="ConvergeAsync"/> waits until the topics hold everything the oracle requires.
/// </summary>
internal sealed class ReliabilityDrill : IAsyncDisposable
{
    public static readonly FreshchatEmulatorOptions DefaultAccount = new()
    {
        Users = 80, ConversationsPerUser = 1.0, MessagesPerConversation = 10, Agents = 6, Groups = 3, Channels = 2, Seed = 11,
    };

    private readonly Random _random;
    private readonly List<string> _createdUsers = [];
    private readonly ConcurrentQueue<string> _output = new();
    private int _round;

    private ReliabilityDrill(CaptureScenario scenario, int seed)
    {
        Scenario = scenario;
        Oracle = new EmulatorOracle(scenario.Freshchat.Data);
        _random = new Random(seed);
        var settings = scenario.Settings;
        settings["Capture:PollInterval"] = "00:00:01";
        settings["Capture:BatchSize"] = "100";
        settings["Capture:Conversations:OpenMaxInterval"] = "00:00:00";
        settings["Capture:Conversations:ResolvedInterval"] = "00:00:00";
        settings["Capture:Conversations:ResolvedMaxInterval"] = "00:00:00";
        // The oracle expects every mutation, including reopening a long-resolved generated conversation, to be polled
        // without webhooks: no conversation retires here (the lifecycle has its own tests, CompactStateCaptureTests).
        settings["Capture:Conversations:RetainResolved"] = "00:00:00";
        // The oracle expects group, channel and role changes within the convergence window too: list the catalogues
        // every cycle (Capture:CatalogueInterval has its own tests, CatalogueCadenceTests).
        settings["Capture:CatalogueInterval"] = "00:00:00";
        settings["Capture:Reports:SettleDelay"] = "00:00:00";
        settings["Capture:Reports:MinWindow"] = "00:00:00";
        settings["Freshchat:RetryBaseDelay"] = "00:00:00.200";
        settings["Freshchat:BreakDuration"] = "00:00:02";
        settings["Freshchat:AttemptTimeout"] = "00:00:03";
        settings["Kafka:DeliveryTimeout"] = "00:00:05";
        Oracle.Observe();
    }

    public CaptureScenario Scenario { get; }

    public EmulatorOracle Oracle { get; }

    public FreshchatEmulator Freshchat => Scenario.Freshchat;

    /// <summary>Producer processes started (child processes and in-process runs).</summary>
    public int Runs { get; private set; }

    /// <summary>Every line the child producers wrote to stdout or stderr.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public static async Task<ReliabilityDrill> StartAsync(CaptureStackFixture stack, int seed, FreshchatEmulatorOptions? account = null) =>
        new(await CaptureScenario.StartAsync(stack, (account ?? DefaultAccount) with { Behaviour = new(), Faults = new() }), seed);

    /// <summary>Starts the producer's continuous <c>run</c> as a child process.</summary>
    public Process StartProducer(params string[] args)
    {
        Runs++;
        return Scenario.StartChild(null, _output.Enqueue, args.Length == 0 ? ["run"] : args);
    }

    /// <summary>
    /// Starts a child producer with <paramref name="overrides"/> of <see cref="CaptureScenario.Settings"/> keys (another
    /// instance id, say), passing its lines to <paramref name="output"/> as well as to <see cref="Output"/>.
    /// </summary>
    public Process StartProducer(IReadOnlyDictionary<string, string> overrides, Action<string> output, params string[] args)
    {
        Runs++;
        return Scenario.StartChild(overrides, line =>
        {
            _output.Enqueue(line);
            output(line);
        }, args.Length == 0 ? ["run"] : args);
    }

    /// <summary>Stops a child producer the way a crash does (SIGKILL).</summary>
    public static async Task KillAsync(Process producer)
    {
        if (!producer.HasExited)
        {
            producer.Kill();
        }

        await producer.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Stops a child producer the way an orchestrator does (SIGTERM) and returns its exit code.</summary>
    public static async Task<int> TerminateAsync(Process producer)
    {
        if (!producer.HasExited)
        {
            PosixSignals.Terminate(producer.Id);
        }

        await producer.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return producer.ExitCode;
    }

    /// <summary>
    /// Runs one clean <c>run --once</c> in-process and makes what it saw required. It starts a poll interval
    /// after the last run: an open conversation polled by a (killed) run is next due one poll interval later, so
    /// a cycle started sooner would rightly leave it for the next one.
    /// </summary>
    public async Task<CommandResult> RunCleanCycleAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // Capture:PollInterval (1 s) and a margin
        Runs++;
        var result = await Scenario.RunAsync("run", "--once");
        Assert.True(result.ExitCode == 0, result.ToString());
        Oracle.Checkpoint();
        return result;
    }

    /// <summary>
    /// One round of the standard workload: users edited, created and (every fourth round) deleted, messages in
    /// several conversations, a resolve, a reopen, an assignment, a new conversation, a group edit and an
    /// availability change. The oracle observes the result.
    /// </summary>
    public void Mutate()
    {
        var data = Freshchat.Data;
        var round = ++_round;
        var users = data.EnumerateUsers().Select(u => (string)u["id"]!).ToList();
        var conversations = data.EnumerateConversationIds().ToList();
        foreach (var user in Pick(users, 3))
        {
            data.UpdateUser(user, lastName: $"Round{round}");
        }

        var created = data.CreateUser($"Drill{round}", "User", $"drill{round}-{Guid.NewGuid():N}@example.com");
        if (round % 2 == 0)
        {
            var conversation = data.CreateConversation(created);
            data.AddMessage(conversation, $"hello from round {round}");
        }
        else
        {
            _createdUsers.Add(created);
        }

        foreach (var conversation in Pick(conversations, 4))
        {
            for (var i = 0; i <= _random.Next(3); i++)
            {
                data.AddMessage(conversation, $"round {round} message {i}", actorType: i % 2 == 0 ? "user" : "agent");
            }
        }

        var agents = data.GetAgents().Select(a => (string)a["id"]!).ToList();
        var statuses = conversations.Select(id => (Id: id, Status: (string?)data.GetConversation(id)?["status"])).ToList();
        if (Pick([.. statuses.Where(c => c.Status != "resolved").Select(c => c.Id)], 1) is [var open, ..])
        {
            data.ResolveConversation(open);
        }

        if (Pick([.. statuses.Where(c => c.Status == "resolved").Select(c => c.Id)], 1) is [var resolved, ..])
        {
            data.ReopenConversation(resolved);
        }

        data.AssignConversation(Pick(conversations, 1)[0], Pick(agents, 1)[0]);
        var group = (string)data.GetGroups()[_random.Next(data.GetGroups().Count)]["id"]!;
        data.UpdateGroup(group, g => g["description"] = $"edited in round {round}");
        data.SetAgentAvailability(Pick(agents, 1)[0], _random.Next(2) == 0 ? "AVAILABLE" : "UNAVAILABLE");
        if (round % 4 == 0 && _createdUsers.Count > 0)
        {
            data.DeleteUser(_createdUsers[0]);
            _createdUsers.RemoveAt(0);
        }

        Oracle.Observe();
    }

    /// <summary>Records in a resource's topic (high watermarks; cheaper than reading it).</summary>
    public long CountPublished(Producer.Events.TopicDescriptor resource) => Scenario.CountPublished(resource);

    /// <summary>A delay drawn from the drill's seeded generator.</summary>
    public TimeSpan RandomDelay(TimeSpan min, TimeSpan max) => min + (max - min) * _random.NextDouble();

    /// <summary>
    /// Makes the current state required and waits until the topics hold it, auditing about once a second;
    /// returns how long that took (when the first passing audit started, so at most one audit late). Fails with the last audit when <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<(TimeSpan Elapsed, AuditResult Audit)> ConvergeAsync(TimeSpan timeout)
    {
        Oracle.Checkpoint();
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            // An audit reads every topic (a few seconds); the topics were complete by the time it started.
            var startedAt = stopwatch.Elapsed;
            var audit = TopicAudit.Run(Scenario, Oracle);
            if (audit.Lost == 0 && audit.Clean)
            {
                return (startedAt, audit);
            }

            Assert.True(stopwatch.Elapsed < timeout, $"Not converged within {timeout.TotalSeconds} s: {audit}\nproducer output (last 30 lines):\n{string.Join("\n", Output.TakeLast(30))}");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private List<string> Pick(List<string> from, int count) =>
        from.Count == 0 ? [] : [.. Enumerable.Range(0, count).Select(_ => from[_random.Next(from.Count)]).Distinct()];

    public async ValueTask DisposeAsync() => await Scenario.DisposeAsync();
}
