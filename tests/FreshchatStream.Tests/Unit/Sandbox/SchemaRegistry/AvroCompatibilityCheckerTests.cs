using FreshchatStream.Sandbox.SchemaRegistry;

namespace FreshchatStream.Tests.Unit.Sandbox.SchemaRegistry;

public sealed class AvroCompatibilityCheckerTests
{
    private static string Record(string fields, string name = "Ticket", string ns = "freshchat.test", string extra = "") =>
        $$"""{"type":"record","name":"{{name}}","namespace":"{{ns}}"{{extra}},"fields":[{{fields}}]}""";

    private static string Field(string name, string type, string extra = "") => $$"""{"name":"{{name}}","type":{{type}}{{extra}}}""";

    private static readonly string Base = Record(Field("id", "\"string\""));

    // ---- records -------------------------------------------------------------------------------

    [Fact]
    public void Check_ReaderAddsFieldWithDefault_Compatible()
    {
        var reader = Record(Field("id", "\"string\"") + "," + Field("note", """["null","string"]""", ",\"default\":null"));

        Assert.Empty(AvroCompatibilityChecker.Check(reader, Base));
    }

    [Fact]
    public void Check_WriterHasFieldReaderLacks_Compatible()
    {
        var writer = Record(Field("id", "\"string\"") + "," + Field("owner", "\"string\""));

        Assert.Empty(AvroCompatibilityChecker.Check(Base, writer));
    }

    [Fact]
    public void Check_ReaderAddsFieldWithoutDefault_ReportsMissingDefaultAtFieldPath()
    {
        var reader = Record(Field("id", "\"string\"") + "," + Field("owner", "\"string\""));

        var problem = Assert.Single(AvroCompatibilityChecker.Check(reader, Base));

        Assert.Equal(AvroIncompatibilityKind.ReaderFieldMissingDefaultValue, problem.Kind);
        Assert.Equal("/fields/1", problem.Path);
        Assert.Contains("owner", problem.Description);
        Assert.StartsWith("READER_FIELD_MISSING_DEFAULT_VALUE", problem.ToString());
    }

    [Fact]
    public void Check_ReaderRenamesFieldWithAliasOfWriterName_Compatible()
    {
        var writer = Record(Field("id", "\"string\"") + "," + Field("owner", "\"string\""));
        var reader = Record(Field("id", "\"string\"") + "," + Field("assignee", "\"string\"", ",\"aliases\":[\"owner\"]"));

        Assert.Empty(AvroCompatibilityChecker.Check(reader, writer));
    }

    [Fact]
    public void Check_ReaderRenamesFieldWithoutAlias_ReportsMissingDefault()
    {
        var writer = Record(Field("id", "\"string\"") + "," + Field("owner", "\"string\""));
        var reader = Record(Field("id", "\"string\"") + "," + Field("assignee", "\"string\""));

        Assert.Equal(AvroIncompatibilityKind.ReaderFieldMissingDefaultValue, Assert.Single(AvroCompatibilityChecker.Check(reader, writer)).Kind);
    }

    [Fact]
    public void Check_NestedRecordFieldMissingDefault_PathPointsIntoNestedRecord()
    {
        var writer = Record(Field("id", "\"string\"") + "," + Field("user", Record(Field("name", "\"string\""), name: "User")));
        var reader = Record(Field("id", "\"string\"") + "," + Field("user", Record(Field("name", "\"string\"") + "," + Field("email", "\"string\""), name: "User")));

        var problem = Assert.Single(AvroCompatibilityChecker.Check(reader, writer));

        Assert.Equal("/fields/1/type/fields/1", problem.Path);
    }

    // ---- primitive promotions -----------------------------------------------------------------

    [Theory]
    [InlineData("long", "int")]
    [InlineData("float", "int")]
    [InlineData("double", "int")]
    [InlineData("float", "long")]
    [InlineData("double", "long")]
    [InlineData("double", "float")]
    [InlineData("bytes", "string")]
    [InlineData("string", "bytes")]
    [InlineData("int", "int")]
    public void Check_PermittedPromotion_Compatible(string readerType, string writerType)
    {
        var reader = Record(Field("value", $"\"{readerType}\""));
        var writer = Record(Field("value", $"\"{writerType}\""));

        Assert.Empty(AvroCompatibilityChecker.Check(reader, writer));
    }

