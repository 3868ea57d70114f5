using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace FreshchatStream.Tests.Integration.Sandbox.SchemaRegistry;

/// <summary>The emulator's REST surface at the wire level: media type, error bodies, and the endpoints the .NET client does not call.</summary>
[Trait("Category", "Integration")]
public sealed class SchemaRegistryEmulatorHttpTests(SchemaRegistryEmulatorFixture fixture) : IClassFixture<SchemaRegistryEmulatorFixture>
{
    private const string MediaType = "application/vnd.schemaregistry.v1+json";

    [Fact]
    public async Task PostVersions_PlainJsonContentType_RegistersAndAnswersInRegistryMediaType()
    {
        using var http = NewHttp();
        var subject = Subject();

        using var response = await http.PostAsync($"subjects/{subject}/versions", Body(TestSchemas.TicketV1, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(body["id"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task GetAssociations_NotEmulated_Answers404WithConfluentErrorBody()
    {
        using var http = NewHttp();

        using var response = await http.GetAsync("associations/resources/-/freshchat.users?resourceType=topic&associationType=value");

        await AssertErrorAsync(response, HttpStatusCode.NotFound, 404);
    }

    [Theory]
    [InlineData("""{"schema":"{\"type\":\"record\",\"name\":\"X\"}"}""")]
    [InlineData("""{"schema":"{}","schemaType":"PROTOBUF"}""")]
    [InlineData("""{"schema":"\"string\"","references":[{"name":"a","subject":"b","version":1}]}""")]
    public async Task PostVersions_InvalidOrUnsupportedSchema_Answers422With42201(string body)
    {
        using var http = NewHttp();

        using var response = await http.PostAsync($"subjects/{Subject()}/versions", new StringContent(body, Encoding.UTF8, MediaType));

        await AssertErrorAsync(response, HttpStatusCode.UnprocessableEntity, 42201);
    }

    [Fact]
    public async Task PostVersions_MalformedJson_Answers400()
    {
        using var http = NewHttp();

        using var response = await http.PostAsync($"subjects/{Subject()}/versions", new StringContent("{not json", Encoding.UTF8, MediaType));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, 400);
    }

    [Fact]
    public async Task PostVersions_Incompatible_Answers409With409()
    {
        using var http = NewHttp();
        var subject = Subject();
        (await http.PostAsync($"subjects/{subject}/versions", Body(TestSchemas.TicketV1))).Dispose();

        using var response = await http.PostAsync($"subjects/{subject}/versions", Body(TestSchemas.TicketWithChangedType));

        await AssertErrorAsync(response, HttpStatusCode.Conflict, 409);
    }

    [Fact]
    public async Task GetVersion_LatestNumberedAndRawSchema_RenderLikeConfluent()
    {
        using var http = NewHttp();
        var subject = Subject();
        var id = await RegisterAsync(http, subject, TestSchemas.TicketV1);

        var latest = await GetObjectAsync(http, $"subjects/{subject}/versions/latest");
        var first = await GetObjectAsync(http, $"subjects/{subject}/versions/1");
        var raw = await GetObjectAsync(http, $"subjects/{subject}/versions/1/schema");
        var byId = await GetObjectAsync(http, $"schemas/ids/{id}");
        var rawById = await GetObjectAsync(http, $"schemas/ids/{id}/schema");
        var usages = JsonNode.Parse(await http.GetStringAsync($"schemas/ids/{id}/versions"))!.AsArray();

        Assert.Equal(subject, latest["subject"]!.GetValue<string>());
        Assert.Equal((1, id), (latest["version"]!.GetValue<int>(), latest["id"]!.GetValue<int>()));
        Assert.Equal(latest.ToJsonString(), first.ToJsonString());
        Assert.Equal("Ticket", raw["name"]!.GetValue<string>());
        Assert.Equal(latest["schema"]!.GetValue<string>(), byId["schema"]!.GetValue<string>());
        Assert.Equal("record", rawById["type"]!.GetValue<string>());
        Assert.Contains(usages, u => u!["subject"]!.GetValue<string>() == subject && u["version"]!.GetValue<int>() == 1);
    }

    [Theory]
    [InlineData("0", HttpStatusCode.UnprocessableEntity, 42202)]
    [InlineData("abc", HttpStatusCode.UnprocessableEntity, 42202)]
    [InlineData("7", HttpStatusCode.NotFound, 40402)]
    public async Task GetVersion_InvalidOrMissingVersion_AnswersConfluentCode(string version, HttpStatusCode status, int errorCode)
    {
        using var http = NewHttp();
        var subject = Subject();
        await RegisterAsync(http, subject, TestSchemas.TicketV1);

        using var response = await http.GetAsync($"subjects/{subject}/versions/{version}");

        await AssertErrorAsync(response, status, errorCode);
    }

    [Fact]
    public async Task GetVersions_UnknownSubject_Answers40401()
    {
        using var http = NewHttp();

        using var response = await http.GetAsync($"subjects/{Subject()}/versions");

        await AssertErrorAsync(response, HttpStatusCode.NotFound, 40401);
    }

    [Fact]
    public async Task PostCompatibility_Verbose_ListsMessagesOnlyWhenAsked()
    {
        using var http = NewHttp();
        var subject = Subject();
        await RegisterAsync(http, subject, TestSchemas.TicketV1);

        using var verbose = await http.PostAsync($"compatibility/subjects/{subject}/versions/latest?verbose=true", Body(TestSchemas.TicketWithRequiredField));
        using var terse = await http.PostAsync($"compatibility/subjects/{subject}/versions/1", Body(TestSchemas.TicketWithRequiredField));
        using var fine = await http.PostAsync($"compatibility/subjects/{subject}/versions?verbose=true", Body(TestSchemas.TicketV2));

        var verboseBody = JsonNode.Parse(await verbose.Content.ReadAsStringAsync())!.AsObject();
        var terseBody = JsonNode.Parse(await terse.Content.ReadAsStringAsync())!.AsObject();
        var fineBody = JsonNode.Parse(await fine.Content.ReadAsStringAsync())!.AsObject();
        Assert.False(verboseBody["is_compatible"]!.GetValue<bool>());
        Assert.Contains("READER_FIELD_MISSING_DEFAULT_VALUE", Assert.Single(verboseBody["messages"]!.AsArray())!.GetValue<string>());
        Assert.False(terseBody["is_compatible"]!.GetValue<bool>());
        Assert.False(terseBody.ContainsKey("messages"));
        Assert.True(fineBody["is_compatible"]!.GetValue<bool>());
        Assert.Empty(fineBody["messages"]!.AsArray());
    }

    [Fact]
    public async Task DeleteSubject_Soft_HidesSubjectAndVersions()
    {
        using var http = NewHttp();
        var subject = Subject();
        await RegisterAsync(http, subject, TestSchemas.TicketV1);

        using var deleted = await http.DeleteAsync($"subjects/{subject}");
        var subjects = JsonNode.Parse(await http.GetStringAsync("subjects"))!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        var withDeleted = JsonNode.Parse(await http.GetStringAsync("subjects?deleted=true"))!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        using var versions = await http.GetAsync($"subjects/{subject}/versions");

        Assert.Equal("[1]", await deleted.Content.ReadAsStringAsync());
        Assert.DoesNotContain(subject, subjects);
        Assert.DoesNotContain(subject, fixture.Emulator.Subjects);
        Assert.Contains(subject, withDeleted);
        await AssertErrorAsync(versions, HttpStatusCode.NotFound, 40401);
    }

    [Fact]
    public async Task SubjectConfig_NotSetThenSetThenDeleted_FollowsConfluentSemantics()
    {
        using var http = NewHttp();
        var subject = Subject();

        using var unset = await http.GetAsync($"config/{subject}");
        var fallback = await GetObjectAsync(http, $"config/{subject}?defaultToGlobal=true");
        using var put = await http.PutAsync($"config/{subject}", new StringContent("""{"compatibility":"FULL"}""", Encoding.UTF8, MediaType));
        var set = await GetObjectAsync(http, $"config/{subject}");
        using var invalid = await http.PutAsync($"config/{subject}", new StringContent("""{"compatibility":"SIDEWAYS"}""", Encoding.UTF8, MediaType));
        using var removed = await http.DeleteAsync($"config/{subject}");

        await AssertErrorAsync(unset, HttpStatusCode.NotFound, 40408);
        Assert.Equal("BACKWARD", fallback["compatibilityLevel"]!.GetValue<string>());
        Assert.Equal("FULL", JsonNode.Parse(await put.Content.ReadAsStringAsync())!["compatibility"]!.GetValue<string>());
        Assert.Equal("FULL", set["compatibilityLevel"]!.GetValue<string>());
        await AssertErrorAsync(invalid, HttpStatusCode.UnprocessableEntity, 42203);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
    }

    [Fact]
    public async Task GetMode_Always_ReadWrite()
    {
        using var http = NewHttp();

        var mode = await GetObjectAsync(http, "mode");

        Assert.Equal("READWRITE", mode["mode"]!.GetValue<string>());
    }

    private static async Task<int> RegisterAsync(HttpClient http, string subject, string schema)
    {
        using var response = await http.PostAsync($"subjects/{subject}/versions", Body(schema));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<int>();
    }

    private static async Task<JsonObject> GetObjectAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, int errorCode)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(errorCode, body["error_code"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(body["message"]!.GetValue<string>()));
    }

    private static StringContent Body(string schema, string mediaType = MediaType) =>
        new(new JsonObject { ["schema"] = schema }.ToJsonString(), Encoding.UTF8, mediaType);

    private static string Subject() => $"{TestSchemas.UniqueTopic()}-value";

    private HttpClient NewHttp()
    {
        var http = new HttpClient { BaseAddress = fixture.Emulator.Url, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        return http;
    }
}
