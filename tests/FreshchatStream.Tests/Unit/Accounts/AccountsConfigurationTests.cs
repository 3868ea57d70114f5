using FreshchatStream.Producer.Accounts;
using FreshchatStream.Producer.Commands;
using Microsoft.Extensions.Configuration;

namespace FreshchatStream.Tests.Unit.Accounts;

[Trait("Issue", "#19")]
public sealed class AccountsConfigurationTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static (string, string)[] Account(string name, string baseUrl = "https://acme.freshchat.com/v2") =>
        [($"Accounts:{name}:Freshchat:BaseUrl", baseUrl), ($"Accounts:{name}:Freshchat:ApiKey", "secret")];

    [Fact]
    public void IsConfigured_WithoutAccountsSection_IsFalse()
    {
        Assert.False(AccountsConfiguration.IsConfigured(Configuration(("Freshchat:BaseUrl", "https://acme.freshchat.com/v2"))));
        Assert.True(AccountsConfiguration.IsConfigured(Configuration(Account("acme"))));
    }

    [Fact]
    public void Read_AccountKeys_OverlayTheRootConfiguration()
    {
        var configuration = Configuration([
            ("Freshchat:RequestsPerMinute", "300"), ("Capture:PollInterval", "00:00:30"), ("Kafka:TopicPrefix", "shared"), ("Redis:KeyPrefix", "fs"),
            .. Account("acme"), ("Accounts:acme:Capture:PollInterval", "00:00:05"),
            .. Account("globex", "https://globex.freshchat.com/v2"), ("Accounts:globex:Freshchat:RequestsPerMinute", "50"),
            ("Accounts:globex:Kafka:TopicPrefix", "globex"), ("Accounts:globex:Redis:KeyPrefix", "legacy"),
        ]);

        var accounts = AccountsConfiguration.Read(configuration, 12);

        Assert.Equal(["acme", "globex"], accounts.Select(a => a.Name));
        var acme = accounts[0].Configuration;
        Assert.Equal("https://acme.freshchat.com/v2", acme["Freshchat:BaseUrl"]);
        Assert.Equal("300", acme["Freshchat:RequestsPerMinute"]);
        Assert.Equal("00:00:05", acme["Capture:PollInterval"]);
        Assert.Equal("acme", acme["Capture:Account"]);
        Assert.Equal("fs:acme", accounts[0].KeyPrefix);
        Assert.Equal("shared", accounts[0].TopicPrefix);

        var globex = accounts[1].Configuration;
        Assert.Equal("50", globex["Freshchat:RequestsPerMinute"]);
        Assert.Equal("00:00:30", globex["Capture:PollInterval"]);
        Assert.Equal("legacy", accounts[1].KeyPrefix);
        Assert.Equal("globex", accounts[1].TopicPrefix);
        // The view binds like a root: sections list the account's keys with the inherited ones.
        Assert.Contains(globex.GetSection("Freshchat").GetChildren(), c => c.Key == "ApiKey");
    }

    [Fact]
    public void Read_DefaultRedisPrefix_IsTheRootPrefixAndTheName()
    {
        var accounts = AccountsConfiguration.Read(Configuration(Account("acme")), 12);

        Assert.Equal("freshchat-stream:acme", accounts[0].KeyPrefix);
    }

    [Theory]
    [InlineData("Acme")]
    [InlineData("acme_eu")]
    [InlineData("a.b")]
    [InlineData("a234567890123456789012345678901234567890x")]
    public void Read_InvalidName_FailsNamingTheKey(string name)
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => AccountsConfiguration.Read(Configuration(Account(name)), 12));

        Assert.Contains($"Accounts:{name}", error.Message, StringComparison.Ordinal);
        Assert.Contains("[a-z0-9-]{1,40}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Freshchat:BaseUrl")]
    [InlineData("Freshchat:ApiKey")]
    public void Read_MissingRequiredKey_FailsNamingIt(string key)
    {
        var settings = Account("acme").Where(s => s.Item1 != $"Accounts:acme:{key}").ToArray();

        var error = Assert.Throws<ConfigurationErrorException>(() => AccountsConfiguration.Read(Configuration(settings), 12));

        Assert.Contains($"Accounts:acme:{key} is required", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Accounts:acme:Kafka:BootstrapServers", "Accounts:acme:Kafka:BootstrapServers cannot be set per account")]
    [InlineData("Accounts:acme:Redis:Configuration", "Accounts:acme:Redis:Configuration cannot be set per account")]
    [InlineData("Accounts:acme:Freshcht:BaseUrl", "Accounts:acme:Freshcht is not an account setting")]
    [InlineData("Accounts:acme:Capture:Account", "Accounts:acme:Capture:Account cannot be set")]
    [InlineData("Accounts:acme:Webhooks:Path", "Accounts:acme:Webhooks:Path cannot be set per account (only Webhooks:PublicKey; the endpoint is shared")]
    public void Read_KeyAnAccountCannotSet_FailsNamingIt(string key, string expected)
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => AccountsConfiguration.Read(Configuration([.. Account("acme"), (key, "x")]), 12));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AccountWebhookKey_IsTheAccountsOwnOverTheTopLevelOne()
    {
        var configuration = Configuration([.. Account("acme"), .. Account("beta"), ("Webhooks:PublicKey", "shared"), ("Accounts:acme:Webhooks:PublicKey", "own")]);

        var accounts = AccountsConfiguration.Read(configuration, 12);

        Assert.Equal("own", accounts.Single(a => a.Name == "acme").Configuration["Webhooks:PublicKey"]);
        Assert.Equal("shared", accounts.Single(a => a.Name == "beta").Configuration["Webhooks:PublicKey"]);
    }

    [Fact]
    public void Read_TwoAccountsInOneRedisNamespace_Fail()
    {
        var configuration = Configuration([.. Account("a"), .. Account("b"), ("Accounts:a:Redis:KeyPrefix", "same"), ("Accounts:b:Redis:KeyPrefix", "same")]);

        var error = Assert.Throws<ConfigurationErrorException>(() => AccountsConfiguration.Read(configuration, 12));

        Assert.Contains("share the Redis namespace 'same'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Partition_IsMurmur2OfTheNameModuloPartitions()
    {
        var accounts = AccountsConfiguration.Read(Configuration([.. Account("foobar"), .. Account("abc")]), 12);

        Assert.Equal(479470107 % 12, accounts.Single(a => a.Name == "abc").Partition);
        Assert.Equal((-790332482 & 0x7fffffff) % 12, accounts.Single(a => a.Name == "foobar").Partition);
    }
}