    [Theory]
    [InlineData("int", "long")]
    [InlineData("int", "float")]
    [InlineData("long", "double")]
    [InlineData("float", "double")]
    [InlineData("string", "int")]
    [InlineData("int", "string")]
    [InlineData("boolean", "int")]
    [InlineData("null", "string")]
    public void Check_NarrowingOrUnrelatedType_ReportsTypeMismatch(string readerType, string writerType)
    {
        var reader = Record(Field("value", $"\"{readerType}\""));
        var writer = Record(Field("value", $"\"{writerType}\""));

        var problem = Assert.Single(AvroCompatibilityChecker.Check(reader, writer));

        Assert.Equal(AvroIncompatibilityKind.TypeMismatch, problem.Kind);
        Assert.Equal("/fields/0/type", problem.Path);
    }

    // ---- unions --------------------------------------------------------------------------------

    [Fact]
    public void Check_ReaderUnionSupersetOfWriterUnion_Compatible()
    {
        Assert.Empty(AvroCompatibilityChecker.Check("""["null","string","int"]""", """["null","string"]"""));
    }

    [Fact]
    public void Check_ReaderUnionLacksWriterBranch_ReportsMissingUnionBranchForThatBranch()
    {
        var problem = Assert.Single(AvroCompatibilityChecker.Check("""["null","string"]""", """["null","string","boolean"]"""));

        Assert.Equal(AvroIncompatibilityKind.MissingUnionBranch, problem.Kind);
        Assert.Equal("/2", problem.Path);
    }

    [Fact]
    public void Check_ReaderUnionReadsPlainWriterType_Compatible()
    {
        Assert.Empty(AvroCompatibilityChecker.Check("""["null","string"]""", "\"string\""));
    }

    [Fact]
    public void Check_ReaderUnionReadsWriterTypeThroughPromotion_Compatible()
    {
        Assert.Empty(AvroCompatibilityChecker.Check("""["null","long"]""", "\"int\""));
    }

    [Fact]
    public void Check_PlainReaderCannotReadNullBranchOfWriterUnion_ReportsTypeMismatch()
    {
        var problem = Assert.Single(AvroCompatibilityChecker.Check("\"string\"", """["null","string"]"""));

        Assert.Equal(AvroIncompatibilityKind.TypeMismatch, problem.Kind);
        Assert.Equal("/0", problem.Path);
    }

    [Fact]
    public void Check_OptionalFieldMadeRequired_BackwardFailsButForwardPasses()
    {
        var optional = Record(Field("note", """["null","string"]""", ",\"default\":null"));
        var required = Record(Field("note", "\"string\""));

        Assert.NotEmpty(AvroCompatibilityChecker.Check(required, optional));
        Assert.Empty(AvroCompatibilityChecker.Check(optional, required));
    }

    // ---- enums ---------------------------------------------------------------------------------

    private static string Enum(string symbols, string name = "Status", string extra = "") =>
        $$"""{"type":"enum","name":"{{name}}","symbols":[{{symbols}}]{{extra}}}""";

    [Fact]
    public void Check_ReaderEnumAddsSymbol_CompatibleOnlyAsReader()
    {
        var older = Enum("\"OPEN\",\"RESOLVED\"");
        var newer = Enum("\"OPEN\",\"RESOLVED\",\"PENDING\"");

        Assert.Empty(AvroCompatibilityChecker.Check(newer, older));
        var problem = Assert.Single(AvroCompatibilityChecker.Check(older, newer));
        Assert.Equal(AvroIncompatibilityKind.MissingEnumSymbols, problem.Kind);
        Assert.Equal("/symbols", problem.Path);
        Assert.Contains("PENDING", problem.Description);
    }

    [Fact]
    public void Check_ReaderEnumWithDefaultLacksWriterSymbol_Compatible()
    {
        var reader = Enum("\"OPEN\",\"RESOLVED\",\"UNKNOWN\"", extra: ",\"default\":\"UNKNOWN\"");
        var writer = Enum("\"OPEN\",\"RESOLVED\",\"PENDING\"");

        Assert.Empty(AvroCompatibilityChecker.Check(reader, writer));
    }

    [Fact]
    public void Check_EnumRenamed_ReportsNameMismatch()
    {
        var problem = Assert.Single(AvroCompatibilityChecker.Check(Enum("\"OPEN\"", name: "State"), Enum("\"OPEN\"")));

        Assert.Equal(AvroIncompatibilityKind.NameMismatch, problem.Kind);
    }

    // ---- arrays, maps, fixed -------------------------------------------------------------------

