using System.Threading.RateLimiting;
using FreshchatStream.Producer.Accounts;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Tests.Unit.Accounts;

/// <summary>How one process composes its accounts: what each account owns and what all of them share (no I/O: every connection opens lazily).</summary>
[Trait("Issue", "#19")]
public sealed class AccountCaptureHostTests
{
    private static IHost Root(params (string Key, string Value)[] extra)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "127.0.0.1:9",
            ["Kafka:TopicPrefix"] = "shared",
            ["SchemaRegistry:Url"] = "http://127.0.0.1:9",
            ["Redis:Configuration"] = "127.0.0.1:9",
            ["Redis:KeyPrefix"] = "fs",
            ["Freshchat:RequestsPerMinute"] = "300",
            ["Accounts:acme:Freshchat:BaseUrl"] = "https://acme.freshchat.com/v2",
            ["Accounts:acme:Freshchat:ApiKey"] = "key-a",
            ["Accounts:globex:Freshchat:BaseUrl"] = "https://globex.freshchat.com/v2",
            ["Accounts:globex:Freshchat:ApiKey"] = "key-g",
            ["Accounts:globex:Freshchat:RequestsPerMinute"] = "50",
            ["Accounts:globex:Kafka:TopicPrefix"] = "globex",
        });
        builder.Configuration.AddInMemoryCollection(extra.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)));
        builder.AddAccountCaptures(new CaptureRun(CaptureMode.Changes, CaptureCatalogue.Names, Once: false));
        return builder.Build();
    }

    [Fact]
    public async Task Build_TwoAccounts_OwnClientBudgetStoreAndName_SharedProducerAndRedis()
    {
        using var root = Root();
        var captures = root.Services.GetRequiredService<AccountCaptures>();
        var shared = root.Services.GetRequiredService<SharedCaptureServices>();
        await using var acme = AccountCaptureHost.Build(captures.Accounts.Single(a => a.Name == "acme"), new CaptureRun(CaptureMode.Changes, CaptureCatalogue.Names, false), shared);
        await using var globex = AccountCaptureHost.Build(captures.Accounts.Single(a => a.Name == "globex"), new CaptureRun(CaptureMode.Changes, CaptureCatalogue.Names, false), shared);

        T In<T>(AccountCaptureHost host) where T : notnull => host.Services.GetRequiredService<T>();

        Assert.Equal("acme", In<CaptureAccount>(acme).Name);
        Assert.Equal("globex", In<CaptureAccount>(globex).Name);
        Assert.Equal(300, In<IOptions<FreshchatOptions>>(acme).Value.RequestsPerMinute);
        Assert.Equal(50, In<IOptions<FreshchatOptions>>(globex).Value.RequestsPerMinute);
        Assert.NotSame(In<IFreshchatClient>(acme), In<IFreshchatClient>(globex));
        Assert.NotSame(acme.Services.GetRequiredKeyedService<RateLimiter>(FreshchatResilience.PipelineName),
            globex.Services.GetRequiredKeyedService<RateLimiter>(FreshchatResilience.PipelineName));
        Assert.Equal("fs:acme", ((RedisCursorStore)In<ICursorStore>(acme)).Keys.Prefix);
        Assert.Equal("fs:globex", ((RedisCursorStore)In<ICursorStore>(globex)).Keys.Prefix);
        Assert.IsType<SharedTopicHistory>(In<IPublishedHistory>(acme));

        var connection = root.Services.GetRequiredService<KafkaConnection>();
        Assert.Same(connection, In<KafkaConnection>(acme));
        Assert.Same(connection, In<KafkaConnection>(globex));
        Assert.Same(root.Services.GetRequiredService<RedisConnection>(), In<RedisConnection>(acme));
        Assert.Same(root.Services.GetRequiredService<RedisConnection>(), In<RedisConnection>(globex));
        // acme publishes on the shared topics through the process's publisher; globex has topics of its own.
        Assert.Same(root.Services.GetRequiredService<IChangeSink>(), In<IChangeSink>(acme));
        Assert.Equal("globex", In<IOptions<KafkaOptions>>(globex).Value.TopicPrefix);
        Assert.NotSame(root.Services.GetRequiredService<IChangeSink>(), In<IChangeSink>(globex));
    }

    [Fact]
    public void Validate_InvalidAccountOption_FailsNamingTheAccountKey()
    {
        using var root = Root(("Accounts:globex:Freshchat:RequestsPerMinute", "0"));

        var error = Assert.Throws<ConfigurationErrorException>(() => root.Services.GetRequiredService<AccountCaptures>().Validate());

        Assert.Contains("Accounts:globex:Freshchat:RequestsPerMinute", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("key-g", error.Message, StringComparison.Ordinal);
    }
}
