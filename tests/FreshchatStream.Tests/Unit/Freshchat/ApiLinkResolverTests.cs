using FreshchatStream.Producer.Freshchat.Pagination;

namespace FreshchatStream.Tests.Unit.Freshchat;

public sealed class ApiLinkResolverTests
{
    [Theory]
    [InlineData("https://acme.freshchat.com/v2/", "/v2/users?page=2&items_per_page=100", "https://acme.freshchat.com/v2/users?page=2&items_per_page=100")]
    [InlineData("https://globex.myfreshworks.com/crm/messaging/v2/", "/v2/agents?page=3", "https://globex.myfreshworks.com/crm/messaging/v2/agents?page=3")]
    [InlineData("http://127.0.0.1:5123/v2/", "/v2/conversations/c1/messages?page=1&from_time=2020-05-13T10:20:32.700Z", "http://127.0.0.1:5123/v2/conversations/c1/messages?page=1&from_time=2020-05-13T10:20:32.700Z")]
    [InlineData("https://acme.freshchat.com/v2/", "users?created_from=x", "https://acme.freshchat.com/v2/users?created_from=x")]
    [InlineData("https://acme.freshchat.com/v2/", "/downloads/r1.zip", "https://acme.freshchat.com/downloads/r1.zip")]
    [InlineData("https://acme.freshchat.com/v2/", "https://bucket.s3.amazonaws.com/r1.zip?X-Amz-Signature=abc", "https://bucket.s3.amazonaws.com/r1.zip?X-Amz-Signature=abc")]
    public void Resolve_HrefAsTheApiReturnsIt_IsJoinedToTheConfiguredHostKeepingItsPrefix(string baseUrl, string href, string expected)
    {
        Assert.Equal(expected, ApiLinkResolver.Resolve(new Uri(baseUrl), href).ToString());
    }

    [Theory]
    [InlineData("https://acme.freshchat.com/reports/raw/r1.zip", true)]
    [InlineData("https://ACME.freshchat.com/other", true)]
    [InlineData("https://bucket.s3.amazonaws.com/r1.zip", false)]
    [InlineData("http://acme.freshchat.com/v2/users", false)]
    [InlineData("https://acme.freshchat.com:8443/v2/users", false)]
    public void IsApiHost_OnlyTheSameSchemeHostAndPort(string url, bool expected)
    {
        Assert.Equal(expected, ApiLinkResolver.IsApiHost(new Uri("https://acme.freshchat.com/v2/"), new Uri(url)));
    }
}
