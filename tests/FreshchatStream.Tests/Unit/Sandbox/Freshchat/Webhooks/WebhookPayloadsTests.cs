using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Sandbox.Freshchat.Data;
using FreshchatStream.Sandbox.Freshchat.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Unit.Sandbox.Freshchat.Webhooks;

/// <summary>The four envelopes of freshchat-api.md §7, built from the data store's change events (no HTTP).</summary>
[Trait("Issue", "#10")]
public sealed class WebhookPayloadsTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now.AddMilliseconds(126));
    private readonly FreshchatDataStore _data;
    private readonly List<ConversationChange> _changes = [];

    public WebhookPayloadsTests()
    {
        var options = new FreshchatEmulatorOptions { Users = 40, ConversationsPerUser = 0.5, MessagesPerConversation = 3, TimeProvider = _clock };
        _data = new FreshchatDataStore(options, options.Behaviour);
        _data.ConversationChanged += _changes.Add;
    }

    private static readonly string[] ConversationKeys = ["conversation_id", "app_id", "status", "channel_id", "skill_id", "sla_policy_id", "sla_breached"];

    [Fact]
    public void AddMessage_MessageCreate_ActorIsTheMessagesAndDataIsTheMessageAsTheApiRendersIt()
    {
        var conversation = UnassignedConversation();
        var agent = (string)_data.GetAgents()[1]["id"]!;

        var id = _data.AddMessage(conversation, "Bonjour 👋", actorType: "agent", actorId: agent);

        var payload = WebhookPayloads.For(Assert.Single(_changes));
        Assert.Equal(["actor", "action", "action_time", "data"], payload.Select(p => p.Key));
        Assert.Equal("agent", (string)payload["actor"]!["actor_type"]!);
        Assert.Equal(agent, (string)payload["actor"]!["actor_id"]!);
        Assert.Equal("message_create", (string)payload["action"]!);
        Assert.Equal("2026-02-01T09:00:00.126Z", (string)payload["action_time"]!);
        var message = payload["data"]!["message"]!.AsObject();
        var served = _data.GetMessages(conversation)!.Single(m => (string)m["id"]! == id);
        foreach (var (key, value) in served) Assert.True(JsonNode.DeepEquals(value, message[key]), key);
        Assert.False((bool)message["restrictResponse"]!);
        Assert.False((bool)message["botsPrivateNote"]!);
        Assert.Equal(conversation, (string)message["conversation_id"]!);
        Assert.Equal("Bonjour 👋", (string)message["message_parts"]![0]!["text"]!["content"]!);
    }

    [Fact]
    public void AssignConversation_FromUnassigned_EmptyFromIdsAndTheNewAssignment()
    {
        var conversation = UnassignedConversation();
        var agent = (string)_data.GetAgents()[0]["id"]!;
        var group = (string)_data.GetGroups()[0]["id"]!;

        _data.AssignConversation(conversation, agent, group);

        var payload = WebhookPayloads.For(Assert.Single(_changes));
        Assert.Equal("conversation_assignment", (string)payload["action"]!);
        Assert.Equal("system", (string)payload["actor"]!["actor_type"]!);
        var assignment = payload["data"]!["assignment"]!.AsObject();
        Assert.Equal(["assignor", "assignor_id", "to_agent_id", "to_group_id", "from_agent_id", "from_group_id", "conversation", "interaction_id"],
            assignment.Select(p => p.Key));
        Assert.Equal("system", (string)assignment["assignor"]!);
        Assert.Equal(_data.AppId, (string)assignment["assignor_id"]!);
        Assert.Equal((agent, group, "", ""), ((string)assignment["to_agent_id"]!, (string)assignment["to_group_id"]!,
            (string)assignment["from_agent_id"]!, (string)assignment["from_group_id"]!));
        var summary = assignment["conversation"]!.AsObject();
        Assert.Equal([.. ConversationKeys[..4], "assigned_agent_id", "assigned_group_id", .. ConversationKeys[4..]], summary.Select(p => p.Key));
        Assert.Equal("assigned", (string)summary["status"]!);
        Assert.Equal(agent, (string)summary["assigned_agent_id"]!);
        Assert.False((bool)summary["sla_breached"]!);
        Assert.False(string.IsNullOrEmpty((string?)assignment["interaction_id"]));
    }

    [Fact]
    public void AssignConversation_Reassigned_FromIdsArePreviousAssignment()
    {
        var conversation = UnassignedConversation();
        var agents = _data.GetAgents();
        var group = (string)_data.GetGroups()[0]["id"]!;
        _data.AssignConversation(conversation, (string)agents[0]["id"]!, group);

        _data.AssignConversation(conversation, (string)agents[1]["id"]!);

        var assignment = WebhookPayloads.For(_changes[^1])["data"]!["assignment"]!;
        Assert.Equal((string)agents[0]["id"]!, (string)assignment["from_agent_id"]!);
        Assert.Equal(group, (string)assignment["from_group_id"]!);
        Assert.Equal((string)agents[1]["id"]!, (string)assignment["to_agent_id"]!);
        Assert.Equal(group, (string)assignment["to_group_id"]!); // the group stays when only the agent changes
    }

    [Fact]
    public void ResolveConversation_ResolverIsTheAssignedAgentAndTheUserIsIncluded()
    {
        var conversation = UnassignedConversation();
        var agent = (string)_data.GetAgents()[2]["id"]!;
        _data.AssignConversation(conversation, agent);
        _clock.Advance(TimeSpan.FromSeconds(5));

        _data.ResolveConversation(conversation);

        var payload = WebhookPayloads.For(_changes[^1]);
        Assert.Equal("conversation_resolution", (string)payload["action"]!);
        Assert.Equal("2026-02-01T09:00:05.126Z", (string)payload["action_time"]!);
        Assert.Equal(("agent", agent), ((string)payload["actor"]!["actor_type"]!, (string)payload["actor"]!["actor_id"]!));
        var resolve = payload["data"]!["resolve"]!.AsObject();
        Assert.Equal(["resolver", "resolver_id", "conversation", "interaction_id", "user"], resolve.Select(p => p.Key));
        Assert.Equal(("agent", agent), ((string)resolve["resolver"]!, (string)resolve["resolver_id"]!));
        Assert.Equal("resolved", (string)resolve["conversation"]!["status"]!);
        var owner = _data.GetUser((string)_data.GetConversation(conversation)!["user_id"]!)!;
        var user = resolve["user"]!.AsObject();
        Assert.Equal((string)owner["id"]!, (string)user["id"]!);
        Assert.Equal((string)owner["first_name"]!, (string)user["first_name"]!);
        Assert.Equal((string)owner["updated_time"]!, (string)user["updated_time"]!);
        Assert.IsType<JsonArray>(user["properties"]);
        Assert.Contains("login_status", user.Select(p => p.Key));
    }

    [Fact]
    public void ReopenConversation_StatusReopenedByTheUserWithTheNewInteractionId()
    {
        var conversation = UnassignedConversation();
        _data.ResolveConversation(conversation);
        var resolvedInteraction = (string)WebhookPayloads.For(_changes[^1])["data"]!["resolve"]!["interaction_id"]!;
        _clock.Advance(TimeSpan.FromMinutes(1));

        _data.ReopenConversation(conversation);

        var payload = WebhookPayloads.For(_changes[^1]);
        Assert.Equal("conversation_reopen", (string)payload["action"]!);
        var reopen = payload["data"]!["reopen"]!.AsObject();
        Assert.Equal(["reopener", "reopener_id", "conversation", "interaction_id"], reopen.Select(p => p.Key));
        var owner = (string)_data.GetConversation(conversation)!["user_id"]!;
        Assert.Equal(("user", owner), ((string)reopen["reopener"]!, (string)reopen["reopener_id"]!));
        Assert.Equal(("user", owner), ((string)payload["actor"]!["actor_type"]!, (string)payload["actor"]!["actor_id"]!));
        Assert.Equal(ConversationKeys, reopen["conversation"]!.AsObject().Select(p => p.Key));
        Assert.Equal("reopened", (string)reopen["conversation"]!["status"]!);
        Assert.NotEqual(resolvedInteraction, (string)reopen["interaction_id"]!);
        _data.AddMessage(conversation, "again");
        Assert.Equal((string)reopen["interaction_id"]!, (string)_changes[^1].Message!["interaction_id"]!);
    }

    [Fact]
    public void StatusChangeAndUnknownConversation_RaiseNothing()
    {
        var conversation = UnassignedConversation();

        _data.SetConversationStatus(conversation, "waiting on customer");
        _data.ResolveConversation("00000000-0000-0000-0000-000000000000");

        Assert.Empty(_changes);
    }

    /// <summary>A live conversation without an agent or group, so from_* and assigned_* start empty.</summary>
    private string UnassignedConversation() =>
        _data.CreateConversation((string)_data.EnumerateUsers().First()["id"]!);
}
