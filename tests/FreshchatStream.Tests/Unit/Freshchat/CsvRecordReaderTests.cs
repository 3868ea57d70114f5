using FreshchatStream.Producer.Freshchat;

namespace FreshchatStream.Tests.Unit.Freshchat;

public sealed class CsvRecordReaderTests
{
    private static async Task<List<IReadOnlyList<string>>> ReadAll(string text)
    {
        var reader = new CsvRecordReader(new StringReader(text));
        var records = new List<IReadOnlyList<string>>();
        while (await reader.ReadRecordAsync() is { } record)
        {
            records.Add(record);
        }

        return records;
    }

    [Fact]
    public async Task ReadRecordAsync_QuotedCommasNewlinesAndQuotes_AreOneField()
    {
        var records = await ReadAll("id,text\r\n1,\"a, b\"\r\n2,\"line1\nline2 \"\"quoted\"\"\"\n3,plain\n");

        Assert.Equal(4, records.Count);
        Assert.Equal(["id", "text"], records[0]);
        Assert.Equal(["1", "a, b"], records[1]);
        Assert.Equal(["2", "line1\nline2 \"quoted\""], records[2]);
        Assert.Equal(["3", "plain"], records[3]);
    }

    [Fact]
    public async Task ReadRecordAsync_EmptyFieldsAndNoFinalNewline_AreKept()
    {
        var records = await ReadAll("a,,c\n,,\nlast,row");

        Assert.Equal(["a", "", "c"], records[0]);
        Assert.Equal(["", "", ""], records[1]);
        Assert.Equal(["last", "row"], records[2]);
    }

    [Fact]
    public async Task ReadRecordAsync_RecordLongerThanTheBuffer_IsReadWhole()
    {
        var text = new string('x', 20_000);

        var records = await ReadAll($"h\n\"{text}\"\n");

        Assert.Equal(text, records[1][0]);
    }

    [Fact]
    public async Task ReadRecordAsync_UnicodeAndEmoji_ArePreserved()
    {
        var records = await ReadAll("name\n\"Zoë 👋, ünïcode\"\n");

        Assert.Equal("Zoë 👋, ünïcode", records[1][0]);
    }
}
