using System.Globalization;
using System.Text.Json.Nodes;

namespace FreshchatStream.Sandbox.Freshchat.Generation;

/// <summary>Renders generated conversation j as GET /conversations/{id} returns it (minimal keys when unassigned).</summary>
internal sealed class ConversationFactory(GeneratedWorld world, UserFactory users, CatalogueFactory catalogue)
{
    public string Id(int j) => world.Ids.Encode(HashStream.ConversationId, j);

    public static long InternalId(int j) => 10_000_000L + j;

    public string InteractionId(int j, long startedMs) => $"{InternalId(j)}-{startedMs}";

    public JsonObject Build(int j)
    {
        var owner = world.ConversationOwner(j);
        var created = world.ConversationCreatedMs(j);
        var status = world.ConversationStatus(j);
        var h = world.Hash(HashStream.Conversation, j, 10);
        var conversation = new JsonObject
        {
            ["conversation_id"] = Id(j),
            ["conversation_internal_id"] = InternalId(j),
            ["app_id"] = world.AppId,
            ["status"] = status,
            ["channel_id"] = catalogue.ChannelId(world.ConversationChannel(j)),
            ["skill_id"] = DeterministicHash.Percent(h, 15) ? 4000 + DeterministicHash.Below(h >> 8, 5) : 0,
        };
        if (status != "new" || DeterministicHash.Percent(h >> 16, 50))
        {
            var properties = new JsonObject { ["priority"] = DeterministicHash.Pick(h >> 20, ["Low", "Medium", "High", "Urgent"]) };
            if (DeterministicHash.Percent(h >> 24, 40)) properties["cf_order_number"] = $"#{48_000 + j}";
            conversation["properties"] = properties;
            conversation["url"] = $"https://sandbox.freshchat.com/a/{world.AppId}/open/conversation/{InternalId(j)}";
            conversation["org_contact_id"] = UserFactory.OrgContactId(owner);
            conversation["created_time"] = Timestamps.Format(created);
            conversation["updated_time"] = Timestamps.Format(world.ConversationUpdatedMs(j));
        }
        conversation["user_id"] = users.Id(owner);
        var agent = world.AssignedAgent(j);
        if (agent >= 0)
        {
            conversation["assigned_agent_id"] = catalogue.AgentId(agent);
            conversation["assigned_org_agent_id"] = CatalogueFactory.AgentOrgId(agent);
        }
        var group = world.AssignedGroup(j);
        if (group >= 0) conversation["assigned_group_id"] = catalogue.GroupId(group);
        var shared = world.SharedWith(j);
        if (shared >= 0)
            conversation["users"] = new JsonArray(new JsonObject { ["id"] = users.Id(owner) }, new JsonObject { ["id"] = users.Id(shared) });
        return conversation;
    }

    public static string InternalIdString(int j) => InternalId(j).ToString(CultureInfo.InvariantCulture);
}
