using Confluent.SchemaRegistry;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using StackExchange.Redis;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// The delivery guarantee under failure: a crash between Kafka's acknowledgement and the Redis commit repeats
/// events with the same ids and loses none; a broker or Redis outage acknowledges nothing and capture resumes.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FailureRecoveryTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task Run_KilledAfterDeliveryBeforeCommit_RepeatsEventsWithTheSameIdsAndLosesNone()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        scenario.Settings["Capture:Resources"] = "users";
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var before = scenario.Read(CaptureCatalogue.UsersTopic);
        var data = scenario.Freshchat.Data;
        var oldUsers = data.EnumerateUsers().Take(2).Select(u => (string)u["id"]!).ToList();
        var created = Enumerable.Range(0, 3).Select(i => data.CreateUser($"New{i}", "User", $"new{i}@example.com")).ToList();
        oldUsers.ForEach(id => Assert.True(data.UpdateUser(id, lastName: "Changed")));

        // Writes (the commit script) block while reads go on: the child publishes, Kafka acknowledges, and the
        // commit hangs until the process is killed — the window a crash after delivery falls into. The child must hold
        // the account's lease first (acquiring it is a write too, #19): Freshchat answers slowly until it does, so
        // writes are paused after the acquisition and before the users pass can commit.
        await using var admin = await ConnectionMultiplexer.ConnectAsync(stack.Redis.Configuration + ",allowAdmin=true");
        var server = admin.GetServers()[0];
        List<TopicRecord> published;
        scenario.Freshchat.Faults.Latency = TimeSpan.FromMilliseconds(500);
        using var child = scenario.StartChild(
            new Dictionary<string, string> { ["Redis:Configuration"] = stack.Redis.Configuration.Replace("syncTimeout=2000", "syncTimeout=60000,asyncTimeout=60000", StringComparison.Ordinal) },
            "run", "--once");
        var leaseDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((string?)await admin.GetDatabase().HashGetAsync($"{scenario.KeyPrefix}:lease", "holder") != scenario.Settings["Capture:InstanceId"])
        {
            Assert.True(DateTime.UtcNow < leaseDeadline && !child.HasExited, "The producer never acquired the lease.");
            await Task.Delay(10);
        }

        await server.ExecuteAsync("CLIENT", "PAUSE", "60000", "WRITE");
        scenario.Freshchat.Faults.Latency = TimeSpan.Zero;
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            do
            {
                await Task.Delay(200);
                published = [.. scenario.ReadNew(CaptureCatalogue.UsersTopic, before)];
            }
            while (published.Count < 5 && DateTime.UtcNow < deadline && !child.HasExited);

            Assert.False(child.HasExited, "The producer exited before it could be killed mid-commit.");
            child.Kill();
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await server.ExecuteAsync("CLIENT", "UNPAUSE");
        }

        Assert.Equal(5, published.Count);
        var recovery = await scenario.RunAsync("run", "--once");

        Assert.True(recovery.ExitCode == 0, recovery.ToString());
        var repeated = scenario.ReadNew(CaptureCatalogue.UsersTopic, [.. before, .. published]);
        Assert.Equal(published.Select(r => r.EventId).Order(), repeated.Select(r => r.EventId).Order());
        Assert.Equal(created.Concat(oldUsers).Order(), published.Select(r => r.Id).Order());

        var quiet = await scenario.RunAsync("run", "--once");
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal(before.Count + 10, scenario.Read(CaptureCatalogue.UsersTopic).Count);
    }

    [Fact]
    public async Task RunOnce_BrokerDownAtStart_ExitsThreeAcknowledgesNothingAndTheNextRunPublishesTheChangeOnce()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        scenario.Settings["Capture:Resources"] = "groups";
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var group = (string)scenario.Freshchat.Data.GetGroups()[0]["id"]!;
        Assert.True(scenario.Freshchat.Data.UpdateGroup(group, g => g["description"] = "changed while Kafka was down"));
        scenario.Settings["Kafka:DeliveryTimeout"] = "00:00:03";
        scenario.Settings["Kafka:AdminTimeout"] = "00:00:02";
        scenario.Settings["Capture:StartupTimeout"] = "00:00:01";

        stack.Kafka.SetBrokerDown(1);
        CommandResult failed;
        try
        {
            failed = await scenario.RunAsync("run", "--once");
        }
        finally
        {
            stack.Kafka.SetBrokerUp(1);
        }

        // Down before the run started: the start-up probe names it (a broker lost mid-batch is KafkaFaultTests').
        Assert.True(failed.ExitCode == 3, failed.ToString());
        var line = Assert.Single(failed.Error.Trim().Split('\n'));
        Assert.StartsWith("fatal: Kafka is unreachable", line);
        Assert.Contains("(check Kafka:BootstrapServers)", line);
        var recovered = await scenario.RunAsync("run", "--once");

        Assert.True(recovered.ExitCode == 0, recovered.ToString());
        var updates = scenario.Read(CaptureCatalogue.GroupsTopic).Where(r => r.Op == "u").ToList();
        Assert.Equal(group, Assert.Single(updates).Id);
    }

    [Fact]
    public async Task RunOnce_RedisDownAtStart_ExitsThreeWithOneLineAndResumesWhenRedisReturns()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        scenario.Settings["Capture:Resources"] = "roles";
        scenario.Settings["Capture:StartupTimeout"] = "00:00:01";
        scenario.Settings["Redis:Configuration"] = stack.Redis.Configuration.Replace("connectTimeout=2000", "connectTimeout=500", StringComparison.Ordinal);

        stack.Redis.StopServer();
        CommandResult failed;
        try
        {
            failed = await scenario.RunAsync("run", "--once");
        }
        finally
        {
            await stack.Redis.StartServerAsync();
        }

        Assert.True(failed.ExitCode == 3, failed.ToString());
        var line = Assert.Single(failed.Error.Trim().Split('\n'));
        Assert.StartsWith("fatal: Redis is unreachable", line);
        Assert.Contains("(check Redis:Configuration)", line);
        Assert.Empty(scenario.Read(CaptureCatalogue.RolesTopic));

        var recovered = await scenario.RunAsync("run", "--once");

        Assert.True(recovered.ExitCode == 0, recovered.ToString());
        Assert.Equal(scenario.Freshchat.Data.GetRoles().Count, scenario.Read(CaptureCatalogue.RolesTopic).Count);
    }

    [Fact]
    public async Task Run_ShippedSchemaIncompatibleWithItsSubject_StopsAtStartWithExitOneNamingTheSubjectAndPublishesNothing()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        scenario.Settings["Capture:Resources"] = "roles";
        var subject = $"{scenario.Topics.For(CaptureCatalogue.RolesTopic)}-value";
        using (var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = stack.Registry.Url.ToString() }))
        {
            // A required field the shipped schema lacks: BACKWARD compatibility refuses the shipped one (409).
            await registry.RegisterSchemaAsync(subject,
                new Schema("""{"type":"record","name":"role","namespace":"freshchat","fields":[{"name":"legacy","type":"string"}]}""", SchemaType.Avro));
        }

        // A long-running run, not --once: it must stop by itself rather than fail every cycle until someone reads the log.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var failed = await scenario.RunAsync(timeout.Token, "run");

        Assert.False(timeout.IsCancellationRequested, $"the run went on with a schema the registry refused: {failed}");
        Assert.True(failed.ExitCode == 1, failed.ToString());
        var line = Assert.Single(failed.Error.Trim().Split('\n'));
        Assert.StartsWith("fatal: Schema Registry refused", line);
        Assert.Contains(subject, line);
        Assert.Contains("schemas/README.md", line);
        Assert.Empty(scenario.Read(CaptureCatalogue.RolesTopic));
    }
}
