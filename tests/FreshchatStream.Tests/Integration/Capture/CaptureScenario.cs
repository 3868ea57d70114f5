using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Sandbox.Kafka;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// One producer deployment under test: its own small Freshchat emulator, topic prefix (topics created through
/// the mock API, whose admin API does not answer) and Redis key prefix. Runs the real command line in-process
/// (<see cref="RunAsync"/>) or as a child process (<see cref="StartChild"/>), and reads topics back with a
/// plain Confluent consumer and Avro deserializer.
/// </summary>
internal sealed class CaptureScenario : IAsyncDisposable
{
    /// <summary>Partitions of every topic a scenario creates, unless <see cref="StartAsync"/> is given more.</summary>
    public const int DefaultPartitions = 3;

    public static readonly FreshchatEmulatorOptions SmallAccount = new()
    {
        Users = 40, ConversationsPerUser = 0.1, MessagesPerConversation = 3, Agents = 5, Groups = 3, Channels = 2, Seed = 7,
    };

    private readonly CaptureStackFixture _stack;
    private readonly List<(int Id, DateTime StartTime)> _children = [];

    private CaptureScenario(CaptureStackFixture stack, FreshchatEmulator freshchat, int partitions)
    {
        _stack = stack;
        Freshchat = freshchat;
        Partitions = partitions;
        Prefix = $"cap{Guid.NewGuid():N}";
        KeyPrefix = RedisServerFixture.NewKeyPrefix();
        Topics = new TopicNames(Prefix);
        foreach (var topic in Topics.All())
        {
            stack.Kafka.CreateTopic(topic.Name, Partitions);
        }

        Settings = new Dictionary<string, string>
        {
            ["Freshchat:BaseUrl"] = freshchat.BaseUrl.ToString(),
            ["Freshchat:ApiKey"] = freshchat.ApiKey,
            ["Kafka:BootstrapServers"] = stack.Kafka.BootstrapServers,
            ["Kafka:TopicPrefix"] = Prefix,
            ["Kafka:CreateTopics"] = "false",
            ["Kafka:FlushTimeout"] = "00:00:10",
            ["SchemaRegistry:Url"] = stack.Registry.Url.ToString(),
            ["Redis:Configuration"] = stack.Redis.Configuration,
            ["Redis:KeyPrefix"] = KeyPrefix,
            ["Capture:ReconcileInterval"] = "00:00:00",
            ["Capture:Account"] = "acme",
            // One instance id for every run of the scenario, as a restarted pod keeps its name: a run started after a
            // killed one takes the lease over at once instead of waiting for it to expire (LeaseTakeoverTests give
            // each instance its own id).
            ["Capture:InstanceId"] = $"scenario-{Prefix}",
            ["Freshchat:RequestsPerMinute"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }

    public FreshchatEmulator Freshchat { get; }

    /// <summary>Partitions of each of this scenario's topics.</summary>
    public int Partitions { get; }

    public string Prefix { get; }

    public string KeyPrefix { get; }

    public TopicNames Topics { get; }

    /// <summary>How long <see cref="RunAsync(string[])"/> waits for a command before calling it hung.</summary>
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Configuration passed as <c>--Key=value</c> arguments; tests may change it before a run.</summary>
    public Dictionary<string, string> Settings { get; }

    /// <param name="partitions">
    /// Partitions per topic. The mock cluster keeps at most <see cref="MockKafkaCluster.PartitionLogCapBytes"/> per
    /// partition, so a scenario that publishes more than that to one topic spreads it over more partitions.
    /// </param>
    public static async Task<CaptureScenario> StartAsync(CaptureStackFixture stack, FreshchatEmulatorOptions? options = null, int partitions = DefaultPartitions) =>
        new(stack, await FreshchatEmulator.StartAsync(options ?? SmallAccount with { Behaviour = new(), Faults = new() }), partitions);

    /// <summary>
    /// Replaces the single account by <c>Accounts:{name}:Freshchat:*</c> entries on the same topics; an account named
    /// before and not now keeps its entries (<see cref="TwoAccountScenario.UseAlphaAlone"/> removes them).
    /// </summary>
    public void UseAccounts(params (string Name, FreshchatEmulator Emulator)[] accounts)
    {
        Settings.Remove("Freshchat:BaseUrl");
        Settings.Remove("Freshchat:ApiKey");
        Settings.Remove("Capture:Account");
        foreach (var (name, emulator) in accounts)
        {
            Settings[$"Accounts:{name}:Freshchat:BaseUrl"] = emulator.BaseUrl.ToString();
            Settings[$"Accounts:{name}:Freshchat:ApiKey"] = emulator.ApiKey;
        }
    }

    /// <summary>Runs <c>freshchat-stream</c> in-process with this scenario's settings, bounded in time.</summary>
    public Task<CommandResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    /// <summary>Runs a command that runs until <paramref name="stop"/> (e.g. <c>run</c>), as SIGTERM would stop it.</summary>
    public async Task<CommandResult> RunAsync(CancellationToken stop, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await FreshchatStreamCli.RunAsync([.. args, .. SettingArguments()], output, error, stop).WaitAsync(RunTimeout);
        return new CommandResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Starts <c>freshchat-stream</c> as a separate process (the built dll next to the tests).</summary>
    public Process StartChild(IReadOnlyDictionary<string, string>? overrides, params string[] args) => StartChild(overrides, output: null, args);

    /// <summary>As <see cref="StartChild(IReadOnlyDictionary{string, string}?, string[])"/>, passing each line of stdout and stderr to <paramref name="output"/>.</summary>
    public Process StartChild(IReadOnlyDictionary<string, string>? overrides, Action<string>? output, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "freshchat-stream.dll"));
        foreach (var argument in args)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = overrides?.GetValueOrDefault(key) ?? value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start freshchat-stream.");
        lock (_children)
        {
            _children.Add((process.Id, process.StartTime));
        }

        process.OutputDataReceived += (_, line) => { if (line.Data is not null) output?.Invoke(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) output?.Invoke(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private IEnumerable<string> SettingArguments() => Settings.Select(s => $"--{s.Key}={s.Value}");

    /// <summary>
    /// Waits until every one of <paramref name="conversationIds"/> is due in the scenario's schedule. A run schedules a
    /// quiet conversation a poll interval after its cycle began (or up to <c>OpenMaxInterval</c>), and with test reads
    /// taking milliseconds the next <c>run --once</c> can start before that; a test that expects that run to poll
    /// the conversation waits here first. Fails after 10 s naming the ones still not due (retired, or never scheduled).
    /// </summary>
    public async Task WaitUntilDueAsync(IEnumerable<string> conversationIds)
    {
        var db = _stack.Redis.Connection.GetDatabase();
        var schedule = new RedisKeys(KeyPrefix).ConversationSchedule;
        var wanted = conversationIds.ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var due = (await db.SortedSetRangeByScoreAsync(schedule, double.NegativeInfinity, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))
                .Select(RedisIdEncoding.Decode).ToHashSet(StringComparer.Ordinal);
            var waiting = wanted.Where(id => !due.Contains(id)).ToList();
            if (waiting.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not due in the schedule within 10 s: {string.Join(", ", waiting)}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Every cursor in the scenario's Redis namespace, or in <paramref name="account"/>'s with <c>Accounts</c>:
    /// <c>cursors/{resource}</c> and <c>msgcursor/{conversation}</c>, to compare before and after a takeover.
    /// </summary>
    public Dictionary<string, ResourceCursor> ReadCursors(string? account = null)
    {
        var db = _stack.Redis.Connection.GetDatabase();
        var prefix = account is null ? KeyPrefix : $"{KeyPrefix}:{account}";
        // Decoded with the store's own encodings: resource cursors are JSON, conversation state is binary (docs/state.md).
        return db.HashGetAll($"{prefix}:cursors").Select(e => ($"cursors/{e.Name}", ResourceCursor.Load(e.Value!)))
            .Concat(db.HashGetAll($"{prefix}:msgcursor").Select(e =>
                ($"msgcursor/{RedisIdEncoding.Decode(e.Name)}", ConversationStateEncoding.Decode((byte[])e.Value!).Messages)))
            .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
    }

    /// <summary>Every record of a resource's topic, read to the end of each partition, in offset order per partition.</summary>
    public IReadOnlyList<TopicRecord> Read(TopicDescriptor resource) => Read(Topics.For(resource));

    /// <summary>The records of a resource's topic that were not in <paramref name="before"/> (a previous <see cref="Read(TopicDescriptor)"/>).</summary>
    public IReadOnlyList<TopicRecord> ReadNew(TopicDescriptor resource, IReadOnlyList<TopicRecord> before)
    {
        var seen = before.Select(r => (r.Partition, r.Offset)).ToHashSet();
        return [.. Read(resource).Where(r => !seen.Contains((r.Partition, r.Offset)))];
    }

    /// <summary>
    /// How many records a resource's topic holds (the sum of its partitions' high watermarks): what a test waits on
    /// while a producer runs, as it costs a few milliseconds where reading the topic costs seconds.
    /// </summary>
    public long CountPublished(TopicDescriptor resource)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = _stack.Kafka.BootstrapServers, GroupId = MockKafkaFixture.NewGroupId("capture-counter"),
        }).Build();
        return Enumerable.Range(0, Partitions)
            .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(Topics.For(resource), p), TimeSpan.FromSeconds(10)).High.Value);
    }

    /// <summary>The current records of every topic, to diff against after a run.</summary>
    public Dictionary<TopicDescriptor, IReadOnlyList<TopicRecord>> ReadAll() => CaptureCatalogue.Topics.ToDictionary(r => r, Read);

    public IReadOnlyList<TopicRecord> Read(string topic)
    {
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = _stack.Registry.Url.ToString() });
        using var consumer = new ConsumerBuilder<GenericRecord, GenericRecord?>(ReaderConfig())
            .SetKeyDeserializer(new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync())
            .SetValueDeserializer(new AvroDeserializer<GenericRecord?>(registry).AsSyncOverAsync())
            .Build();
        return [.. ReadToEnd(consumer, topic).Select(result => new TopicRecord(result.Message.Key, result.Message.Value, result.Partition.Value, result.Offset.Value,
            result.Message.Headers.ToDictionary(h => h.Key, h => System.Text.Encoding.UTF8.GetString(h.GetValueBytes())),
            new DateTimeOffset(result.Message.Timestamp.UtcDateTime)))];
    }

    /// <summary>Every record of a topic as raw bytes (key, value, headers), read to the end of each partition.</summary>
    public IReadOnlyList<Message<byte[]?, byte[]?>> ReadRaw(string topic)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(ReaderConfig()).Build();
        return [.. ReadToEnd(consumer, topic).Select(result => result.Message)];
    }

    private ConsumerConfig ReaderConfig() => new()
    {
        BootstrapServers = _stack.Kafka.BootstrapServers,
        GroupId = MockKafkaFixture.NewGroupId("capture-reader"),
        EnableAutoCommit = false,
        EnablePartitionEof = true,
        FetchWaitMaxMs = ReaderFetchWaitMaxMs,
    };

    /// <summary>
    /// How long a test reader's fetch may wait for data. librdkafka's default (500 ms) is paid again for every round of
    /// fetches until each partition reports its end, which made reading one topic back take 2–2.5 s and an audit of
    /// every topic about 30 s (measured); a reader that stops at the end of the topic has nothing to wait for.
    /// </summary>
    public const int ReaderFetchWaitMaxMs = 10;

    private List<ConsumeResult<TKey, TValue>> ReadToEnd<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic)
    {
        MockPartitionLog.AssignFromBeginning(consumer, topic, Partitions);
        var atEnd = new HashSet<int>();
        var records = new List<ConsumeResult<TKey, TValue>>();
        // 20 s without a record is a stall; a long topic (LargeAccountCaptureTests: 50,000 messages) may take longer
        // than that to read in all on a loaded machine, and that is no failure.
        var stall = TimeSpan.FromSeconds(20);
        var deadline = DateTime.UtcNow + stall;
        while (atEnd.Count < Partitions && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            deadline = DateTime.UtcNow + stall;
            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.Partition.Value);
                continue;
            }

            atEnd.Remove(result.Partition.Value);
            records.Add(result);
        }

        Assert.True(atEnd.Count == Partitions, $"Could not read {topic} to its end: nothing came for {stall.TotalSeconds} s.");
        MockPartitionLog.AssertComplete(consumer, topic, Partitions);
        return records;
    }

    /// <summary>
    /// Kills the child producers still running (a test that failed before stopping its child would otherwise leave
    /// it capturing, and eating CPU, until the test run ends), then stops the emulator. By process id, as the test
    /// has usually disposed its <see cref="Process"/> object by now; the start time tells a reused id apart.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        (int Id, DateTime StartTime)[] children;
        lock (_children)
        {
            children = [.. _children];
        }

        foreach (var (id, startTime) in children)
        {
            try
            {
                using var child = Process.GetProcessById(id);
                if (child.StartTime == startTime && !child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                    await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            catch (ArgumentException)
            {
                // No process has that id any more: it exited.
            }
            catch (InvalidOperationException)
            {
                // It exited between the look-up and the kill.
            }
        }

        await Freshchat.DisposeAsync();
    }
}

/// <summary>What a command printed and returned.</summary>
internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}

/// <summary>One record read back from a topic; <see cref="Value"/> is null for a tombstone.</summary>
/// <param name="Timestamp">The record's Kafka timestamp: the producer sets none, so it is the time the record was produced.</param>
internal sealed record TopicRecord(GenericRecord Key, GenericRecord? Value, int Partition, long Offset, IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset Timestamp)
{
    public string Id => (string)Key["id"];

    public string? Op => Value is null ? null : (string)Value["__op"];

    public string? EventId => Value is null ? null : (string)Value["__event_id"];

    public bool IsTombstone => Value is null;

    /// <summary>The <c>raw_json</c> column parsed; null on <c>d</c> events and tombstones.</summary>
    public JsonNode? Raw => Value?["raw_json"] is string json ? JsonNode.Parse(json) : null;

    public T? Column<T>(string name) => Value is not null && Value.TryGetValue(name, out var value) && value is T typed ? typed : default;
}
