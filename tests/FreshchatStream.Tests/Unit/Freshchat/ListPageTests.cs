using System.Text.Json;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Pagination;

namespace FreshchatStream.Tests.Unit.Freshchat;

public sealed class ListPageTests
{
    private static PageEnd? EndOf(string json, out string? next)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return ListPage.EndOf(root, ListPage.Items(root, "users", "GET /v2/users").Count(), out next);
    }

    [Fact]
    public void EndOf_MiddlePage_ContinuesWithTheNextLink()
    {
        var end = EndOf("""{"users":[{"id":"a"}],"pagination":{"current_page":1,"total_pages":2},"links":{"next_page":{"href":"/v2/users?page=2"}}}""", out var next);

        Assert.Null(end);
        Assert.Equal("/v2/users?page=2", next);
    }

    [Fact]
    public void EndOf_EmptyPageWithANextLink_Stops()
    {
        Assert.Equal(PageEnd.EmptyPage, EndOf("""{"users":[],"links":{"next_page":{"href":"/v2/users?page=9"}}}""", out var next));
        Assert.Null(next);
    }

    [Fact]
    public void EndOf_LastPageNumberWithANextLink_Stops()
    {
        Assert.Equal(PageEnd.LastPageNumber,
            EndOf("""{"users":[{"id":"a"}],"pagination":{"current_page":3,"total_pages":3},"links":{"next_page":{"href":"/v2/users?page=4"}}}""", out _));
    }

    [Theory]
    [InlineData("""{"users":[{"id":"a"}],"links":{"previous_page":{"href":"/v2/users?page=1"}}}""")]
    [InlineData("""{"users":[{"id":"a"}]}""")]
    [InlineData("""{"users":[{"id":"a"}],"links":{"next_page":{"href":""}}}""")]
    [InlineData("""[{"id":"a"}]""")]
    public void EndOf_NoNextLinkAndNoPageNumbers_Stops(string json)
    {
        Assert.Equal(PageEnd.NoNextLink, EndOf(json, out _));
    }

    [Fact]
    public void NextHref_MessagesSingularLink_IsFollowed()
    {
        using var document = JsonDocument.Parse("""{"messages":[{"id":"m"}],"link":{"href":"/v2/conversations/c/messages?page=1&from_time=2020-05-13T10:20:32.700Z","rel":"next"}}""");

        Assert.Equal("/v2/conversations/c/messages?page=1&from_time=2020-05-13T10:20:32.700Z", ListPage.NextHref(document.RootElement));
    }

    [Fact]
    public void Items_NotAListWhereOneIsExpected_NamesTheEndpoint()
    {
        using var document = JsonDocument.Parse("""{"users":{"id":"a"}}""");

        var error = Assert.Throws<FreshchatResponseException>(() => ListPage.Items(document.RootElement, "users", "GET /v2/users").ToList());

        Assert.Contains("GET /v2/users", error.Message);
    }
}
