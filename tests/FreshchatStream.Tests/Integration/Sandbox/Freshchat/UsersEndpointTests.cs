using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat;

[Trait("Category", "Integration")]
[Collection(FreshchatEmulatorCollection.Name)]
public sealed partial class UsersEndpointTests(FreshchatEmulatorFixture fixture)
{
    private const string AllUsers = "/v2/users?created_from=2000-01-01T00:00:00.000Z";

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex TimestampFormat();

    [Fact]
    public async Task ListUsers_NoFilter_Answers400WithErrorObject()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        using var response = await http.GetAsync("/v2/users");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await EmulatorHttp.ReadObjectAsync(response);
        Assert.Equal(400, (int)body["code"]!);
        Assert.False(string.IsNullOrEmpty((string?)body["status"]));
        Assert.False(string.IsNullOrEmpty((string?)body["message"]));
    }

    [Fact]
    public async Task ListUsers_PagingThroughAll_ReturnsEveryUserOnceInCreatedOrder()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var users = await http.PageAllAsync(AllUsers + "&items_per_page=7", "users");
        Assert.Equal(fixture.Emulator.Data.UserCount, users.Count);
        Assert.Equal(users.Count, users.Select(u => (string)u["id"]!).Distinct().Count());
        var created = users.Select(u => (string)u["created_time"]!).ToList();
        Assert.Equal(created.Order(StringComparer.Ordinal), created);
        Assert.True(created.Count - created.Distinct().Count() > 0, "expected some equal created_time values");
        Assert.All(users, u => Assert.Matches(TimestampFormat(), (string)u["created_time"]!));
        Assert.Equal(fixture.Emulator.Data.EnumerateUsers().Select(u => u.ToJsonString()), users.Select(u => u.ToJsonString()));
    }

    [Fact]
    public async Task ListUsers_Envelope_HasPaginationAndRelativeLinks()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var page = await http.GetJsonAsync(AllUsers + "&page=2&items_per_page=10");
        var pagination = page["pagination"]!;
        Assert.Equal(fixture.Emulator.Data.UserCount, (int)pagination["total_items"]!);
        Assert.Equal(15, (int)pagination["total_pages"]!);
        Assert.Equal(2, (int)pagination["current_page"]!);
        Assert.Equal(10, (int)pagination["items_per_page"]!);
        Assert.Equal(10, page["users"]!.AsArray().Count);
        var next = (string)page["links"]!["next_page"]!["href"]!;
        Assert.StartsWith("/v2/users?", next);
        Assert.Contains("page=3", next);
        Assert.Contains("items_per_page=10", next);
        Assert.Contains("created_from=", next);
    }

    [Fact]
    public async Task ListUsers_LastAndPastLastPage_AllThreeStopRulesAgree()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var last = await http.GetJsonAsync(AllUsers + "&page=15&items_per_page=10");
        Assert.Null(last["links"]!["next_page"]);
        Assert.Equal(15, (int)last["pagination"]!["current_page"]!);
        Assert.NotEmpty(last["users"]!.AsArray());
        var past = await http.GetJsonAsync(AllUsers + "&page=16&items_per_page=10");
        Assert.Empty(past["users"]!.AsArray());
        Assert.Null(past["links"]!["next_page"]);
        Assert.True((int)past["pagination"]!["current_page"]! >= (int)past["pagination"]!["total_pages"]!);
    }

    [Fact]
    public async Task ListUsers_CreatedRange_ReturnsOnlyUsersInsideInclusiveBounds()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var all = fixture.Emulator.Data.EnumerateUsers().ToList();
        var from = (string)all[40]["created_time"]!;
        var to = (string)all[90]["created_time"]!;
        var users = await http.PageAllAsync($"/v2/users?created_from={from}&created_to={to}&items_per_page=50", "users");
        var expected = all.Where(u => string.CompareOrdinal((string)u["created_time"]!, from) >= 0 && string.CompareOrdinal((string)u["created_time"]!, to) <= 0)
            .Select(u => (string)u["id"]!).ToList();
        Assert.Equal(expected, users.Select(u => (string)u["id"]!));
        Assert.True(expected.Count >= 51);
    }

    [Fact]
    public async Task ListUsers_SortOrderDesc_ReversesOrder()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var asc = await http.PageAllAsync(AllUsers + "&items_per_page=50", "users");
        var desc = await http.PageAllAsync(AllUsers + "&items_per_page=50&sort_order=desc", "users");
        Assert.Equal(asc.Select(u => (string)u["id"]!).Reverse(), desc.Select(u => (string)u["id"]!));
    }

    [Fact]
    public async Task ListUsers_EmailAndReferenceFilters_FindTheUser()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var user = fixture.Emulator.Data.EnumerateUsers().First(u => u["email"] is not null && u["reference_id"] is not null);
        var byEmail = await http.GetJsonAsync($"/v2/users?email={Uri.EscapeDataString((string)user["email"]!)}");
        Assert.Equal((string)user["id"]!, (string)byEmail["users"]![0]!["id"]!);
        Assert.Single(byEmail["users"]!.AsArray());
        var byReference = await http.GetJsonAsync($"/v2/users?reference_id={user["reference_id"]}");
        Assert.Equal((string)user["id"]!, (string)byReference["users"]![0]!["id"]!);
    }

    [Fact]
    public async Task ListUsers_ItemsPerPageAboveCap_ClampsTo50ByDefault()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var page = await http.GetJsonAsync(AllUsers + "&items_per_page=100");
        Assert.Equal(50, (int)page["pagination"]!["items_per_page"]!);
        Assert.Equal(50, page["users"]!.AsArray().Count);
        var defaulted = await http.GetJsonAsync(AllUsers);
        Assert.Equal(20, (int)defaulted["pagination"]!["items_per_page"]!);
    }

    [Theory]
    [InlineData("&page=0")]
    [InlineData("&items_per_page=abc")]
    [InlineData("&created_to=yesterday")]
    [InlineData("&sort_order=sideways")]
    public async Task ListUsers_InvalidParameter_Answers400(string extra)
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        using var response = await http.GetAsync(AllUsers + extra);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, (int)(await EmulatorHttp.ReadObjectAsync(response))["code"]!);
    }

    [Fact]
    public async Task GetUser_Known_ReturnsBareObjectWithOptionalKeysOmitted()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var users = fixture.Emulator.Data.EnumerateUsers().ToList();
        foreach (var expected in users.Take(30))
        {
            var user = (JsonObject)await http.GetJsonAsync($"/v2/users/{expected["id"]}");
            Assert.Equal(expected.ToJsonString(), user.ToJsonString());
            Assert.DoesNotContain(user, p => p.Value is null);
            Assert.Matches("^[0-9]+$", (string)user["org_contact_id"]!);
        }
        Assert.Contains(users, u => u["email"] is null);
        Assert.Contains(users, u => u["phone"] is null);
        Assert.Contains(users, u => ((string?)u["first_name"] ?? "").Any(c => c > 127));
    }

    [Fact]
    public async Task GetUser_Unknown_Answers404ErrorObject()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        using var response = await http.GetAsync("/v2/users/00000000-0000-4000-8000-000000000000");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await EmulatorHttp.ReadObjectAsync(response);
        Assert.Equal(404, (int)body["code"]!);
        Assert.Equal("USER_NOT_FOUND", (string)body["status"]!);
    }

    [Fact]
    public async Task UserConversations_ListsIdsOnlyUnpaginated_IncludingSharedConversations()
    {
        using var http = new EmulatorHttp(fixture.Emulator);
        var sharedSeen = false;
        foreach (var user in fixture.Emulator.Data.EnumerateUsers())
        {
            var body = await http.GetJsonAsync($"/v2/users/{user["id"]}/conversations");
            Assert.Null(body["pagination"]);
            foreach (var item in body["conversations"]!.AsArray())
            {
                Assert.Single(item!.AsObject());
                var conversation = fixture.Emulator.Data.GetConversation((string)item["id"]!)!;
                var owner = (string)conversation["user_id"]! == (string)user["id"]!;
                sharedSeen |= !owner;
                Assert.True(owner || conversation["users"]!.AsArray().Any(u => (string)u!["id"]! == (string)user["id"]!));
            }
        }
        Assert.True(sharedSeen, "expected at least one conversation listed under a second user");
    }

    [Fact]
    public async Task Request_MissingOrWrongBearer_Answers401()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Emulator.Root };
        using var missing = await anonymous.GetAsync("/v2/accounts/configuration");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(401, (int)(await EmulatorHttp.ReadObjectAsync(missing))["code"]!);
        using var wrong = new EmulatorHttp(fixture.Emulator, "not-the-key");
        using var response = await wrong.GetAsync(AllUsers);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
