using StackExchange.Redis;

namespace FreshchatStream.Producer.State;

/// <summary>
/// <see cref="IConversationSignalStore"/> in the account's Redis namespace (<see cref="RedisKeys.Signals"/>, woken
/// through <see cref="RedisKeys.SignalsChannel"/>), on the state store's connection. A signal is merged and its
/// wake-up published in one script; taking is one script too (read and delete), so two takers never split or
/// repeat a signal. Outside the capture state: never part of a commit, never fenced — what a taken signal becomes
/// (a schedule entry due at once) is committed by the capture cycle like any other state.
/// </summary>
public sealed class RedisConversationSignalStore(RedisCursorStore store) : IConversationSignalStore
{
    // KEYS[1] signals hash; ARGV conversation id, the signal ('0' full, '1' messages, '2' status), wake channel.
    // Two different kinds merge into '0' (IConversationSignalStore.Merge); '0' stays, as the earlier script kept it.
    private const string RecordScript = """
        local pending = redis.call('HGET', KEYS[1], ARGV[1])
        local merged = ARGV[2]
        if pending and pending ~= merged then merged = '0' end
        redis.call('HSET', KEYS[1], ARGV[1], merged)
        redis.call('PUBLISH', ARGV[3], ARGV[1])
        return 1
        """;

    private const string TakeScript = """
        local pending = redis.call('HGETALL', KEYS[1])
        if #pending > 0 then redis.call('DEL', KEYS[1]) end
        return pending
        """;

    public RedisKeys Keys => store.Keys;

    public Task RecordAsync(string conversationId, ConversationSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        return store.RunOutsideStateAsync(
            db => db.ScriptEvaluateAsync(RecordScript, [Keys.Signals], [conversationId, Encode(signal), Keys.SignalsChannel]),
            cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, ConversationSignal>> TakeAsync(CancellationToken cancellationToken = default) =>
        store.RunOutsideStateAsync(async db =>
        {
            var pending = (RedisResult[])(await db.ScriptEvaluateAsync(TakeScript, [Keys.Signals]))!;
            var taken = new Dictionary<string, ConversationSignal>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < pending.Length; i += 2)
            {
                taken[(string)pending[i]!] = Decode((string?)pending[i + 1]);
            }

            return (IReadOnlyDictionary<string, ConversationSignal>)taken;
        }, cancellationToken);

    public Task<bool> HasPendingAsync(CancellationToken cancellationToken = default) =>
        store.RunOutsideStateAsync(async db => await db.HashLengthAsync(Keys.Signals) > 0, cancellationToken);

    public Task SubscribeAsync(Action recorded, CancellationToken cancellationToken = default) =>
        store.RunOutsideStateAsync(async db =>
        {
            await db.Multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Keys.SignalsChannel), (_, _) => recorded());
            // Signals recorded while this connection was down published to nobody: look at the hash again.
            db.Multiplexer.ConnectionRestored += (_, _) => recorded();
            return true;
        }, cancellationToken);

    private static string Encode(ConversationSignal signal) => signal switch
    {
        ConversationSignal.Messages => "1",
        ConversationSignal.Status => "2",
        _ => "0",
    };

    /// <summary>Anything unknown (written by a later version) is read as a full poll, which covers every kind.</summary>
    private static ConversationSignal Decode(string? value) => value switch
    {
        "1" => ConversationSignal.Messages,
        "2" => ConversationSignal.Status,
        _ => ConversationSignal.Full,
    };
}
