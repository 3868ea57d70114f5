using FreshchatStream.Producer.State;

namespace FreshchatStream.Tests.Unit.State;

public sealed class ResourceCursorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 7, 3, 21, 31, 59, 88, TimeSpan.Zero);

    [Fact]
    public void Serialize_Load_RoundTripsEveryField()
    {
        var cursor = ResourceCursor.Initial()
            .Advance(T0, ["b", "a"], now: T0.AddMinutes(1))
            .WithProperty("updated_from", "honoured")
            .WithProperty("page", "3");

        var loaded = ResourceCursor.Load(cursor.Serialize());

        Assert.Equal(cursor, loaded);
        Assert.Equal(T0, loaded.HighWaterMark);
        Assert.Equal(["a", "b"], loaded.IdsAtHighWaterMark);
        Assert.Equal("honoured", loaded.Property("updated_from"));
        Assert.Contains("\"version\":1", cursor.Serialize());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"version":1}""")]
    public void Load_EmptyOrMissingFields_IsInitial(string? json)
    {
        var cursor = ResourceCursor.Load(json);

        Assert.True(cursor.IsInitial);
        Assert.Null(cursor.HighWaterMark);
    }

    [Fact]
    public void Load_VersionlessPartialCursorWithUnknownFields_KeepsWhatItKnows()
    {
        var cursor = ResourceCursor.Load("""{"high_water_mark":"2025-07-03T21:31:59.088Z","from_a_future_writer":[1,2],"properties":{"n":5,"s":"x"}}""");

        Assert.Equal(T0, cursor.HighWaterMark);
        Assert.Empty(cursor.IdsAtHighWaterMark);
        Assert.Equal("5", cursor.Property("n"));
        Assert.Equal("x", cursor.Property("s"));
    }

    [Fact]
    public void Load_NewerVersion_ReadsKnownFields()
    {
        var cursor = ResourceCursor.Load("""{"version":7,"high_water_mark":"2025-07-03T21:31:59.088Z","ids_at_high_water_mark":["x"]}""");

        Assert.Equal(["x"], cursor.IdsAtHighWaterMark);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void Load_NotAnObject_Throws(string json)
    {
        Assert.Throws<FormatException>(() => ResourceCursor.Load(json));
    }

    [Fact]
    public void Advance_SameInstant_AddsIds_OlderInstant_IsIgnored_NewerInstant_Replaces()
    {
        var cursor = ResourceCursor.Initial().Advance(T0, ["a"]);

        Assert.Equal(["a", "b"], cursor.Advance(T0, ["b", "a"]).IdsAtHighWaterMark);
        Assert.Same(cursor, cursor.Advance(T0.AddMilliseconds(-1), ["z"]));
        var newer = cursor.Advance(T0.AddMilliseconds(1), ["c"]);
        Assert.Equal(T0.AddMilliseconds(1), newer.HighWaterMark);
        Assert.Equal(["c"], newer.IdsAtHighWaterMark);
    }

    [Fact]
    public void HasSeen_BoundaryIds_AreSeenOthersAtTheSameInstantAreNot()
    {
        var cursor = ResourceCursor.Initial().Advance(T0, ["a"]);

        Assert.True(cursor.HasSeen(T0, "a"));
        Assert.False(cursor.HasSeen(T0, "b"));
        Assert.True(cursor.HasSeen(T0.AddMilliseconds(-1), "b"));
        Assert.False(cursor.HasSeen(T0.AddMilliseconds(1), "a"));
        Assert.False(ResourceCursor.Initial().HasSeen(T0, "a"));
    }

    [Fact]
    public void Initial_WithStart_StartsThere()
    {
        Assert.Equal(T0, ResourceCursor.Initial(T0).HighWaterMark);
    }
}
