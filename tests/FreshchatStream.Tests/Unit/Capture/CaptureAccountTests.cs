using FreshchatStream.Producer.Capture;
using Microsoft.Extensions.Configuration;

namespace FreshchatStream.Tests.Unit.Capture;

public sealed class CaptureAccountTests
{
    [Theory]
    [InlineData("https://acme.freshchat.com/v2", null, "acme")]
    [InlineData("https://Globex.myfreshworks.com/crm/messaging/v2", null, "globex")]
    [InlineData("https://api.eu.freshchat.com/v2", null, "api.eu.freshchat.com")]
    [InlineData("http://127.0.0.1:5080/v2", null, "127.0.0.1:5080")]
    [InlineData("https://api.freshchat.com/v2", "initech", "initech")]
    public void FromConfiguration_NamesTheAccount(string baseUrl, string? configured, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Freshchat:BaseUrl"] = baseUrl,
            ["Capture:Account"] = configured,
        }).Build();

        Assert.Equal(expected, CaptureAccount.FromConfiguration(configuration).Name);
    }
}
