using FreshchatStream.Consumers.Commands;
using FreshchatStream.Consumers.Postgres;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Consumers;

/// <summary>An unreachable database is an outage (exit 3, nothing dead-lettered), never a reason to drop records.</summary>
[Trait("Category", "Integration")]
public sealed class LanderFailureTests
{
    [Fact]
    public async Task Postgres_Unreachable_ExitsThreeWithOneLine()
    {
        var closed = $"Host=127.0.0.1;Port={FreePort.Next()};Username=x;Database=x;Timeout=2";
        using var error = new StringWriter();

        var code = await LanderCli.RunAsync(["postgres", "--connection", closed, "--bootstrap-servers", "127.0.0.1:1", "--schema-registry", "http://127.0.0.1:1", "--once"],
            TextWriter.Null, error).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(3, code);
        Assert.StartsWith("fatal:", Assert.Single(error.ToString().Trim().Split('\n')));
    }

    [Fact]
    public async Task Postgres_ConnectionFailure_IsNotADataRejection()
    {
        await using var warehouse = new PostgresWarehouse($"Host=127.0.0.1;Port={FreePort.Next()};Username=x;Database=x;Timeout=2");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => warehouse.OpenAsync(CancellationToken.None));

        Assert.False(warehouse.IsDataRejection(failure));
    }
}
