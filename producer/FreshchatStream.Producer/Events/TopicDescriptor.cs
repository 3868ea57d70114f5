namespace FreshchatStream.Producer.Events;

/// <summary>
/// Everything the publishing side knows about one published resource: its topic suffix, value schema file,
/// which JSON property carries the entity id, its key shape and cleanup policy, and the noun used in
/// CloudEvents types (<c>freshchat.{noun}.updated</c>).
/// </summary>
public sealed record TopicDescriptor(
    string Resource,
    string ValueSchemaFile,
    string IdField,
    TopicKeyKind KeyKind,
    TopicCleanup Cleanup,
    string EventNoun)
{
    public const string EntityKeySchemaFile = "freshchat.entity_key.avsc";
    public const string MessageKeySchemaFile = "freshchat.message_key.avsc";

    /// <summary>The schema file of this topic's key.</summary>
    public string KeySchemaFile => KeyKind == TopicKeyKind.Message ? MessageKeySchemaFile : EntityKeySchemaFile;

    public bool IsCompacted => Cleanup == TopicCleanup.Compact;
}
