using FreshchatStream.Consumers.Commands;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Consumers.Parquet;
using FreshchatStream.Producer.Capture;

namespace FreshchatStream.Tests.Unit.Consumers;

/// <summary>The Parquet lake's names: Hive day folders, part names from Kafka positions, hidden temporaries; and the commands' options.</summary>
[Trait("Issue", "#22")]
public sealed class ParquetLayoutTests
{
    [Fact]
    public void PartName_SortsInLogOrderAndTellsSchemaVersionsApart()
    {
        Assert.Equal("part-p2-000000000009-000000000010.parquet", ParquetLayout.PartName(2, 9, 10));
        Assert.Equal("part-p2-000000000009-000000000010-v2.parquet", ParquetLayout.PartName(2, 9, 10, version: 2));
        Assert.True(string.CompareOrdinal(ParquetLayout.PartName(0, 999, 1000), ParquetLayout.PartName(0, 1001, 1500)) < 0);
        Assert.Equal("part-freshchat.roles-p1-000000000003-000000000003.parquet", ParquetLayout.DeadLetterPartName("freshchat.roles", 1, 3, 3));
    }

    [Fact]
    public void DateFolder_RoundTripsAndRejectsOtherFolders()
    {
        var date = new DateOnly(2025, 7, 4);

        Assert.Equal("date=2025-07-04", ParquetLayout.DateFolder(date));
        Assert.Equal(date, ParquetLayout.ParseDateFolder("date=2025-07-04"));
        Assert.Null(ParquetLayout.ParseDateFolder("date=2025-7-4"));
        Assert.Null(ParquetLayout.ParseDateFolder(".date=2025-07-04.tmp"));
        Assert.Equal(Path.Combine("/lake", "users_history", "date=2025-07-04", "p.parquet"), ParquetLayout.PartPath("/lake", "users_history", date, "p.parquet"));
        Assert.Equal(Path.Combine("/lake", "current", "users.parquet"), ParquetLayout.CurrentPath("/lake", "users"));
    }

    [Fact]
    public void TempPath_IsHiddenUniqueAndNeverAPart()
    {
        var final = Path.Combine("/lake", "messages", "date=2025-07-04", "part-p0-000000000000-000000000009.parquet");

        var first = ParquetLayout.TempPathFor(final);
        var second = ParquetLayout.TempPathFor(final);

        Assert.NotEqual(first, second);
        Assert.Equal(Path.GetDirectoryName(final), Path.GetDirectoryName(first));
        Assert.True(ParquetLayout.IsTemp(Path.GetFileName(first)));
        Assert.False(ParquetLayout.IsPart(Path.GetFileName(first)));
        Assert.True(ParquetLayout.IsPart(Path.GetFileName(final)));
        Assert.False(ParquetLayout.IsTemp(Path.GetFileName(final)));
    }

    [Fact]
    public void Tables_AreThoseOfTheSqlLandersPlusTombstones()
    {
        Assert.Equal("users_history", ParquetLayout.HistoryTable("users"));
        Assert.Equal("messages", ParquetLayout.HistoryTable("messages"));
        Assert.Equal("users_tombstones", ParquetLayout.TombstoneTable("users"));
        Assert.Equal([.. SqlWarehouse.MetaColumns.Select(c => c.Name), "_timestamp"], ParquetLayout.TombstoneColumns.Select(c => c.Name));
    }

    [Fact]
    public void DateOf_IsTheCaptureDayInUtcElseTheKafkaTimestamp()
    {
        var shape = TableShape.From(FreshchatStream.Producer.Publishing.Avro.EmbeddedSchemas.Instance.Value(CaptureCatalogue.RolesTopic));
        var values = shape.Columns.Select(c => c.Name == "__captured_at" ? (object?)new DateTime(2025, 7, 4, 23, 59, 59, DateTimeKind.Utc) : null).ToArray();
        var record = new LandedRecord("roles", "t.roles", 0, 1, "{}", shape, values) { Timestamp = new DateTime(2025, 7, 5, 0, 0, 1, DateTimeKind.Utc) };
        var tombstone = new LandedRecord("roles", "t.roles", 0, 2, "{}", null, null) { Timestamp = new DateTime(2025, 7, 5, 0, 0, 1, DateTimeKind.Utc) };

        Assert.Equal(new DateOnly(2025, 7, 4), ParquetLayout.DateOf(record));
        Assert.Equal(new DateOnly(2025, 7, 5), ParquetLayout.DateOf(tombstone));
    }

    [Fact]
    public void Parse_ParquetAndCompactOptions()
    {
        var parquet = LanderArguments.Parse(["parquet", "--root", "/lake", "--bootstrap-servers", "b", "--schema-registry", "http://r:8081"]);
        var compact = LanderArguments.Parse(["compact", "--root=/lake", "--date", "2025-07-04", "--current-only"]);

        Assert.Equal("/lake", parquet.Require("root"));
        Assert.Equal("freshchat-lander-parquet", parquet.Settings("freshchat-lander-parquet").GroupId);
        Assert.Equal("/lake", compact.Require("root"));
        Assert.Equal("2025-07-04", compact.Get("date"));
        Assert.True(compact.Has("current-only"));
    }

    [Theory]
    [InlineData("compact --date 2025-07-04", "configuration error: Parquet:Root (--root) is required: the folder of the Parquet lake.")]
    [InlineData("compact --root /nonexistent-lake-d22 --date 4.7.2025", "error: --date '4.7.2025' is not a day such as 2025-07-01.")]
    [InlineData("parquet --bootstrap-servers b --schema-registry http://r:8081", "configuration error: Parquet:Root (--root) is required: the folder of the Parquet lake.")]
    public async Task Cli_UsageErrors_ExitTwoWithOneLine(string arguments, string message)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await LanderCli.RunAsync(arguments.Split(' '), output, error);

        Assert.Equal(2, code);
        Assert.Equal(message, error.ToString().TrimEnd());
    }
}
