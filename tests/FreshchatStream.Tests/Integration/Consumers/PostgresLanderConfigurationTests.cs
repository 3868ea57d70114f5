using System.Diagnostics;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Consumers;

/// <summary>
/// The PostgreSQL lander as compose and Kubernetes run it: the connection string (the secret) and every other
/// setting from the environment, nothing but the command on its command line.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#20")]
[Collection(PostgresLanderStackCollection.Name)]
public sealed class PostgresLanderConfigurationTests(CaptureStackFixture stack, PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task Land_ConfiguredByEnvironmentOnly_LandsTheUsers()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with { ConversationsPerUser = 0.2, MessagesPerConversation = 2, Behaviour = new(), Faults = new() });
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var database = await postgres.CreateDatabaseAsync();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "freshchat-landers.dll"), "postgres", "--once", "--quiet" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Postgres__ConnectionString"] = database;
        info.Environment["Kafka__BootstrapServers"] = stack.Kafka.BootstrapServers;
        info.Environment["Kafka__TopicPrefix"] = scenario.Prefix;
        info.Environment["SchemaRegistry__Url"] = stack.Registry.Url.ToString();
        info.Environment["Lander__Topics"] = "users,groups";
        info.Environment["Lander__Group"] = LanderHarness.NewGroup();
        info.Environment["Lander__SessionTimeout"] = "00:00:06";

        using var child = Process.Start(info) ?? throw new InvalidOperationException("could not start freshchat-landers");
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));

        Assert.True(child.ExitCode == 0, await output + await error);
        Assert.Contains("landed", await output);
        Assert.DoesNotContain(info.ArgumentList, a => a.Contains("Host=", StringComparison.Ordinal));
        await using var db = await LanderHarness.OpenPostgresAsync(database);
        Assert.Equal(scenario.Freshchat.Data.EnumerateUsers().Count(), await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM users"));
        Assert.Equal(scenario.Freshchat.Data.GetGroups().Count, await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM groups"));
    }
}
