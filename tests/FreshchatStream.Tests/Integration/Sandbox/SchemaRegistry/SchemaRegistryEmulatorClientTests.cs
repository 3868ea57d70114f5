using System.Net;
using Confluent.SchemaRegistry;
using FreshchatStream.Sandbox.SchemaRegistry;

namespace FreshchatStream.Tests.Integration.Sandbox.SchemaRegistry;

/// <summary>Confluent's <see cref="CachedSchemaRegistryClient"/> against the emulator: registration, lookup, ids, config, auth.</summary>
[Trait("Category", "Integration")]
public sealed class SchemaRegistryEmulatorClientTests(SchemaRegistryEmulatorFixture fixture) : IClassFixture<SchemaRegistryEmulatorFixture>
{
    private static Schema Avro(string text) => new(text, SchemaType.Avro);

    private static string UniqueSubject() => $"{TestSchemas.UniqueTopic()}-value";

    [Fact]
    public async Task RegisterSchemaAsync_OptionalFieldWithDefaultNullAdded_CreatesNewVersionAndId()
    {
        using var client = NewClient();
        var subject = UniqueSubject();

        var v1 = await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV1));
        var v2 = await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV2));

        Assert.NotEqual(v1, v2);
        Assert.Equal([1, 2], await client.GetSubjectVersionsAsync(subject));
        var latest = await client.GetLatestSchemaAsync(subject);
        Assert.Equal((2, v2), (latest.Version, latest.Id));
        Assert.Equal(v1, (await client.GetRegisteredSchemaAsync(subject, 1, ignoreDeletedSchemas: true)).Id);
    }

    [Fact]
    public async Task RegisterSchemaAsync_SameSchemaAgain_ReturnsExistingIdWithoutNewVersion()
    {
        using var client = NewClient();
        var subject = UniqueSubject();
        var first = await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV1));

        // A fresh client has no cache, so the second registration really reaches the emulator.
        using var other = NewClient();
        var second = await other.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV1.Replace("\n", " ")));

        Assert.Equal(first, second);
        Assert.Equal([1], await other.GetSubjectVersionsAsync(subject));
    }

    [Theory]
    [InlineData(TestSchemas.TicketWithRequiredField)]
    [InlineData(TestSchemas.TicketWithChangedType)]
    public async Task RegisterSchemaAsync_IncompatibleChange_ThrowsConflict(string incompatible)
    {
        using var client = NewClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV1));

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, Avro(incompatible)));

        Assert.Equal(HttpStatusCode.Conflict, error.Status);
        Assert.Equal(409, error.ErrorCode);
        Assert.Contains("incompatible", error.Message);
        Assert.Equal([1], await client.GetSubjectVersionsAsync(subject));
    }

    [Fact]
    public async Task RegisterSchemaAsync_SameSchemaInTwoSubjects_SharesId()
    {
        using var client = NewClient();

        var first = await client.RegisterSchemaAsync(UniqueSubject(), Avro(TestSchemas.TicketV1));
        var second = await client.RegisterSchemaAsync(UniqueSubject(), Avro(TestSchemas.TicketV1));

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task RegisterSchemaAsync_InvalidSchema_ThrowsUnprocessable()
    {
        using var client = NewClient();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.RegisterSchemaAsync(UniqueSubject(), Avro("""{"type":"record","name":"Broken","fields":[{"name":"x","type":"nope"}]}""")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Status);
        Assert.Equal(42201, error.ErrorCode);
    }

    [Fact]
    public async Task LookupSchemaAsync_RegisteredSchema_ReturnsSubjectVersionIdAndSchema()
    {
        using var client = NewClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV1));
        var id = await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV2));

        var found = await client.LookupSchemaAsync(subject, Avro(TestSchemas.TicketV2), ignoreDeletedSchemas: true);

        Assert.Equal((subject, 2, id), (found.Subject, found.Version, found.Id));
        Assert.Equal(global::Avro.Schema.Parse(TestSchemas.TicketV2), global::Avro.Schema.Parse(found.SchemaString));
    }

    [Fact]
    public async Task LookupSchemaAsync_UnknownSubjectOrSchema_ThrowsNotFoundWithConfluentCodes()
    {
        using var client = NewClient();
        var subject = UniqueSubject();

        var noSubject = await Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.LookupSchemaAsync(subject, Avro(TestSchemas.TicketV1), ignoreDeletedSchemas: true));
        await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV1));
        var noSchema = await Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.LookupSchemaAsync(subject, Avro(TestSchemas.TicketV2), ignoreDeletedSchemas: true));

        Assert.Equal((HttpStatusCode.NotFound, 40401), (noSubject.Status, noSubject.ErrorCode));
        Assert.Equal((HttpStatusCode.NotFound, 40403), (noSchema.Status, noSchema.ErrorCode));
    }

    [Fact]
    public async Task GetSchemaAsync_ById_ReturnsAvroSchemaOrNotFound()
    {
        using var client = NewClient();
        var id = await client.RegisterSchemaAsync(UniqueSubject(), Avro(TestSchemas.TicketV1));

        var schema = await client.GetSchemaAsync(id);
        var missing = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaAsync(int.MaxValue));

        Assert.Equal(SchemaType.Avro, schema.SchemaType);
        Assert.Equal(global::Avro.Schema.Parse(TestSchemas.TicketV1), global::Avro.Schema.Parse(schema.SchemaString));
        Assert.Equal((HttpStatusCode.NotFound, 40403), (missing.Status, missing.ErrorCode));
    }

    [Fact]
    public async Task GetAllSubjectsAsync_AfterRegistration_ListsSubject()
    {
        using var client = NewClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV1));

        Assert.Contains(subject, await client.GetAllSubjectsAsync());
    }

    [Fact]
    public async Task IsCompatibleAsync_CompatibleAndIncompatibleCandidates_AnswersEach()
    {
        using var client = NewClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV1));

        Assert.True(await client.IsCompatibleAsync(subject, Avro(TestSchemas.TicketV2)));
        Assert.False(await client.IsCompatibleAsync(subject, Avro(TestSchemas.TicketWithRequiredField)));
        Assert.Equal([1], await client.GetSubjectVersionsAsync(subject));
    }

    [Fact]
    public async Task UpdateCompatibilityAsync_SubjectLevelNone_AcceptsIncompatibleChange()
    {
        using var client = NewClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV1));

        Assert.Equal(Compatibility.None, await client.UpdateCompatibilityAsync(Compatibility.None, subject));
        Assert.Equal(Compatibility.None, await client.GetCompatibilityAsync(subject));
        await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketWithChangedType));

        Assert.Equal([1, 2], await client.GetSubjectVersionsAsync(subject));
    }

    [Fact]
    public async Task RegisterSchemaAsync_BackwardTransitive_ComparesWithEveryVersion()
    {
        using var client = NewClient();
        var subject = UniqueSubject();
        const string withDefault = """
            {"type":"record","name":"Ticket","namespace":"freshchat.test","fields":[
              {"name":"id","type":"string"},{"name":"count","type":"int"},{"name":"owner","type":"string","default":""}]}
            """;
        await client.UpdateCompatibilityAsync(Compatibility.BackwardTransitive, subject);
        await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV1));
        await client.RegisterSchemaAsync(subject, Avro(withDefault));

        // Reads version 2 (owner present) but not version 1 (owner missing, no default).
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketWithRequiredField)));
        await client.UpdateCompatibilityAsync(Compatibility.Backward, subject);
        await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketWithRequiredField));

        Assert.Equal(409, error.ErrorCode);
        Assert.Contains("oldSchemaVersion: 1", error.Message);
        Assert.Equal([1, 2, 3], await client.GetSubjectVersionsAsync(subject));
    }

    [Fact]
    public async Task GlobalCompatibility_DefaultBackwardThenUpdated_IsReportedAndEnforced()
    {
        await using var emulator = await SchemaRegistryEmulator.StartAsync();
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = emulator.Url.AbsoluteUri });
        var subject = UniqueSubject();

        Assert.Equal(Compatibility.Backward, await client.GetCompatibilityAsync());
        Assert.Equal(Compatibility.Forward, await client.UpdateCompatibilityAsync(Compatibility.Forward));
        Assert.Equal(Compatibility.Forward, await client.GetCompatibilityAsync());
        await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV1));

        // Under FORWARD a new required field is fine (old readers ignore it)...
        await client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketWithRequiredField));
        // ...but dropping it again breaks readers of the previous version.
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, Avro(TestSchemas.TicketV1.Replace("\"count\"", "\"total\""))));
        Assert.Equal(409, error.ErrorCode);
    }

    [Fact]
    public async Task StartAsync_DefaultCompatibilityOption_SetsGlobalLevel()
    {
        await using var emulator = await SchemaRegistryEmulator.StartAsync(new SchemaRegistryEmulatorOptions { DefaultCompatibility = "NONE" });
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = emulator.Url.AbsoluteUri });

        Assert.Equal(Compatibility.None, await client.GetCompatibilityAsync());
    }

    [Fact]
    public async Task StartAsync_LocalhostAndFixedPort_ListensOnLoopbackAtThatPort()
    {
        var port = FreshchatStream.Tests.Fixtures.FreePort.Next();
        await using var emulator = await SchemaRegistryEmulator.StartAsync(new SchemaRegistryEmulatorOptions { ListenAddress = "localhost", Port = port });
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = emulator.Url.AbsoluteUri });

        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), emulator.Url);
        Assert.Empty(await client.GetAllSubjectsAsync());
    }

    [Theory]
    [InlineData("SIDEWAYS", "127.0.0.1")]
    [InlineData("BACKWARD", "not-an-ip")]
    public async Task StartAsync_InvalidOptions_ThrowsArgumentException(string compatibility, string listenAddress)
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            SchemaRegistryEmulator.StartAsync(new SchemaRegistryEmulatorOptions { DefaultCompatibility = compatibility, ListenAddress = listenAddress }));
    }

    [Fact]
    public async Task BasicAuth_Configured_RejectsMissingOrWrongCredentialsAndAcceptsRightOnes()
    {
        await using var emulator = await SchemaRegistryEmulator.StartAsync(new SchemaRegistryEmulatorOptions { BasicAuthUserInfo = "sr-user:sr-secret" });
        using var anonymous = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = emulator.Url.AbsoluteUri });
        using var wrong = WithCredentials(emulator, "sr-user:nope");
        using var right = WithCredentials(emulator, "sr-user:sr-secret");

        var anonymousError = await Assert.ThrowsAsync<SchemaRegistryException>(() => anonymous.GetAllSubjectsAsync());
        var wrongError = await Assert.ThrowsAsync<SchemaRegistryException>(() => wrong.RegisterSchemaAsync(UniqueSubject(), Avro(TestSchemas.TicketV1)));
        var id = await right.RegisterSchemaAsync(UniqueSubject(), Avro(TestSchemas.TicketV1));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousError.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongError.Status);
        Assert.Equal(1, id);
        Assert.Single(emulator.Subjects);
    }

    private static CachedSchemaRegistryClient WithCredentials(SchemaRegistryEmulator emulator, string userInfo) =>
        new(new SchemaRegistryConfig
        {
            Url = emulator.Url.AbsoluteUri,
            BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo,
            BasicAuthUserInfo = userInfo,
        });

    private CachedSchemaRegistryClient NewClient() =>
        new(new SchemaRegistryConfig { Url = fixture.Emulator.Url.AbsoluteUri });
}
