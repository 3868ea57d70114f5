namespace FreshchatStream.Producer.Events;

/// <summary>How a topic's key is shaped: <c>{id}</c> for entities, <c>{conversation_id, id}</c> for messages.</summary>
public enum TopicKeyKind
{
    Entity,
    Message,
}
