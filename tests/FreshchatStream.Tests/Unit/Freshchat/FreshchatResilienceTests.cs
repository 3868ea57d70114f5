using System.Net;
using FreshchatStream.Producer.Freshchat;

namespace FreshchatStream.Tests.Unit.Freshchat;

public sealed class FreshchatResilienceTests
{
    [Fact]
    public async Task Call_429WithRetryAfterSeconds_WaitsThatLongThenSucceeds()
    {
        using var freshchat = new ScriptedFreshchat((_, call) => call == 1
            ? With(ScriptedFreshchat.Json(HttpStatusCode.TooManyRequests, """{"code":429,"status":"TOO_MANY_REQUESTS","message":"slow down"}"""), "Retry-After", "7")
            : ScriptedFreshchat.Account());

        var call = freshchat.Client.GetAccountConfigurationAsync();
        var waited = await freshchat.AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(30));

        Assert.Equal("1", (await call).AccountId);
        Assert.Equal(2, freshchat.Handler.Calls);
        Assert.InRange(waited, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7.5));
    }

    [Fact]
    public async Task Call_429WithRetryAfterDate_WaitsUntilThatDate()
    {
        // An HTTP date is compared with the real clock (it comes from the server's clock), the wait runs on the fake one.
        var retryAt = DateTimeOffset.UtcNow.AddSeconds(12).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        using var freshchat = new ScriptedFreshchat((_, call) => call == 1
            ? With(ScriptedFreshchat.Json(HttpStatusCode.TooManyRequests, "{}"), "Retry-After", retryAt)
            : ScriptedFreshchat.Account());

        var call = freshchat.Client.GetAccountConfigurationAsync();
        var waited = await freshchat.AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(60));

        await call;
        Assert.InRange(waited, TimeSpan.FromSeconds(10.5), TimeSpan.FromSeconds(12.5));
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task Call_AuthenticationRefused_FailsAtOnceWithAnActionableMessageAndNoKey(HttpStatusCode status)
    {
        using var freshchat = new ScriptedFreshchat((_, _) => ScriptedFreshchat.Json(status, """{"code":401,"status":"UNAUTHORIZED","message":"bad token"}"""));

        var error = await Assert.ThrowsAnyAsync<FreshchatException>(() => freshchat.Client.GetAccountConfigurationAsync());

        // 401 is the key; 403 is one endpoint the token's scopes do not cover (design §9), named with its likely scope.
        Assert.IsType(status == HttpStatusCode.Forbidden ? typeof(FreshchatForbiddenException) : typeof(FreshchatAuthenticationException), error);
        if (status == HttpStatusCode.Forbidden)
        {
            Assert.Contains("account:read", error.Message);
        }

        Assert.Equal(1, freshchat.Handler.Calls);
        Assert.Contains("Freshchat:ApiKey", error.Message);
        Assert.Contains("Freshchat:BaseUrl", error.Message);
        Assert.DoesNotContain(ScriptedFreshchat.ApiKey, error.ToString());
    }

    [Fact]
    public async Task Call_ServerErrorsBurst_IsRetriedWithBackoffAndRecovers()
    {
        using var freshchat = new ScriptedFreshchat((_, call) => call <= 3
            ? ScriptedFreshchat.Json(HttpStatusCode.ServiceUnavailable, "{}")
            : ScriptedFreshchat.Account());

        var call = freshchat.Client.GetAccountConfigurationAsync();
        await freshchat.AdvanceUntilDoneAsync(call, TimeSpan.FromMinutes(2));

        Assert.Equal("1", (await call).AccountId);
        Assert.Equal(4, freshchat.Handler.Calls);
    }

    [Fact]
    public async Task Call_TransportErrorOnce_IsRetriedAndSucceeds()
    {
        using var freshchat = new ScriptedFreshchat((_, call) => call == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused")
            : ScriptedFreshchat.Account());

        var call = freshchat.Client.GetAccountConfigurationAsync();
        await freshchat.AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(30));

        Assert.Equal("1", (await call).AccountId);
        Assert.Equal(2, freshchat.Handler.Calls);
    }

    [Fact]
    public async Task Call_BadRequest_IsNotRetriedBeyondThePageSizeFallbackAndCarriesTheApiError()
    {
        using var freshchat = new ScriptedFreshchat((_, _) =>
            ScriptedFreshchat.Json(HttpStatusCode.BadRequest, """{"code":400,"status":"INVALID_VALUE","message":"created_from is invalid"}"""));

        var error = await Assert.ThrowsAsync<FreshchatRequestException>(async () =>
            await freshchat.Client.ListUsersAsync(new() { Email = "x@example.com" }).ToListAsync());

        // Only the page-size fallback asks again (a 400 may mean "100 per page is too many"); a 400 at 50 is final.
        Assert.Equal(["items_per_page=100", "items_per_page=50"], freshchat.Handler.Requests.Select(r => r.RequestUri!.Query.Split('&').Last()));
        Assert.Equal("INVALID_VALUE", error.ErrorStatus);
        Assert.Contains("created_from is invalid", error.Message);
        Assert.Equal("GET /v2/users", error.Endpoint);
    }

    [Fact]
    public async Task ProbeUpdatedFilter_ServerRejectsTheParameter_IsRejectedAndLogged()
    {
        using var freshchat = new ScriptedFreshchat((_, _) =>
            ScriptedFreshchat.Json(HttpStatusCode.BadRequest, """{"code":400,"status":"INVALID_PARAM","message":"updated_from is not supported"}"""));

        Assert.Equal(Producer.Freshchat.Models.UpdatedFilterSupport.Rejected, await freshchat.Client.ProbeUpdatedFilterAsync());

        var query = Uri.UnescapeDataString(freshchat.Handler.Requests.Single().RequestUri!.Query);
        Assert.Contains("updated_from=2026-01-02T00:00:00.000Z", query); // the fake clock's now + 1 day
        Assert.Contains("items_per_page=1", query);
        Assert.Contains(freshchat.Logs.GetSnapshot(), l => l.Message.Contains("updated_from", StringComparison.Ordinal) && l.Message.Contains("Rejected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Call_RetriesExhausted_IsTransientUnavailable()
    {
        using var freshchat = new ScriptedFreshchat((_, _) => ScriptedFreshchat.Json(HttpStatusCode.InternalServerError, "{}"), ("Freshchat:MaxRetries", "2"));

        var call = freshchat.Client.GetAccountConfigurationAsync();
        await freshchat.AdvanceUntilDoneAsync(call, TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<FreshchatUnavailableException>(() => call);
        Assert.True(error.IsTransient);
        Assert.Equal(3, freshchat.Handler.Calls);
        Assert.Equal("GET /v2/accounts/configuration", error.Endpoint);
    }

    [Fact]
    public async Task Breaker_OpensAfterRepeatedFailuresAndClosesAfterTheBreak()
    {
        var healthy = false;
        using var freshchat = new ScriptedFreshchat((_, _) => healthy ? ScriptedFreshchat.Account() : ScriptedFreshchat.Json(HttpStatusCode.InternalServerError, "{}"),
            ("Freshchat:MaxRetries", "0"), ("Freshchat:BreakDuration", "00:00:15"));

        for (var i = 0; i < 10; i++)
        {
            await Assert.ThrowsAsync<FreshchatUnavailableException>(() => freshchat.Client.GetAccountConfigurationAsync());
        }

        var callsWhenOpen = freshchat.Handler.Calls;
        var open = await Assert.ThrowsAsync<FreshchatUnavailableException>(() => freshchat.Client.GetAccountConfigurationAsync());
        Assert.Contains("circuit open", open.Message);
        Assert.Equal(callsWhenOpen, freshchat.Handler.Calls); // rejected without reaching the server

        healthy = true;
        freshchat.Clock.Advance(TimeSpan.FromSeconds(16));
        Assert.Equal("1", (await freshchat.Client.GetAccountConfigurationAsync()).AccountId);
        Assert.Equal("1", (await freshchat.Client.GetAccountConfigurationAsync()).AccountId);
    }

    [Fact]
    public async Task Call_Html200_IsAConfigurationErrorNamingTheBaseUrl()
    {
        using var freshchat = new ScriptedFreshchat((_, _) => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("<!DOCTYPE html><html><body>Log in</body></html>", System.Text.Encoding.UTF8, "text/html"),
        });

        var error = await Assert.ThrowsAsync<FreshchatConfigurationException>(() => freshchat.Client.GetAccountConfigurationAsync());

        Assert.Contains("Freshchat:BaseUrl", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Call_LowRemainingBudget_WaitsForTheResetBeforeTheNextRequest()
    {
        var reset = new DateTimeOffset(2026, 1, 1, 0, 0, 20, TimeSpan.Zero).ToUnixTimeSeconds();
        using var freshchat = new ScriptedFreshchat((_, _) =>
            With(With(ScriptedFreshchat.Account(), "X-RateLimit-Remaining", "1"), "X-RateLimit-Reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await freshchat.Client.GetAccountConfigurationAsync();

        var second = freshchat.Client.GetAccountConfigurationAsync();
        var waited = await freshchat.AdvanceUntilDoneAsync(second, TimeSpan.FromMinutes(1));

        await second;
        Assert.InRange(waited, TimeSpan.FromSeconds(20.5), TimeSpan.FromSeconds(22)); // the reset plus one second of margin
    }

    [Fact]
    public async Task Requests_CarryBearerTokenAndAcceptJson_AndRelativeHrefsKeepThePathPrefix()
    {
        using var freshchat = new ScriptedFreshchat((request, call) => call == 1
                ? ScriptedFreshchat.Json(HttpStatusCode.OK, """{"groups":[{"id":"g1"}],"links":{"next_page":{"href":"/v2/groups?page=2&items_per_page=100"}}}""")
                : ScriptedFreshchat.Json(HttpStatusCode.OK, """{"groups":[{"id":"g2"}],"pagination":{"current_page":2,"total_pages":2}}"""),
            ("Freshchat:BaseUrl", "https://globex.myfreshworks.com/crm/messaging/v2"));

        var groups = await freshchat.Client.ListGroupsAsync().Select(g => g.Id).ToListAsync();

        Assert.Equal(["g1", "g2"], groups);
        var requests = freshchat.Handler.Requests.ToList();
        Assert.Equal("https://globex.myfreshworks.com/crm/messaging/v2/groups?items_per_page=100", requests[0].RequestUri!.ToString());
        Assert.Equal("https://globex.myfreshworks.com/crm/messaging/v2/groups?page=2&items_per_page=100", requests[1].RequestUri!.ToString());
        Assert.All(requests, r => Assert.Equal(("Bearer", ScriptedFreshchat.ApiKey), (r.Headers.Authorization!.Scheme, r.Headers.Authorization.Parameter)));
        Assert.All(requests, r => Assert.Contains(r.Headers.Accept, a => a.MediaType == "application/json"));
    }

    private static HttpResponseMessage With(HttpResponseMessage response, string header, string value)
    {
        response.Headers.TryAddWithoutValidation(header, value);
        return response;
    }
}
