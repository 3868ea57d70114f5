using FreshchatStream.Producer.Freshchat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Tests.Unit.Freshchat;

public sealed class FreshchatOptionsTests
{
    private const string Secret = "s3cr3t-token-value";

    private static FreshchatOptions Bind(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Freshchat:BaseUrl"] = "https://acme.freshchat.com/v2",
            ["Freshchat:ApiKey"] = Secret,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddFreshchatClient();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<FreshchatOptions>>().Value;
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = Bind();

        Assert.Equal(200, options.RequestsPerMinute);
        Assert.Equal(TimeSpan.FromSeconds(30), options.AttemptTimeout);
        Assert.Equal(100, options.ItemsPerPage);
        Assert.Equal(new Uri("https://acme.freshchat.com/v2/"), options.GetBaseUri());
    }

    [Theory]
    [InlineData("Freshchat:BaseUrl", null, "Freshchat:BaseUrl is required")]
    [InlineData("Freshchat:BaseUrl", "acme.freshchat.com/v2", "Freshchat:BaseUrl must be an absolute")]
    [InlineData("Freshchat:BaseUrl", "ftp://acme.freshchat.com/v2", "Freshchat:BaseUrl must be an absolute")]
    [InlineData("Freshchat:BaseUrl", "https://user:pw@acme.freshchat.com/v2", "Freshchat:BaseUrl must not carry credentials")]
    [InlineData("Freshchat:ApiKey", null, "Freshchat:ApiKey is required")]
    [InlineData("Freshchat:ApiKey", "Bearer abc", "Freshchat:ApiKey must not contain whitespace")]
    [InlineData("Freshchat:RequestsPerMinute", "0", "Freshchat:RequestsPerMinute")]
    [InlineData("Freshchat:RequestsPerMinute", "100001", "Freshchat:RequestsPerMinute")]
    [InlineData("Freshchat:AttemptTimeout", "00:05:00", "Freshchat:AttemptTimeout must not be longer than Freshchat:TotalTimeout")]
    [InlineData("Freshchat:MaxRetries", "50", "Freshchat:MaxRetries")]
    [InlineData("Freshchat:TotalTimeout", "00:00:31", "Freshchat:TotalTimeout must be longer than Freshchat:AttemptTimeout + Freshchat:RetryBaseDelay")]
    [InlineData("Freshchat:TotalTimeout", "00:00:00", "Freshchat:TotalTimeout must be between")]
    [InlineData("Freshchat:ItemsPerPage", "0", "Freshchat:ItemsPerPage")]
    [InlineData("Freshchat:MaxConcurrency", "0", "Freshchat:MaxConcurrency must be between 1 and 64")]
    [InlineData("Freshchat:MaxConcurrency", "65", "Freshchat:MaxConcurrency must be between 1 and 64")]
    [InlineData("Freshchat:BreakDuration", "00:00:00", "Freshchat:BreakDuration")]
    public void Invalid_FailsNamingTheKeyWithoutTheSecret(string key, string? value, string expected)
    {
        var overrides = new List<(string, string?)> { (key, value) };
        if (key == "Freshchat:AttemptTimeout")
        {
            overrides.Add(("Freshchat:TotalTimeout", "00:01:00"));
        }

        var failure = Assert.Throws<OptionsValidationException>(() => Bind([.. overrides]));

        Assert.Contains(failure.Failures, f => f.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, failure.Message);
    }

    [Fact]
    public void Valid_NoRetriesWithAShortTotalTimeout_IsAccepted()
    {
        var options = Bind(("Freshchat:MaxRetries", "0"), ("Freshchat:TotalTimeout", "00:00:30"));

        Assert.Equal(0, options.MaxRetries);
    }

    [Theory]
    [InlineData("http://freshchat.internal.example/v2", true)]
    [InlineData("http://127.0.0.1:8080/v2", false)]
    [InlineData("http://localhost:8080/v2", false)]
    [InlineData("https://acme.freshchat.com/v2", false)]
    public async Task Start_PlainHttpToAnotherHost_LogsOneWarning(string baseUrl, bool warns)
    {
        var logger = new FakeLogger<FreshchatUrlWarning>();
        var warning = new FreshchatUrlWarning(Options.Create(new FreshchatOptions { BaseUrl = baseUrl, ApiKey = Secret }), logger);

        await warning.StartAsync(CancellationToken.None);

        var records = logger.Collector.GetSnapshot();
        Assert.Equal(warns ? 1 : 0, records.Count(r => r.Level == LogLevel.Warning && r.Message.Contains("Freshchat:BaseUrl", StringComparison.Ordinal)));
        Assert.All(records, r => Assert.DoesNotContain(Secret, r.Message));
    }

    [Fact]
    [Trait("Issue", "#21")]
    public void Limiter_BanksThreeSecondsOfTheBudget()
    {
        // The bucket starts full: the bank is what a serial stretch of a cycle may save for the next concurrent one
        // (FreshchatRequestGate keeps any minute within the budget, bank included).
        using var limiter = FreshchatResilience.CreateLimiter(200);
        Assert.Equal(10, limiter.GetStatistics()!.CurrentAvailablePermits); // 300 ms per token: 3 s = 10 tokens
        using var fast = FreshchatResilience.CreateLimiter(6000);
        Assert.Equal(300, fast.GetStatistics()!.CurrentAvailablePermits);
        using var slow = FreshchatResilience.CreateLimiter(10);
        Assert.Equal(1, slow.GetStatistics()!.CurrentAvailablePermits); // 6 s per token: never less than one
    }
}
