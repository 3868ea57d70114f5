using FreshchatStream.Sandbox.SchemaRegistry;

namespace FreshchatStream.Tests.Unit.Sandbox.SchemaRegistry;

public sealed class SchemaStoreTests
{
    private const string Compact = """{"type":"record","name":"Ticket","fields":[{"name":"id","type":"string"}]}""";

    private const string Spaced = """
        {
          "name": "Ticket",
          "type": "record",
          "fields": [ { "type": "string", "name": "id" } ]
        }
        """;

    private const string WithDefault = """{"type":"record","name":"Ticket","fields":[{"name":"id","type":"string","default":""}]}""";

    private static SchemaDocument Parse(string text) => SchemaDocument.Parse(text, schemaType: null);

    [Fact]
    public void Register_SameSchemaFormattedDifferently_ReturnsSameIdWithoutNewVersion()
    {
        var store = new SchemaStore(CompatibilityLevel.Backward);

        var first = store.Register("s-value", Parse(Compact));
        var second = store.Register("s-value", Parse(Spaced));

        Assert.Equal(first, second);
        Assert.Equal([1], store.ListVersions("s-value", includeDeleted: false));
    }

    [Fact]
    public void Register_OnlyDefaultDiffers_IsADifferentSchema()
    {
        var store = new SchemaStore(CompatibilityLevel.Backward);

        var first = store.Register("s-value", Parse(Compact));
        var second = store.Register("s-value", Parse(WithDefault));

        Assert.NotEqual(first, second);
        Assert.Equal([1, 2], store.ListVersions("s-value", includeDeleted: false));
    }

    [Fact]
    public void Register_ConcurrentlyUnderManySubjects_AssignsOneGlobalId()
    {
        var store = new SchemaStore(CompatibilityLevel.Backward);

        var ids = Enumerable.Range(0, 32).AsParallel().Select(i => store.Register($"subject-{i}", Parse(Compact))).ToList();

        Assert.Single(ids.Distinct());
        Assert.Equal(32, store.ListSubjects(includeDeleted: false).Count);
    }

    [Fact]
    public void DeleteSubject_Soft_HidesSubjectButLookupWithDeletedFindsIt()
    {
        var store = new SchemaStore(CompatibilityLevel.Backward);
        store.Register("s-value", Parse(Compact));

        Assert.Equal([1], store.DeleteSubject("s-value", permanent: false));

        Assert.Empty(store.ListSubjects(includeDeleted: false));
        Assert.Equal(["s-value"], store.ListSubjects(includeDeleted: true));
        Assert.Equal(1, store.Lookup("s-value", Parse(Compact), includeDeleted: true).Version);
        Assert.Equal(40401, Assert.Throws<RegistryException>(() => store.Lookup("s-value", Parse(Compact), includeDeleted: false)).ErrorCode);
    }

    [Fact]
    public void DeleteSubject_PermanentBeforeSoft_Refused()
    {
        var store = new SchemaStore(CompatibilityLevel.Backward);
        store.Register("s-value", Parse(Compact));

        Assert.Equal(40405, Assert.Throws<RegistryException>(() => store.DeleteSubject("s-value", permanent: true)).ErrorCode);
        store.DeleteSubject("s-value", permanent: false);
        store.DeleteSubject("s-value", permanent: true);
        Assert.Empty(store.ListSubjects(includeDeleted: true));
    }

    [Fact]
    public void Register_AfterSoftDelete_StartsANewVersionWithoutCheckingDeletedOnes()
    {
        var store = new SchemaStore(CompatibilityLevel.Backward);
        var id = store.Register("s-value", Parse(Compact));
        store.DeleteSubject("s-value", permanent: false);

        var unrelated = store.Register("s-value", Parse("\"string\""));

        Assert.NotEqual(id, unrelated);
        Assert.Equal([2], store.ListVersions("s-value", includeDeleted: false));
        Assert.Equal([1, 2], store.ListVersions("s-value", includeDeleted: true));
    }

    [Fact]
    public void SubjectCompatibility_NotConfigured_FallsBackToGlobalOnlyWhenAsked()
    {
        var store = new SchemaStore(CompatibilityLevel.Full);

        Assert.Equal(CompatibilityLevel.Full, store.GetSubjectCompatibility("s-value", defaultToGlobal: true));
        Assert.Equal(40408, Assert.Throws<RegistryException>(() => store.GetSubjectCompatibility("s-value", defaultToGlobal: false)).ErrorCode);
    }

    [Fact]
    public void Parse_NonAvroOrInvalidSchema_RejectedAsInvalidSchema()
    {
        Assert.Equal(42201, Assert.Throws<RegistryException>(() => SchemaDocument.Parse("""{"type":"object"}""", "JSON")).ErrorCode);
        Assert.Equal(42201, Assert.Throws<RegistryException>(() => SchemaDocument.Parse("""{"type":"record","name":"X"}""", null)).ErrorCode);
        Assert.Equal(42201, Assert.Throws<RegistryException>(() => SchemaDocument.Parse("not json", "AVRO")).ErrorCode);
    }
}
