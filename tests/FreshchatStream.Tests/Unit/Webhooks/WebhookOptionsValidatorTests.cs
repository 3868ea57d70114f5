using FreshchatStream.Producer.Webhooks;

namespace FreshchatStream.Tests.Unit.Webhooks;

public sealed class WebhookOptionsValidatorTests
{
    private static readonly string Pem = File.ReadAllText(WebhookSignatureTests.Sample("freshchat-public-key.pem"));

    [Fact]
    public void Defaults_Disabled_AreValid()
    {
        Assert.True(new WebhookOptionsValidator().Validate(null, new WebhookOptions()).Succeeded);
    }

    [Fact]
    public void Enabled_WithFreshchatsKey_IsValid()
    {
        var options = new WebhookOptions { Enabled = true, PublicKey = Pem, Listen = "http://0.0.0.0:8090" };

        Assert.True(new WebhookOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Enabled_WithGarbageKey_NamesTheKeyWithoutEchoingIt()
    {
        var options = new WebhookOptions { Enabled = true, PublicKey = "-----BEGIN RSA PUBLIC KEY-----\nc2VjcmV0LWxvb2tpbmc=\n-----END RSA PUBLIC KEY-----" };

        var result = new WebhookOptionsValidator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Webhooks:PublicKey", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", failure, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Issue", "#19")]
    [InlineData("00:00:30", false)]
    [InlineData("00:01:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("30.00:00:00", true)]
    [InlineData("31.00:00:00", false)]
    public void DedupTtl_FromAMinuteToThirtyDays_NamedWhenOutOfRange(string ttl, bool valid)
    {
        var result = new WebhookOptionsValidator().Validate(null, new WebhookOptions { DedupTtl = TimeSpan.Parse(ttl, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.StartsWith("Webhooks:DedupTtl", Assert.Single(result.Failures!), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DedupTtl_DefaultsToADay()
    {
        Assert.Equal(TimeSpan.FromHours(24), new WebhookOptions().DedupTtl);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8090", true)]
    [InlineData("http://[::]:8090", true)]
    [InlineData("https://localhost:8443", true)]
    [InlineData("http://127.0.0.1", false)]
    [InlineData("http://127.0.0.1:0", false)]
    [InlineData("http://127.0.0.1:8090/path", false)]
    [InlineData("ftp://127.0.0.1:8090", false)]
    [InlineData("http://freshchat.example.com:8090", false)]
    public void Listen_AcceptsAddressesWithPorts(string listen, bool valid)
    {
        Assert.Equal(valid, WebhookOptionsValidator.TryParseListen(listen, out _));
    }
}
