using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using FreshchatStream.Producer.Freshchat.Models;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// Streams the rows of a completed raw report: each link is downloaded to a temporary file (a ZIP cannot be read
/// from a forward-only stream without buffering it whole), its single CSV is parsed record by record, and the
/// file is deleted when done. The bearer token goes only to the API's own host, never to pre-signed URLs.
/// </summary>
public sealed class RawReportDownloader(FreshchatTransport transport)
{
    private const string Endpoint = "GET reports/raw download";

    public async IAsyncEnumerable<RawReportRow> ReadRowsAsync(RawReportJob job, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!job.IsCompleted)
        {
            throw new InvalidOperationException($"Raw report {job.Id} is {job.Status ?? "of unknown status"}; only a COMPLETED job can be downloaded.");
        }

        var eventName = job.GetString("event") ?? string.Empty;
        foreach (var link in job.Links)
        {
            var url = transport.Resolve(link.Href);
            var sameHost = transport.IsApiHost(url);
            var path = Path.GetTempFileName();
            try
            {
                using (var response = await transport.SendRawAsync(HttpMethod.Get, url, Endpoint, body: null, authenticate: sameHost, cancellationToken,
                           HttpCompletionOption.ResponseHeadersRead))
                {
                    var status = (int)response.StatusCode;
                    if (!sameHost && status is 401 or 403 or 404 or 410)
                    {
                        // A pre-signed link (no bearer token was sent) refusing access has expired: that says nothing
                        // about Freshchat:ApiKey, and polling the job again yields fresh links.
                        throw new FreshchatUnavailableException(
                            $"{Endpoint}: the download link of raw report {job.Id} on {url.Host} was refused ({status}); pre-signed links expire, poll the job again for fresh ones.",
                            Endpoint, status);
                    }

                    await transport.ThrowIfFailedAsync(response, Endpoint, cancellationToken);
                    await using var file = File.Create(path);
                    await response.Content.CopyToAsync(file, cancellationToken);
                }

                ZipArchive archive;
                try
                {
                    archive = ZipFile.OpenRead(path);
                }
                catch (InvalidDataException e)
                {
                    throw new FreshchatResponseException($"A raw report download of job {job.Id} is not a ZIP archive: {e.Message}", Endpoint, 200, e);
                }

                using (archive)
                {
                    var entry = archive.Entries.FirstOrDefault(e => e.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) ?? archive.Entries.FirstOrDefault()
                        ?? throw new FreshchatResponseException($"A raw report download of job {job.Id} is an empty ZIP archive.", Endpoint, 200);
                    using var reader = new StreamReader(entry.Open(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                    var csv = new CsvRecordReader(reader);
                    var header = await csv.ReadRecordAsync(cancellationToken);
                    if (header is null)
                    {
                        continue;
                    }

                    long rowNumber = 0;
                    while (await csv.ReadRecordAsync(cancellationToken) is { } record)
                    {
                        if (record.Count == 1 && record[0].Length == 0)
                        {
                            continue; // blank line
                        }

                        rowNumber++;
                        var columns = new List<KeyValuePair<string, string>>(header.Count);
                        for (var i = 0; i < header.Count; i++)
                        {
                            columns.Add(new(header[i], i < record.Count ? record[i] : string.Empty));
                        }

                        yield return new RawReportRow(eventName, link, rowNumber, columns);
                    }
                }
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
