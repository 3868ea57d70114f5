using FreshchatStream.Producer.Freshchat;

namespace FreshchatStream.Tests.Unit.Freshchat;

[Trait("Issue", "#19")]
public sealed class FreshchatUserAgentTests
{
    [Fact]
    public void Format_IsProductSlashVersion_WithTheInstanceIdAsComment()
    {
        var userAgent = FreshchatUserAgent.Format("pod-7f9c-1-ab12");

        Assert.Matches(@"^freshchat-stream/\d+\.\d+\.\d+[^ +()]* \(pod-7f9c-1-ab12\)$", userAgent);
        Assert.DoesNotContain('+', FreshchatUserAgent.ProducerVersion); // no +commit build metadata
        Assert.True(System.Net.Http.Headers.ProductInfoHeaderValue.TryParse(userAgent.Split(' ')[0], out var product));
        Assert.Equal("freshchat-stream", product!.Product!.Name);
    }
}
