using System.IO.Compression;
using System.Net;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat;

[Trait("Category", "Integration")]
public sealed class ReportsAndOutboundTests
{
    private static Task<FreshchatEmulator> StartAsync() =>
        FreshchatEmulator.StartAsync(new FreshchatEmulatorOptions { Profile = EmulatorProfile.Default, Users = 300, ConversationsPerUser = 1, MessagesPerConversation = 4 });

    [Fact]
    public async Task RawReport_PendingThenCompleted_DownloadsOneCsvZipPerDay()
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.ReportPendingPolls = 2;
        using var http = new EmulatorHttp(emulator);
        var conversations = emulator.Data.EnumerateConversationIds().Select(id => emulator.Data.GetConversation(id)!).Where(c => c["created_time"] is not null).ToList();
        var day = DateTimeOffset.Parse((string)conversations[conversations.Count / 2]["created_time"]!).UtcDateTime.Date;
        var start = day.AddDays(-3).ToString("yyyy-MM-dd'T'00:00:00.000'Z'");
        var end = day.AddDays(1).AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");

        using var created = await http.SendJsonAsync(HttpMethod.Post, "/v2/reports/raw", $$"""{"start":"{{start}}","end":"{{end}}","event":"Conversation-Created","format":"csv"}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var job = await EmulatorHttp.ReadObjectAsync(created);
        var id = (string)job["id"]!;
        Assert.Equal("extracts", (string)job["link"]!["rel"]!);
        Assert.Equal($"/reports/raw/{id}", (string)job["link"]!["href"]!);

        Assert.Equal("PENDING", (string)(await http.GetJsonAsync($"/v2/reports/raw/{id}"))["status"]!);
        Assert.Equal("PENDING", (string)(await http.GetJsonAsync($"/v2/reports/raw/{id}"))["status"]!);
        var done = await http.GetJsonAsync($"/v2/reports/raw/{id}");
        Assert.Equal("COMPLETED", (string)done["status"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d_\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d$", (string)done["interval"]!);
        var links = done["links"]!.AsArray();
        Assert.Equal(4, links.Count);

        var ids = new List<string>();
        using var plain = new HttpClient();
        foreach (var link in links)
        {
            var href = (string)link!["link"]!["href"]!;
            Assert.StartsWith(emulator.Root.ToString().TrimEnd('/'), href);
            var bytes = await plain.GetByteArrayAsync(href);
            using var zip = new ZipArchive(new MemoryStream(bytes));
            var entry = Assert.Single(zip.Entries);
            Assert.EndsWith(".csv", entry.Name);
            using var reader = new StreamReader(entry.Open());
            var lines = (await reader.ReadToEndAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("conversation_id,created_time", lines[0]);
            ids.AddRange(lines.Skip(1).Select(l => l.Split(',')[0]));
        }
        var expected = emulator.Data.EnumerateConversationIds().Select(i => emulator.Data.GetConversation(i)!)
            .Where(c => c["created_time"] is { } t && string.CompareOrdinal((string)t!, start) >= 0 && string.CompareOrdinal((string)t!, end) <= 0)
            .Select(c => (string)c["conversation_id"]!).Order().ToList();
        var conversationsWithoutTime = emulator.Data.EnumerateConversationIds().Count(i => emulator.Data.GetConversation(i)!["created_time"] is null);
        Assert.True(ids.Count >= expected.Count && expected.Count > 0, $"{ids.Count} vs {expected.Count} ({conversationsWithoutTime} minimal)");
        Assert.Superset(ids.ToHashSet(), expected.ToHashSet());
    }

    [Fact]
    public async Task RawReport_FailNextJob_EndsFailed()
    {
        await using var emulator = await StartAsync();
        emulator.Behaviour.ReportPendingPolls = 0;
        emulator.Faults.FailNextReportJobs = 1;
        using var http = new EmulatorHttp(emulator);
        using var created = await http.SendJsonAsync(HttpMethod.Post, "/v2/reports/raw", """{"start":"2025-06-01T00:00:00.000Z","end":"2025-06-01T23:59:59.000Z","event":"Message-Sent","format":"csv"}""");
        var id = (string)(await EmulatorHttp.ReadObjectAsync(created))["id"]!;
        var polled = await http.GetJsonAsync($"/v2/reports/raw/{id}");
        Assert.Equal("FAILED", (string)polled["status"]!);
        Assert.All(polled["links"]!.AsArray(), l => Assert.Null(l!["link"]));
    }

    [Theory]
    [InlineData("""{"start":"2025-06-01T00:00:00.000Z","end":"2025-06-02T00:00:00.000Z","event":"Nope","format":"csv"}""")]
    [InlineData("""{"start":"2025-06-01T00:00:00.000Z","end":"2025-06-02T00:00:00.000Z","event":"Message-Sent","format":"json"}""")]
    [InlineData("""{"start":"2025-06-03T00:00:00.000Z","end":"2025-06-02T00:00:00.000Z","event":"Message-Sent","format":"csv"}""")]
    public async Task RawReport_InvalidRequest_Answers400(string body)
    {
        await using var emulator = await StartAsync();
        using var http = new EmulatorHttp(emulator);
        using var response = await http.SendJsonAsync(HttpMethod.Post, "/v2/reports/raw", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RawReport_UnknownId_Answers404()
    {
        await using var emulator = await StartAsync();
        using var http = new EmulatorHttp(emulator);
        using var response = await http.GetAsync("/v2/reports/raw/unknown");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OutboundWhatsapp_SendThenReadByRequestId_ProgressesStatus()
    {
        await using var emulator = await StartAsync();
        using var http = new EmulatorHttp(emulator);
        using var sent = await http.SendJsonAsync(HttpMethod.Post, "/v2/outbound-messages/whatsapp",
            """{"from":{"phone_number":"+15550001111"},"provider":"whatsapp","to":[{"phone_number":"+33600000001"},{"phone_number":"+33600000000"}],"data":{"message_template":{"storage":"none","template_name":"order_update","namespace":"ns"}}}""");
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var requestId = (string)(await EmulatorHttp.ReadObjectAsync(sent))["request_id"]!;
        var first = await http.GetJsonAsync($"/v2/outbound-messages?request_id={requestId}");
        Assert.All(first["outbound_messages"]!.AsArray(), m => Assert.Equal("Accepted", (string)m!["status"]!));
        var second = (await http.GetJsonAsync($"/v2/outbound-messages?request_id={requestId}"))["outbound_messages"]!.AsArray();
        Assert.Equal(["Sent", "Failed"], second.Select(m => (string)m!["status"]!));
        Assert.NotNull(second[1]!["failure_reason"]);
        Assert.IsType<long>((long)second[0]!["created_on"]!);
        using var unfiltered = await http.GetAsync("/v2/outbound-messages");
        Assert.Equal(HttpStatusCode.BadRequest, unfiltered.StatusCode);
    }
}
