using FreshchatStream.Producer.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Tests.Unit.State;

[Trait("Issue", "#19")]
public sealed class LeaseOptionsTests
{
    private static LeaseOptions Bind(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddLeaseOptions();
        builder.AddLeaseOptions(); // safe twice: validated once
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<LeaseOptions>>().Value;
    }

    [Fact]
    public void Defaults_AreFifteenSecondTtlThirtySecondWait_AndHostPidRandomInstanceId()
    {
        var options = Bind([]);

        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseTtl);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RenewInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.LeaseWaitTimeout);
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(Environment.MachineName.ToLowerInvariant())}-{Environment.ProcessId}-[0-9a-f]{{4}}$", options.ResolvedInstanceId);
        Assert.DoesNotContain(options.ResolvedInstanceId, char.IsWhiteSpace);
    }

    [Theory]
    [InlineData("Capture:LeaseTtl", "00:00:00.500", "Capture:LeaseTtl must be between 00:00:01 and 01:00:00.")]
    [InlineData("Capture:LeaseWaitTimeout", "-00:00:01", "Capture:LeaseWaitTimeout must be between 00:00:00 and 1.00:00:00.")]
    [InlineData("Capture:InstanceId", "pod a", "Capture:InstanceId must be 1 to 100 characters without whitespace (leave it unset for host-pid-random).")]
    public void Invalid_FailsAtStart_NamingTheKey(string key, string value, string message)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Equal([message], failure.Failures);
        Assert.DoesNotContain(value, failure.Message.Replace(message, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void InstanceId_LongerThanOneHundredCharacters_IsRefused()
    {
        Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Capture:InstanceId"] = new string('a', 101) }));
        Assert.Equal(new string('a', 100), Bind(new() { ["Capture:InstanceId"] = new string('a', 100) }).ResolvedInstanceId);
    }

    [Fact]
    public void Status_DescribesHolderEpochAndExpiry_OrFree()
    {
        var now = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal("held by pod-a (epoch 7), expires 2026-01-05 10:00:09.500Z (in 10 s)",
            new LeaseStatus("pod-a", 7, now.AddSeconds(9.5), now).Describe());
        Assert.Equal("free (epoch 7)", new LeaseStatus(null, 7, null, now).Describe());
        Assert.Equal("free (epoch 7, last held by pod-a, expired)", new LeaseStatus("pod-a", 7, now.AddSeconds(-1), now).Describe());
    }
}
