using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Data;
using FreshchatStream.Sandbox.Freshchat.Generation;

namespace FreshchatStream.Sandbox.Freshchat.Reports;

/// <summary>
/// Renders one sub-report as a ZIP holding a single CSV, from the same data the API serves. The real column
/// layouts are UNCONFIRMED, so the columns here are a plausible, documented invention.
/// </summary>
internal static class ReportCsvBuilder
{
    public static byte[] BuildZip(FreshchatDataStore data, ReportJob job, DateTimeOffset from, DateTimeOffset to, string conversationIdHeader = "conversation_id")
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry($"{job.Event}_{from.UtcDateTime:yyyyMMdd'T'HHmmss}.csv", CompressionLevel.Fastest);
            using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
            Write(writer, data, job, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds() + 999, conversationIdHeader);
        }
        return buffer.ToArray();
    }

    private static void Write(StreamWriter writer, FreshchatDataStore data, ReportJob job, long fromMs, long toMs, string conversationIdHeader)
    {
        var conversationId = conversationIdHeader; // the column name is UNCONFIRMED: EmulatorBehaviour.ReportConversationIdHeader
        switch (job.Event)
        {
            case "Conversation-Created":
                Row(writer, conversationId, "created_time", "user_id", "channel_id", "status", "assigned_agent_id", "assigned_group_id");
                foreach (var c in data.ConversationsCreatedBetween(fromMs, toMs))
                    Row(writer, S(c, "conversation_id"), S(c, "created_time"), S(c, "user_id"), S(c, "channel_id"), S(c, "status"), S(c, "assigned_agent_id"), S(c, "assigned_group_id"));
                break;
            case "Conversation-Agent-Assigned":
                // Rows by the time of the assignment: the generated world's conversations were assigned when created;
                // an assignment made through the mutation API is a row at its own time (one per assignment).
                Row(writer, conversationId, "assigned_time", "assigned_agent_id", "assigned_group_id");
                foreach (var c in data.ConversationsCreatedBetween(fromMs, toMs).Where(c => c["assigned_agent_id"] is not null && !data.HasConversationEvent(S(c, "conversation_id"), ConversationChangeKind.Assigned)))
                    Row(writer, S(c, "conversation_id"), S(c, "created_time"), S(c, "assigned_agent_id"), S(c, "assigned_group_id"));
                foreach (var (e, c) in data.ConversationEventsBetween(ConversationChangeKind.Assigned, fromMs, toMs))
                    Row(writer, S(c, "conversation_id"), Timestamps.Format(e.Ms), e.AgentId, e.GroupId);
                break;
            case "Conversation-Resolved":
                // Likewise by the time of the resolution; a conversation resolved, reopened and resolved again has two rows.
                Row(writer, conversationId, "created_time", "resolved_time", "assigned_agent_id");
                foreach (var c in data.ConversationsCreatedBetween(fromMs, toMs).Where(c => S(c, "status") == "resolved" && !data.HasConversationEvent(S(c, "conversation_id"), ConversationChangeKind.Resolved)))
                    Row(writer, S(c, "conversation_id"), S(c, "created_time"), S(c, "updated_time"), S(c, "assigned_agent_id"));
                foreach (var (e, c) in data.ConversationEventsBetween(ConversationChangeKind.Resolved, fromMs, toMs))
                    Row(writer, S(c, "conversation_id"), S(c, "created_time"), Timestamps.Format(e.Ms), e.AgentId);
                break;
            case "Message-Sent" or "Chat-Transcript":
                var agentsOnly = job.Event == "Message-Sent";
                if (job.ExcludePii) Row(writer, "message_id", conversationId, "actor_type", "actor_id", "message_type", "created_time");
                else Row(writer, "message_id", conversationId, "actor_type", "actor_id", "message_type", "created_time", "message_text");
                foreach (var m in data.MessagesBetween(fromMs, toMs).Where(m => !agentsOnly || S(m, "actor_type") == "agent"))
                {
                    string[] cells = [S(m, "id"), S(m, "conversation_id"), S(m, "actor_type"), S(m, "actor_id"), S(m, "message_type"), S(m, "created_time")];
                    Row(writer, job.ExcludePii ? cells : [.. cells, Text(m)]);
                }
                break;
            default:
                Row(writer, "event", "object_id", "time", "value");
                break;
        }
    }

    private static string S(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static string Text(JsonObject message) =>
        string.Join(" ", (message["message_parts"] as JsonArray ?? []).Select(p => (string?)p?["text"]?["content"]).Where(t => t is not null));

    private static void Row(StreamWriter writer, params string[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) writer.Write(',');
            var cell = cells[i];
            if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0) writer.Write('"' + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + '"');
            else writer.Write(cell);
        }
        writer.Write("\r\n");
    }
}
