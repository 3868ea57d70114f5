using FreshchatStream.Producer.Commands;

namespace FreshchatStream.Tests.Unit.Accounts;

[Trait("Issue", "#19")]
public sealed class AccountCommandGuardTests
{
    [Theory]
    [InlineData("check")]
    [InlineData("reset")]
    public async Task Command_WithAccounts_ExitsTwoInsteadOfTouchingTheTopLevelNamespace(string command)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = command == "reset" ? ["reset", "--resource", "users", "--yes"] : ["check"];

        var code = await FreshchatStreamCli.RunAsync([.. args, "--Accounts:acme:Freshchat:BaseUrl=https://acme.freshchat.com/v2", "--Accounts:acme:Freshchat:ApiKey=k",
            "--Redis:Configuration=127.0.0.1:9", "--Kafka:BootstrapServers=127.0.0.1:9", "--SchemaRegistry:Url=http://127.0.0.1:9"], output, error);

        Assert.Equal(ExitCodes.Configuration, code);
        Assert.Contains($"{command} does not support Accounts:* yet", error.ToString(), StringComparison.Ordinal);
    }
}