    [Fact]
    public void Check_ArrayItemsPromoted_Compatible()
    {
        Assert.Empty(AvroCompatibilityChecker.Check("""{"type":"array","items":"long"}""", """{"type":"array","items":"int"}"""));
    }

    [Fact]
    public void Check_ArrayItemsChanged_ReportsTypeMismatchAtItems()
    {
        var problem = Assert.Single(AvroCompatibilityChecker.Check("""{"type":"array","items":"int"}""", """{"type":"array","items":"string"}"""));

        Assert.Equal(AvroIncompatibilityKind.TypeMismatch, problem.Kind);
        Assert.Equal("/items", problem.Path);
    }

    [Fact]
    public void Check_MapValuesChangedEitherWay_ReportsTypeMismatchAtValues()
    {
        const string longs = """{"type":"map","values":"long"}""";
        const string ints = """{"type":"map","values":"int"}""";

        Assert.Empty(AvroCompatibilityChecker.Check(longs, ints));
        Assert.Equal("/values", Assert.Single(AvroCompatibilityChecker.Check(ints, longs)).Path);
    }

    [Fact]
    public void Check_ArrayReadAsMap_ReportsTypeMismatch()
    {
        Assert.Equal(AvroIncompatibilityKind.TypeMismatch,
            Assert.Single(AvroCompatibilityChecker.Check("""{"type":"map","values":"int"}""", """{"type":"array","items":"int"}""")).Kind);
    }

    [Fact]
    public void Check_FixedSizeChanged_ReportsFixedSizeMismatch()
    {
        var problem = Assert.Single(AvroCompatibilityChecker.Check(
            """{"type":"fixed","name":"Hash","size":16}""", """{"type":"fixed","name":"Hash","size":32}"""));

        Assert.Equal(AvroIncompatibilityKind.FixedSizeMismatch, problem.Kind);
        Assert.Equal("/size", problem.Path);
    }

    [Fact]
    public void Check_FixedRenamed_ReportsNameMismatch()
    {
        Assert.Equal(AvroIncompatibilityKind.NameMismatch, Assert.Single(AvroCompatibilityChecker.Check(
            """{"type":"fixed","name":"Digest","size":16}""", """{"type":"fixed","name":"Hash","size":16}""")).Kind);
    }

    // ---- named types ---------------------------------------------------------------------------

    [Fact]
    public void Check_RecordRenamedWithoutAlias_ReportsNameMismatch()
    {
        var problem = Assert.Single(AvroCompatibilityChecker.Check(Record(Field("id", "\"string\""), name: "Case"), Base));

        Assert.Equal(AvroIncompatibilityKind.NameMismatch, problem.Kind);
        Assert.Equal("/name", problem.Path);
    }

    [Fact]
    public void Check_RecordRenamedWithAliasOfWriterFullName_Compatible()
    {
        var reader = Record(Field("id", "\"string\""), name: "Case", extra: ",\"aliases\":[\"freshchat.test.Ticket\"]");

        Assert.Empty(AvroCompatibilityChecker.Check(reader, Base));
    }

    [Fact]
    public void Check_RecordRenamedWithRelativeAlias_AliasResolvesInReaderNamespace()
    {
        var reader = Record(Field("id", "\"string\""), name: "Case", extra: ",\"aliases\":[\"Ticket\"]");

        Assert.Empty(AvroCompatibilityChecker.Check(reader, Base));
    }

    [Fact]
    public void Check_OnlyNamespaceChanged_CompatibleLikeConfluent()
    {
        Assert.Empty(AvroCompatibilityChecker.Check(Record(Field("id", "\"string\""), ns: "freshchat.v2"), Base));
    }

    // ---- logical types and recursion -----------------------------------------------------------

    [Fact]
    public void Check_LogicalTypeAddedOrChanged_ComparedByUnderlyingType()
    {
        Assert.Empty(AvroCompatibilityChecker.Check("""{"type":"long","logicalType":"timestamp-millis"}""", "\"long\""));
        Assert.Empty(AvroCompatibilityChecker.Check(
            """{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}""",
            """{"type":"bytes","logicalType":"decimal","precision":12,"scale":4}"""));
        Assert.Empty(AvroCompatibilityChecker.Check("""{"type":"long","logicalType":"timestamp-micros"}""", """{"type":"int","logicalType":"date"}"""));
        Assert.Equal(AvroIncompatibilityKind.TypeMismatch,
            Assert.Single(AvroCompatibilityChecker.Check("""{"type":"int","logicalType":"date"}""", "\"string\"")).Kind);
    }

