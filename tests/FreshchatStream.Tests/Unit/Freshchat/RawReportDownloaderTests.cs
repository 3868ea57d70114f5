using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;

namespace FreshchatStream.Tests.Unit.Freshchat;

public sealed class RawReportDownloaderTests
{
    private static RawReportJob Job(string json) => new(JsonDocument.Parse(json).RootElement.Clone());

    private static HttpResponseMessage Zip(string csv)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(archive.CreateEntry("report.csv").Open(), new UTF8Encoding(false));
            writer.Write(csv);
        }

        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(buffer.ToArray()) };
    }

    [Fact]
    public async Task ReadRows_PreSignedLinkElsewhere_GetsNoBearerTokenAndRowsStreamInOrder()
    {
        using var freshchat = new ScriptedFreshchat((request, _) => request.RequestUri!.Host == "reports.s3.example.com"
            ? Zip("conversation_id,text\r\nc1,\"hello, \"\"world\"\"\nsecond line\"\r\nc2,plain\r\n")
            : Zip("conversation_id,text\nc3,own host\n"));
        var job = Job("""
            {"id":"r1","status":"COMPLETED","event":"Conversation-Created","links":[
              {"from":"2026-01-01T00:00:00Z","to":"2026-01-01T11:59:59Z","status":"COMPLETED","link":{"href":"https://reports.s3.example.com/r1-a.zip?X-Amz-Signature=abc"}},
              {"from":"2026-01-01T12:00:00Z","to":"2026-01-01T23:59:59Z","status":"COMPLETED","link":{"href":"/v2/reports/raw/r1/download/2"}}]}
            """);

        var rows = await freshchat.Client.ReadRawReportRowsAsync(job).ToListAsync();

        Assert.Equal(["c1", "c2", "c3"], rows.Select(r => r.Columns[0].Value));
        Assert.Equal("hello, \"world\"\nsecond line", rows[0].Columns[1].Value);
        Assert.Equal([1L, 2L, 1L], rows.Select(r => r.RowNumber));
        var requests = freshchat.Handler.Requests.ToList();
        Assert.Null(requests[0].Headers.Authorization);
        Assert.Equal("https://acme.freshchat.com/v2/reports/raw/r1/download/2", requests[1].RequestUri!.ToString());
        Assert.Equal("Bearer", requests[1].Headers.Authorization!.Scheme);
    }

    [Fact]
    public async Task ReadRows_ExpiredPreSignedLink_IsTransientAndNotBlamedOnTheApiKey()
    {
        using var freshchat = new ScriptedFreshchat((_, _) => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("<Error>AccessDenied</Error>") });
        var job = Job("""{"id":"r7","status":"COMPLETED","links":[{"link":{"href":"https://reports.s3.example.com/r7.zip?X-Amz-Expires=3600"}}]}""");

        var error = await Assert.ThrowsAsync<FreshchatUnavailableException>(async () => await freshchat.Client.ReadRawReportRowsAsync(job).ToListAsync());

        Assert.True(error.IsTransient);
        Assert.Contains("r7", error.Message);
        Assert.DoesNotContain("Freshchat:ApiKey", error.Message);
        Assert.Equal(1, freshchat.Handler.Calls);
    }

    [Fact]
    public async Task ReadRows_DownloadIsNotAZip_NamesTheJob()
    {
        using var freshchat = new ScriptedFreshchat((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("not a zip") });
        var job = Job("""{"id":"r9","status":"COMPLETED","links":[{"link":{"href":"https://reports.s3.example.com/r9.zip"}}]}""");

        var error = await Assert.ThrowsAsync<FreshchatResponseException>(async () => await freshchat.Client.ReadRawReportRowsAsync(job).ToListAsync());

        Assert.Contains("r9", error.Message);
    }

    [Fact]
    public async Task ReadRows_JobNotCompleted_IsRefusedWithoutARequest()
    {
        using var freshchat = new ScriptedFreshchat((_, _) => Zip("a\n1\n"));

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await freshchat.Client.ReadRawReportRowsAsync(Job("""{"id":"r2","status":"PENDING"}""")).ToListAsync());
        Assert.Equal(0, freshchat.Handler.Calls);
    }
}
