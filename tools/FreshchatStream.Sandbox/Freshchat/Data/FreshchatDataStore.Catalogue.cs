using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Generation;

namespace FreshchatStream.Sandbox.Freshchat;

public sealed partial class FreshchatDataStore
{
    private readonly List<JsonObject> _agents;
    private readonly List<JsonObject> _groups;
    private readonly List<JsonObject> _channels;
    private readonly List<JsonObject> _roles;
    private readonly List<JsonObject> _statuses;
    private readonly JsonArray _fields;
    private readonly JsonObject _configuration;

    public IReadOnlyList<JsonObject> GetAgents() => Snapshot(_agents);
    public IReadOnlyList<JsonObject> GetGroups() => Snapshot(_groups);
    public IReadOnlyList<JsonObject> GetChannels() => Snapshot(_channels);
    public IReadOnlyList<JsonObject> GetRoles() => Snapshot(_roles);

    /// <summary>The agent status catalogue (GET /agents/status "states").</summary>
    public IReadOnlyList<JsonObject> GetAgentStatuses() => Snapshot(_statuses);

    public JsonObject? GetAgent(string agentId) => Find(_agents, agentId);
    public JsonObject? GetGroup(string groupId) => Find(_groups, groupId);
    public JsonObject? GetChannel(string channelId) => Find(_channels, channelId);
    public JsonObject? GetRole(string roleId) => Find(_roles, roleId);

    public JsonObject GetAccountConfiguration()
    {
        lock (_gate) return (JsonObject)_configuration.DeepClone();
    }

    public JsonArray GetConversationFields()
    {
        lock (_gate) return (JsonArray)_fields.DeepClone();
    }

    /// <summary>
    /// Changes an agent's availability as PATCH /agents/{id} does: when <paramref name="agentStatusId"/> is given it wins
    /// and decides availability_status; otherwise agent_status follows the availability.
    /// </summary>
    public bool SetAgentAvailability(string agentId, string? availabilityStatus, string? agentStatusId = null)
    {
        lock (_gate)
        {
            var agent = _agents.FirstOrDefault(a => (string?)a["id"] == agentId);
            if (agent is null) return false;
            if (agentStatusId is not null)
            {
                var index = _statuses.FindIndex(s => (string?)s["id"] == agentStatusId);
                if (index < 0) throw new KeyNotFoundException($"agent status {agentStatusId} not found");
                agent["agent_status"] = _statuses[index].DeepClone();
                agent["availability_status"] = index == 0 ? "AVAILABLE" : "UNAVAILABLE";
            }
            else if (availabilityStatus is not null)
            {
                var available = string.Equals(availabilityStatus, "AVAILABLE", StringComparison.OrdinalIgnoreCase);
                agent["availability_status"] = available ? "AVAILABLE" : "UNAVAILABLE";
                var current = _statuses.FindIndex(s => (string?)s["id"] == (string?)agent["agent_status"]?["id"]);
                if (available) agent["agent_status"] = _statuses[0].DeepClone();
                else if (current <= 0) agent["agent_status"] = _statuses[^1].DeepClone();
            }
            agent["login_status"] = (string?)agent["availability_status"] == "AVAILABLE";
            return true;
        }
    }

    public bool UpdateAgent(string agentId, Action<JsonObject> update) => Update(_agents, agentId, update, stampUpdatedTime: false);
    public bool UpdateGroup(string groupId, Action<JsonObject> update) => Update(_groups, groupId, update, stampUpdatedTime: false);
    public bool UpdateRole(string roleId, Action<JsonObject> update) => Update(_roles, roleId, update, stampUpdatedTime: false);

    /// <summary>Updates a channel and moves its updated_time (the only catalogue object that carries one).</summary>
    public bool UpdateChannel(string channelId, Action<JsonObject> update) => Update(_channels, channelId, update, stampUpdatedTime: true);

    public bool DeleteAgent(string agentId) => Delete(_agents, agentId);
    public bool DeleteGroup(string groupId) => Delete(_groups, groupId);
    public bool DeleteChannel(string channelId) => Delete(_channels, channelId);
    public bool DeleteRole(string roleId) => Delete(_roles, roleId);

    /// <summary>Adds an agent (available, in the first group); returns its id.</summary>
    public string CreateAgent(string firstName, string lastName, string email)
    {
        lock (_gate)
        {
            var id = World.Ids.Encode(HashStream.AgentId, 1_000_000 + _agents.Count + _createdAgents++);
            var agent = new JsonObject
            {
                ["id"] = id, ["email"] = email, ["first_name"] = firstName, ["last_name"] = lastName,
                ["groups"] = new JsonArray([.. _groups.Take(1).Select(g => (JsonNode)(string)g["id"]!)]),
                ["role_id"] = "AGENT", ["role_name"] = "Agent", ["is_deactivated"] = false, ["is_deleted"] = false,
                ["availability_status"] = "AVAILABLE", ["agent_status"] = _statuses[0].DeepClone(), ["routing_type"] = "OCR",
                ["agent_capacity"] = 5, ["login_status"] = true, ["locale"] = "en", ["timezone"] = "UTC", ["license_type"] = "fulltime",
                ["scope"] = "Global", ["org_contact_id"] = (8_000_000_000L + _createdAgents).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["created_time"] = Timestamps.Format(NowMs()),
            };
            _agents.Add(agent);
            return id;
        }
    }

    private int _createdAgents;

    private IReadOnlyList<JsonObject> Snapshot(List<JsonObject> items)
    {
        lock (_gate) return [.. items.Select(i => (JsonObject)i.DeepClone())];
    }

    private JsonObject? Find(List<JsonObject> items, string id)
    {
        lock (_gate) return items.FirstOrDefault(i => (string?)i["id"] == id)?.DeepClone() as JsonObject;
    }

    private bool Update(List<JsonObject> items, string id, Action<JsonObject> update, bool stampUpdatedTime)
    {
        lock (_gate)
        {
            var item = items.FirstOrDefault(i => (string?)i["id"] == id);
            if (item is null) return false;
            update(item);
            item["id"] = id;
            if (stampUpdatedTime) item["updated_time"] = Timestamps.Format(NowMs());
            return true;
        }
    }

    private bool Delete(List<JsonObject> items, string id)
    {
        lock (_gate) return items.RemoveAll(i => (string?)i["id"] == id) > 0;
    }
}