    [Fact]
    public void Check_RecursiveRecord_Terminates()
    {
        const string writer = """
            {"type":"record","name":"Node","fields":[
              {"name":"value","type":"int"},
              {"name":"next","type":["null","Node"],"default":null}]}
            """;
        const string reader = """
            {"type":"record","name":"Node","fields":[
              {"name":"value","type":"long"},
              {"name":"label","type":"string","default":""},
              {"name":"next","type":["null","Node"],"default":null}]}
            """;

        Assert.Empty(AvroCompatibilityChecker.Check(reader, writer));
        Assert.Empty(AvroCompatibilityChecker.Check(writer, writer));
        Assert.NotEmpty(AvroCompatibilityChecker.Check(writer, reader));
    }

    // ---- evolution under compatibility levels --------------------------------------------------

    private static readonly Avro.Schema V1 = Avro.Schema.Parse(Record(Field("id", "\"string\"")));
    private static readonly Avro.Schema V2 = Avro.Schema.Parse(Record(Field("id", "\"string\"") + "," + Field("count", "\"int\"", ",\"default\":0")));

    /// <summary>Reads v2 data (count present) but not v1 data (count missing, no default).</summary>
    private static readonly Avro.Schema V3 = Avro.Schema.Parse(Record(Field("id", "\"string\"") + "," + Field("count", "\"int\"")));

    [Fact]
    public void CheckEvolution_BackwardComparesOnlyLatest_AcceptsV3()
    {
        Assert.Empty(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.Backward, V3, [V1, V2]));
    }

    [Fact]
    public void CheckEvolution_BackwardTransitiveComparesAll_RejectsV3NamingVersion1()
    {
        var message = Assert.Single(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.BackwardTransitive, V3, [V1, V2]));

        Assert.Contains("oldSchemaVersion: 1", message);
        Assert.Contains("READER_FIELD_MISSING_DEFAULT_VALUE", message);
    }

    [Fact]
    public void CheckEvolution_ForwardRequiresOldReaderToReadNewData()
    {
        // v1 as reader ignores the added field: fine. v3 as reader of data written by v1... is not asked by FORWARD.
        Assert.Empty(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.Forward, V3, [V1]));
        // The reverse evolution (dropping a required field) breaks readers of the old schema.
        Assert.NotEmpty(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.Forward, V1, [V3]));
        Assert.Empty(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.Backward, V1, [V3]));
    }

    [Fact]
    public void CheckEvolution_ForwardTransitiveComparesAll()
    {
        var dropped = Avro.Schema.Parse(Record(Field("id", "\"string\"")));

        Assert.Empty(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.Forward, dropped, [V3, V2]));
        Assert.Single(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.ForwardTransitive, dropped, [V3, V2]));
    }

    [Fact]
    public void CheckEvolution_FullChecksBothDirections()
    {
        Assert.Empty(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.Full, V2, [V1]));
        Assert.Single(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.Full, V3, [V1]));
        Assert.Single(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.Full, V1, [V3]));
    }

    [Fact]
    public void CheckEvolution_FullTransitiveChecksBothDirectionsAgainstAll()
    {
        Assert.Empty(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.Full, V3, [V1, V3]));
        Assert.NotEmpty(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.FullTransitive, V3, [V1, V3]));
    }

    [Fact]
    public void CheckEvolution_None_AcceptsAnything()
    {
        var unrelated = Avro.Schema.Parse("\"boolean\"");

        Assert.Empty(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.None, unrelated, [V1, V2, V3]));
        Assert.NotEmpty(AvroCompatibilityChecker.CheckEvolution(CompatibilityLevel.Backward, unrelated, [V1]));
    }

    [Theory]
    [InlineData("BACKWARD", CompatibilityLevel.Backward)]
    [InlineData("backward_transitive", CompatibilityLevel.BackwardTransitive)]
    [InlineData("FULL", CompatibilityLevel.Full)]
    [InlineData("NONE", CompatibilityLevel.None)]
    public void TryParse_WireName_RoundTrips(string wireName, CompatibilityLevel expected)
    {
        Assert.True(CompatibilityLevels.TryParse(wireName, out var level));
        Assert.Equal(expected, level);
        Assert.Equal(wireName.ToUpperInvariant(), level.ToWireName());
    }

    [Fact]
    public void TryParse_UnknownName_Fails()
    {
        Assert.False(CompatibilityLevels.TryParse("SIDEWAYS", out _));
    }
}
