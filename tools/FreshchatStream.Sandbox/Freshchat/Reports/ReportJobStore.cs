using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Generation;

namespace FreshchatStream.Sandbox.Freshchat.Reports;

/// <summary>Raw-report jobs: created PENDING, COMPLETED (or FAILED) after the configured number of polls, downloadable per day.</summary>
internal sealed class ReportJobStore(FreshchatDataStore data, EmulatorFaults faults, TimeProvider time)
{
    public static readonly string[] EventNames =
    [
        "Conversation-Created", "Conversation-Agent-Assigned", "Conversation-Group-Assigned", "Message-Sent",
        "First-Response-Time", "Response-Time", "Resolution-Time", "Conversation-Resolution-Label", "Conversation-Resolved",
        "Agent-Activity", "Agent-Intelliassign-Activity", "CSAT-Score", "Chat-Transcript", "agent-performance", "classic",
    ];

    private readonly ConcurrentDictionary<string, ReportJob> _jobs = new(StringComparer.Ordinal);
    private int _next;

    public Uri DownloadRoot { get; set; } = new("http://127.0.0.1");

    public ReportJob Create(DateTimeOffset start, DateTimeOffset end, string eventName, bool excludePii)
    {
        var id = data.World.Ids.Encode(HashStream.ReportId, Interlocked.Increment(ref _next));
        var job = new ReportJob(id, start, end, eventName, excludePii, faults.TakeReportFailure());
        _jobs[id] = job;
        return job;
    }

    public static JsonObject Created(ReportJob job) => new()
    {
        ["id"] = job.Id,
        ["link"] = new JsonObject { ["rel"] = "extracts", ["href"] = $"/reports/raw/{job.Id}" },
    };

    /// <summary>One poll of GET /reports/raw/{id}; null when unknown.</summary>
    public JsonObject? Poll(string id, EmulatorBehaviour behaviour)
    {
        if (!_jobs.TryGetValue(id, out var job)) return null;
        // The job itself reads COMPLETED up to ReportLinkPendingPolls polls before its last link does; the last link
        // is done after max(ReportPendingPolls, ReportLinkPendingPolls) polls, so a link pending for one poll costs
        // no extra poll compared with the default.
        var linkPendingPolls = Math.Max(behaviour.ReportPendingPolls, behaviour.ReportLinkPendingPolls);
        var pendingPolls = Math.Max(behaviour.ReportPendingPolls - behaviour.ReportLinkPendingPolls, 0);
        string status;
        bool lastLinkPending;
        lock (job)
        {
            job.Polls++;
            if (job.Polls > pendingPolls && !job.Fails) job.Completed = true;
            status = job.Polls <= pendingPolls ? "PENDING" : job.Fails ? "FAILED" : "COMPLETED";
            lastLinkPending = job.Polls <= linkPendingPolls;
        }
        var links = new JsonArray();
        var parts = job.Parts();
        for (var n = 0; n < parts.Count; n++)
        {
            var (from, to) = parts[n];
            // A job can read COMPLETED while one of its links is still PENDING, or FAILED (reports_link.status).
            var linkStatus = status != "COMPLETED" || n != parts.Count - 1 ? status
                : behaviour.ReportLinkFails ? "FAILED"
                : lastLinkPending ? "PENDING"
                : status;
            var link = new JsonObject
            {
                ["from"] = Timestamps.FormatSeconds(from),
                ["to"] = Timestamps.FormatSeconds(to),
                ["status"] = linkStatus,
            };
            if (linkStatus == "COMPLETED")
            {
                var expires = time.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
                link["link"] = new JsonObject
                {
                    ["href"] = new Uri(DownloadRoot, $"/_downloads/reports/{job.Id}/{n}.zip?expires={expires}&signature={Signature(job.Id, n)}").ToString(),
                    ["rel"] = "download",
                };
            }
            links.Add(link);
        }
        return new JsonObject
        {
            ["id"] = job.Id,
            ["status"] = status,
            ["interval"] = $"{Timestamps.FormatInterval(job.Start)}_{Timestamps.FormatInterval(job.End)}",
            ["links"] = links,
        };
    }

    /// <summary>The ZIP of sub-report <paramref name="part"/>; null unless the job completed and the signature matches.</summary>
    public byte[]? Download(string id, int part, string? signature, EmulatorBehaviour behaviour)
    {
        if (!_jobs.TryGetValue(id, out var job) || !job.Completed) return null;
        var parts = job.Parts();
        if (part < 0 || part >= parts.Count || signature != Signature(id, part)) return null;
        return ReportCsvBuilder.BuildZip(data, job, parts[part].From, parts[part].To, behaviour.ReportConversationIdHeader);
    }

    private string Signature(string id, int part)
    {
        var fnv = 14695981039346656037UL;
        foreach (var c in id) fnv = (fnv ^ c) * 1099511628211UL;
        return DeterministicHash.Of(data.World.Seed, (int)HashStream.ReportId, (long)(fnv >> 1) ^ part, 77).ToString("x16");
    }
}
