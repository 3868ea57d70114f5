using FreshchatStream.Producer.Commands;

namespace FreshchatStream.Tests.Unit.Accounts;

/// <summary><c>--account</c> of <c>reset</c> and <c>check</c>: parsed by System.CommandLine, validated before anything is reached.</summary>
[Trait("Issue", "#19")]
public sealed class AccountOptionTests
{
    private static readonly string[] Unreachable =
        ["--Redis:Configuration=127.0.0.1:9", "--Kafka:BootstrapServers=127.0.0.1:9", "--SchemaRegistry:Url=http://127.0.0.1:9"];

    private static readonly string[] TwoAccounts =
    [
        "--Accounts:acme:Freshchat:BaseUrl=https://acme.freshchat.com/v2", "--Accounts:acme:Freshchat:ApiKey=k",
        "--Accounts:beta:Freshchat:BaseUrl=https://beta.freshchat.com/v2", "--Accounts:beta:Freshchat:ApiKey=k",
    ];

    [Fact]
    public async Task Reset_WithAccountsButNoAccountOption_ExitsTwoNamingTheOptionAndTheAccounts()
    {
        var (code, error) = await RunAsync(["reset", "--resource", "users", "--yes", .. TwoAccounts]);

        Assert.Equal(ExitCodes.Configuration, code);
        Assert.Equal("error: reset needs --account NAME when Accounts is configured; configured: acme, beta.", error.Trim());
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("check")]
    public async Task Command_UnknownAccount_ExitsTwoNamingTheOptionAndListingTheConfiguredNames(string command)
    {
        string[] args = command == "reset" ? ["reset", "--resource", "users", "--yes"] : ["check"];

        var (code, error) = await RunAsync([.. args, "--account", "nope", .. TwoAccounts]);

        Assert.Equal(ExitCodes.Configuration, code);
        Assert.Equal("error: Unknown account 'nope' for --account; configured: acme, beta.", error.Trim());
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("check")]
    public async Task Command_AccountOptionWithoutAccounts_ExitsTwo(string command)
    {
        string[] args = command == "reset" ? ["reset", "--resource", "users", "--yes"] : ["check"];

        var (code, error) = await RunAsync([.. args, "--account", "acme", "--Freshchat:BaseUrl=https://acme.freshchat.com/v2", "--Freshchat:ApiKey=k"]);

        Assert.Equal(ExitCodes.Configuration, code);
        Assert.StartsWith("error: --account acme selects one of Accounts:*, and no Accounts are configured", error.Trim(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("check")]
    public async Task Command_AccountOptionWithoutValue_ExitsTwo(string command)
    {
        string[] args = command == "reset" ? ["reset", "--resource", "users", "--yes"] : ["check"];

        var (code, error) = await RunAsync([.. args, "--account", .. TwoAccounts]);

        Assert.Equal(ExitCodes.Configuration, code);
        Assert.Contains("--account", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("check")]
    public async Task Help_DescribesTheAccountOption(string command)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await FreshchatStreamCli.RunAsync([command, "--help"], output, error);

        Assert.Equal(0, code);
        Assert.Matches(@"--account <NAME>\s+\S", output.ToString());
    }

    private static async Task<(int Code, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await FreshchatStreamCli.RunAsync([.. args, .. Unreachable], output, error);
        return (code, error.ToString());
    }
}
