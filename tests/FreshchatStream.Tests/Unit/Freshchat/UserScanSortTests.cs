using System.Net;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Freshchat.Models;

namespace FreshchatStream.Tests.Unit.Freshchat;

/// <summary>User scans ask for an explicit order, and survive a server that rejects it.</summary>
[Trait("Issue", "#17")]
public sealed class UserScanSortTests
{
    private static readonly UserQuery Scan = new() { CreatedFrom = UsersCapture.Beginning, SortBy = UsersCapture.SortBy, SortOrder = UsersCapture.SortOrder };

    [Fact]
    public async Task ListUsers_SortedScan_SendsSortByAndSortOrder()
    {
        using var freshchat = new ScriptedFreshchat((_, _) => ScriptedFreshchat.Json(HttpStatusCode.OK, """{"users":[{"id":"u1"}]}"""));

        await freshchat.Client.ListUsersAsync(Scan).ToListAsync();

        var query = freshchat.Handler.Requests.Single().RequestUri!.Query;
        Assert.Contains("sort_by=created_time", query, StringComparison.Ordinal);
        Assert.Contains("sort_order=asc", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListUsers_ServerRejectsTheSort_ReadsUnsortedAndStopsAskingForIt()
    {
        using var freshchat = new ScriptedFreshchat((request, _) => request.RequestUri!.Query.Contains("sort_by", StringComparison.Ordinal)
            ? ScriptedFreshchat.Json(HttpStatusCode.BadRequest, """{"code":400,"status":"BAD_REQUEST","message":"invalid sort_by"}""")
            : ScriptedFreshchat.Json(HttpStatusCode.OK, """{"users":[{"id":"u1"},{"id":"u2"}]}"""));

        var first = await freshchat.Client.ListUsersAsync(Scan).Select(u => u.Id).ToListAsync();
        var callsForFirst = freshchat.Handler.Calls;
        var second = await freshchat.Client.ListUsersAsync(Scan).Select(u => u.Id).ToListAsync();

        Assert.Equal(["u1", "u2"], first);
        Assert.Equal(["u1", "u2"], second);
        Assert.Equal(callsForFirst + 1, freshchat.Handler.Calls); // the second scan goes unsorted at once
        Assert.DoesNotContain("sort_by", freshchat.Handler.Requests.Last().RequestUri!.Query, StringComparison.Ordinal);
        Assert.Single(freshchat.Logs.GetSnapshot(), l => l.Message.Contains("rejects sort_by", StringComparison.Ordinal));
    }
}
