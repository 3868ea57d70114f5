using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Data;
using FreshchatStream.Sandbox.Freshchat.Generation;

namespace FreshchatStream.Sandbox.Freshchat;

public sealed partial class FreshchatDataStore
{
    private readonly Dictionary<int, UserRecord> _userRecords = [];
    private readonly List<int> _deletedGenerated = [];
    private readonly HashSet<int> _deletedUsers = [];
    private readonly List<int> _createdUsers = [];
    private int _nextUserKey;

    /// <summary>The user as GET /users/{id} renders it, or null when unknown or deleted.</summary>
    public JsonObject? GetUser(string userId)
    {
        lock (_gate) return UserKey(userId) is var key and >= 0 ? RenderUser(key) : null;
    }

    /// <summary>Every live user in created_time order (a snapshot of the order; each object is rendered lazily).</summary>
    public IEnumerable<JsonObject> EnumerateUsers()
    {
        UserRange range;
        lock (_gate) range = NewRange(null, null);
        foreach (var key in range.Keys())
        {
            JsonObject? user;
            lock (_gate) user = _deletedUsers.Contains(key) ? null : RenderUser(key);
            if (user is not null) yield return user;
        }
    }

    /// <summary>Ids of the users' conversations as GET /users/{id}/conversations lists them; null when the user is unknown.</summary>
    public IReadOnlyList<string>? GetUserConversationIds(string userId)
    {
        lock (_gate)
        {
            var key = UserKey(userId);
            return key < 0 ? null : [.. ConversationKeysOf(key).Select(Conversations.Id)];
        }
    }

    /// <summary>Creates a user stamped with the clock's now; returns its id.</summary>
    public string CreateUser(string? firstName = null, string? lastName = null, string? email = null,
        string? referenceId = null, string? phone = null, Action<JsonObject>? configure = null)
    {
        lock (_gate)
        {
            var key = _nextUserKey++;
            var now = NowMs();
            var user = new JsonObject
            {
                ["id"] = Users.Id(key),
                ["created_time"] = Timestamps.Format(now),
                ["updated_time"] = Timestamps.Format(now),
            };
            if (email is not null) user["email"] = email;
            if (firstName is not null) user["first_name"] = firstName;
            if (lastName is not null) user["last_name"] = lastName;
            if (phone is not null) user["phone"] = phone;
            if (referenceId is not null) user["reference_id"] = referenceId;
            user["login_status"] = false;
            user["org_contact_id"] = UserFactory.OrgContactId(key);
            configure?.Invoke(user);
            _userRecords[key] = new UserRecord(user, now, now);
            _createdUsers.Add(key);
            return Users.Id(key);
        }
    }

    /// <summary>Applies <paramref name="update"/> to the user and moves its updated_time to now; false when unknown.</summary>
    public bool UpdateUser(string userId, Action<JsonObject> update)
    {
        lock (_gate)
        {
            var key = UserKey(userId);
            if (key < 0) return false;
            var record = UserRecordFor(key);
            update(record.Json);
            record.Json["id"] = Users.Id(key);
            var now = Math.Max(NowMs(), record.UpdatedMs);
            record.UpdatedMs = now;
            record.Json["updated_time"] = Timestamps.Format(now);
            return true;
        }
    }

    /// <summary>Sets the given simple fields (null = leave as is; "" = remove the key).</summary>
    public bool UpdateUser(string userId, string? firstName = null, string? lastName = null, string? email = null, string? phone = null, string? referenceId = null) =>
        UpdateUser(userId, user =>
        {
            Set(user, "first_name", firstName);
            Set(user, "last_name", lastName);
            Set(user, "email", email);
            Set(user, "phone", phone);
            Set(user, "reference_id", referenceId);
        });

    /// <summary>Deletes the user (GET then answers 404); with DeleteUserRemovesConversations its conversations go too.</summary>
    public bool DeleteUser(string userId)
    {
        lock (_gate)
        {
            var key = UserKey(userId);
            if (key < 0) return false;
            if (Behaviour.DeleteUserRemovesConversations)
            {
                foreach (var conversation in ConversationKeysOf(key).ToList())
                    if (OwnerOf(conversation) == key) DeleteConversationKey(conversation);
            }
            _deletedUsers.Add(key);
            if (key < World.UserCount) _deletedGenerated.Insert(UserRange.LowerBound(_deletedGenerated, key), key);
            _userRecords.Remove(key);
            return true;
        }
    }

    internal (int Total, List<JsonObject> Items) ListUsers(UserFilter filter, int page, int size)
    {
        lock (_gate)
        {
            var range = NewRange(filter.CreatedFrom, filter.CreatedTo);
            var slow = filter.UpdatedFrom is not null || filter.UpdatedTo is not null || filter.Email is not null || filter.ReferenceId is not null || filter.SortByUpdated;
            if (!slow)
            {
                var total = range.Count;
                var items = new List<JsonObject>();
                for (var r = (long)(page - 1) * size; r < Math.Min(total, (long)page * size); r++)
                    items.Add(RenderUser(range.KeyAt(filter.Descending ? total - 1 - (int)r : (int)r)));
                return (total, items);
            }

            var keys = range.Keys().Where(k => Matches(k, filter)).ToList();
            if (filter.SortByUpdated) keys = [.. keys.OrderBy(UpdatedMs).ThenBy(k => k)];
            if (filter.Descending) keys.Reverse();
            var slice = keys.Skip((page - 1) * size).Take(size).Select(RenderUser).ToList();
            return (keys.Count, slice);
        }
    }

    private bool Matches(int key, UserFilter filter)
    {
        if (filter.UpdatedFrom is { } uf && UpdatedMs(key) < uf) return false;
        if (filter.UpdatedTo is { } ut && UpdatedMs(key) > ut) return false;
        if (filter.Email is not null && !string.Equals(EmailOf(key), filter.Email, StringComparison.OrdinalIgnoreCase)) return false;
        if (filter.ReferenceId is not null && !string.Equals(ReferenceOf(key), filter.ReferenceId, StringComparison.Ordinal)) return false;
        return true;
    }

    private UserRange NewRange(long? from, long? to) =>
        new(World, _deletedGenerated, _createdUsers.Where(k => !_deletedUsers.Contains(k)).Select(k => (k, _userRecords[k].CreatedMs)), from, to);

    private long UpdatedMs(int key) => _userRecords.TryGetValue(key, out var r) ? r.UpdatedMs : World.UserUpdatedMs(key);

    private string? EmailOf(int key) => _userRecords.TryGetValue(key, out var r) ? (string?)r.Json["email"] : Users.Email(key);

    private string? ReferenceOf(int key) => _userRecords.TryGetValue(key, out var r) ? (string?)r.Json["reference_id"] : Users.ReferenceId(key);

    private int UserKey(string? userId)
    {
        var key = World.Ids.Decode(HashStream.UserId, userId);
        if (key < 0 || key >= _nextUserKey || _deletedUsers.Contains((int)key)) return -1;
        return (int)key;
    }

    private JsonObject RenderUser(int key) =>
        _userRecords.TryGetValue(key, out var record) ? (JsonObject)record.Json.DeepClone() : Users.Build(key);

    private UserRecord UserRecordFor(int key)
    {
        if (_userRecords.TryGetValue(key, out var record)) return record;
        record = new UserRecord(Users.Build(key), World.UserCreatedMs(key), World.UserUpdatedMs(key));
        _userRecords[key] = record;
        return record;
    }

    private static void Set(JsonObject target, string name, string? value)
    {
        if (value is null) return;
        if (value.Length == 0) target.Remove(name); else target[name] = value;
    }
}
