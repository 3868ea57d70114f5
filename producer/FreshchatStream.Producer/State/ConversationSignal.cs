namespace FreshchatStream.Producer.State;

/// <summary>
/// What a push signal asks of a conversation, by the webhook that raised it. Signals of different kinds for one
/// conversation merge into <see cref="Full"/>. The values are what <see cref="RedisConversationSignalStore"/> stores
/// (<c>0</c>, <c>1</c>, <c>2</c>); a version that knew only <c>0</c> and <c>1</c> reads <c>2</c> as <see cref="Full"/>.
/// </summary>
public enum ConversationSignal
{
    /// <summary>The conversation and its new messages: an action read as neither kind below, or kinds merged.</summary>
    Full = 0,

    /// <summary>A new message (<c>message_create</c>): the conversation's new messages.</summary>
    Messages = 1,

    /// <summary>
    /// A status change (<c>conversation_resolution</c>, <c>conversation_reopen</c>, <c>conversation_assignment</c>):
    /// the conversation; its messages too unless <c>message_create</c> webhooks are known to arrive.
    /// </summary>
    Status = 2,
}
