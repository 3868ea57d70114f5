using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FreshchatStream.Producer.State;

/// <summary>
/// The single-writer lease of ONE account: a Redis hash <see cref="RedisKeys.Lease"/> with <c>holder</c>, a fencing
/// <c>epoch</c> and <c>expires_at</c> (unix ms). The hash never expires as a whole, so the epoch only grows: every
/// acquisition increments it, a release clears holder and expiry but keeps it. Every step is a Lua script that reads
/// the Redis server's clock (<c>TIME</c>), so clock skew between instances cannot make two of them think they hold
/// it. Every state write of the account presents <see cref="Current"/> and is refused in the same atomic step when the
/// epoch moved on (see <see cref="RedisCursorStore"/>): a paused or partitioned holder can never write over its
/// successor. One instance per account: a process capturing several accounts creates one lease for each.
/// </summary>
public sealed class CaptureLease : IAsyncDisposable
{
    // Returns {acquired, holder, epoch, expires_at, server_now}. The previous holder may be this very instance id
    // (a configured id, restarted): acquiring anew still bumps the epoch, fencing the old incarnation.
    private const string AcquireScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local holder = redis.call('HGET', KEYS[1], 'holder')
        local expires = tonumber(redis.call('HGET', KEYS[1], 'expires_at') or '0') or 0
        if holder and holder ~= '' and holder ~= ARGV[1] and expires > now then
          return {0, holder, tostring(redis.call('HGET', KEYS[1], 'epoch') or '0'), tostring(expires), tostring(now)}
        end
        local epoch = redis.call('HINCRBY', KEYS[1], 'epoch', 1)
        local until_ms = now + tonumber(ARGV[2])
        redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'expires_at', tostring(until_ms))
        return {1, ARGV[1], tostring(epoch), tostring(until_ms), tostring(now)}
        """;

    // Renews only under the same holder AND epoch; a lease that expired but was not taken over is still ours.
    private const string RenewScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local holder = redis.call('HGET', KEYS[1], 'holder')
        local epoch = redis.call('HGET', KEYS[1], 'epoch')
        if holder == ARGV[1] and epoch == ARGV[2] then
          local until_ms = now + tonumber(ARGV[3])
          redis.call('HSET', KEYS[1], 'expires_at', tostring(until_ms))
          return {1, holder, epoch, tostring(until_ms), tostring(now)}
        end
        return {0, holder or '', epoch or '0', tostring(redis.call('HGET', KEYS[1], 'expires_at') or '0'), tostring(now)}
        """;

    private const string ReleaseScript = """
        if redis.call('HGET', KEYS[1], 'holder') == ARGV[1] and redis.call('HGET', KEYS[1], 'epoch') == ARGV[2] then
          redis.call('HDEL', KEYS[1], 'holder', 'expires_at')
          redis.call('PUBLISH', ARGV[3], ARGV[2])
          return 1
        end
        return 0
        """;

    private const string ReadScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local v = redis.call('HMGET', KEYS[1], 'holder', 'epoch', 'expires_at')
        return {0, v[1] or '', v[2] or '0', v[3] or '0', tostring(now)}
        """;

    private readonly RedisConnection _redis;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private LeaseToken? _current;
    private CancellationTokenSource _held = new();
    private long _confirmedAt;
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _subscription;

    /// <param name="account">The account's name (logs, metrics, errors).</param>
    /// <param name="keys">The account's key layout: the lease lives at <see cref="RedisKeys.Lease"/>.</param>
    /// <param name="redis">The process's shared connection.</param>
    public CaptureLease(string account, RedisKeys keys, RedisConnection redis, LeaseOptions options, TimeProvider time, ILogger<CaptureLease> logger)
    {
        Account = account;
        _keys = keys;
        _redis = redis;
        _time = time;
        _logger = logger;
        Holder = options.ResolvedInstanceId;
        Ttl = options.LeaseTtl;
        WaitTimeout = options.LeaseWaitTimeout;
        _held.Cancel();
    }

    public string Account { get; }

    /// <summary>This process's instance id, written as <c>holder</c>.</summary>
    public string Holder { get; }

    public TimeSpan Ttl { get; }

    /// <summary>How long commands wait for a lease held elsewhere (<c>Capture:LeaseWaitTimeout</c>).</summary>
    public TimeSpan WaitTimeout { get; }

    /// <summary>How often the holder renews and a standby retries: a third of the TTL.</summary>
    public TimeSpan RenewInterval => Ttl / 3;

    /// <summary>The holder and epoch this process holds, or null.</summary>
    public LeaseToken? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Cancelled when the lease held since the last acquisition is lost or released (already cancelled while not held).</summary>
    public CancellationToken HeldToken
    {
        get
        {
            lock (_gate)
            {
                return _held.Token;
            }
        }
    }

    /// <summary>The lease as the server sees it now.</summary>
    public async Task<LeaseStatus> ReadAsync(CancellationToken cancellationToken = default) =>
        (await EvaluateAsync(ReadScript, [], "read the lease", cancellationToken)).Status;

    /// <summary>Takes the lease when it is free or expired (bumping the epoch); otherwise reports who holds it.</summary>
    public async Task<LeaseAttempt> TryAcquireAsync(CancellationToken cancellationToken = default)
    {
        var attempt = await EvaluateAsync(AcquireScript, [Holder, (long)Ttl.TotalMilliseconds], "acquire the lease", cancellationToken);
        if (attempt.Acquired)
        {
            lock (_gate)
            {
                _current = new LeaseToken(Holder, attempt.Status.Epoch);
                _held.Dispose();
                _held = new CancellationTokenSource();
                _confirmedAt = _time.GetTimestamp();
            }

            Log.LeaseAcquired(_logger, Account, attempt.Status.Epoch, Holder, LeaseStatus.Format(attempt.Status.ExpiresAt!.Value));
        }

        return attempt;
    }

    /// <summary>
    /// Acquires the lease, waiting up to <paramref name="wait"/> while another instance holds it (retrying every third
    /// of the TTL, and at once when the holder releases it). Throws <see cref="LeaseUnavailableException"/> naming the holder.
    /// </summary>
    public async Task<LeaseStatus> AcquireAsync(TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            var attempt = await TryAcquireAsync(cancellationToken);
            if (attempt.Acquired)
            {
                return attempt.Status;
            }

            var left = wait - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new LeaseUnavailableException(Account, attempt.Status, wait);
            }

            Log.LeaseWaiting(_logger, Account, attempt.Status.Holder ?? "-", attempt.Status.Epoch);
            await WaitForReleaseAsync(left < RenewInterval ? left : RenewInterval, cancellationToken);
        }
    }

    /// <summary>
    /// Extends the lease held. False when it is lost: another instance took it over (a higher epoch), or Redis could not
    /// confirm it for a whole TTL (a partition: a successor may hold it by now). A renewal that fails for less than a TTL
    /// keeps the lease: the next one retries.
    /// </summary>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken = default)
    {
        if (Current is not { } token)
        {
            return false;
        }

        LeaseAttempt attempt;
        try
        {
            attempt = await EvaluateAsync(RenewScript, [token.Holder, token.Epoch, (long)Ttl.TotalMilliseconds], "renew the lease", cancellationToken);
        }
        catch (CursorStoreUnavailableException e)
        {
            long confirmedAt;
            lock (_gate)
            {
                confirmedAt = _confirmedAt;
            }

            if (_time.GetElapsedTime(confirmedAt) < Ttl)
            {
                Log.LeaseRenewalFailed(_logger, Account, e.Message);
                return true;
            }

            MarkLost($"Redis could not confirm it for {Ttl} ({e.Message})");
            return false;
        }

        if (attempt.Acquired)
        {
            lock (_gate)
            {
                _confirmedAt = _time.GetTimestamp();
            }

            return true;
        }

        MarkLost($"superseded by {(attempt.Status.Holder is { Length: > 0 } h ? h : "nobody")} (epoch {attempt.Status.Epoch})");
        return false;
    }

    /// <summary>Gives the lease up (after the last commit), keeping the epoch, and tells standbys at once through Redis pub/sub.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        LeaseToken? token;
        lock (_gate)
        {
            token = _current;
            _current = null;
            _held.Cancel();
        }

        if (token is not { } held)
        {
            return;
        }

        await EvaluateRawAsync(ReleaseScript, [held.Holder, held.Epoch, _keys.LeaseReleased], "release the lease", cancellationToken);
        Log.LeaseReleased(_logger, Account, held.Epoch);
    }

    /// <summary>Waits up to <paramref name="max"/>, returning early when the holder announces a release.</summary>
    public async Task WaitForReleaseAsync(TimeSpan max, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        Task subscription;
        Task released;
        lock (_gate)
        {
            subscription = _subscription ??= SubscribeAsync();
            released = _released.Task;
        }

        try
        {
            await subscription.WaitAsync(max, _time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException || RedisConnection.IsUnavailable(e))
        {
            // Without the notification the caller's poll still finds the release within a third of the TTL.
            lock (_gate)
            {
                if (ReferenceEquals(_subscription, subscription) && subscription.IsFaulted)
                {
                    _subscription = null;
                }
            }
        }

        var left = max - _time.GetElapsedTime(started);
        if (left > TimeSpan.Zero)
        {
            try
            {
                await released.WaitAsync(left, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // poll again
            }
        }

        lock (_gate)
        {
            if (_released.Task.IsCompleted)
            {
                _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>
    /// The token a fenced write presents. Throws <see cref="LeaseLostException"/> when the lease is not held: nothing is
    /// sent to Redis then.
    /// </summary>
    public LeaseToken Fence() => Current ?? throw new LeaseLostException(
        $"account {Account}: this instance ({Holder}) does not hold the lease at {_keys.Lease}; nothing was written.");

    /// <summary>A fenced write was refused: the lease is no longer ours.</summary>
    public void MarkLost(string reason)
    {
        LeaseToken? token;
        lock (_gate)
        {
            token = _current;
            _current = null;
            _held.Cancel();
        }

        if (token is { } lost)
        {
            Log.LeaseLost(_logger, Account, lost.Epoch, reason);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is { IsCompletedSuccessfully: true })
        {
            try
            {
                var connection = await _redis.GetAsync(CancellationToken.None);
                await connection.GetSubscriber().UnsubscribeAsync(RedisChannel.Literal(_keys.LeaseReleased));
            }
            catch (Exception e) when (RedisConnection.IsUnavailable(e) || e is ObjectDisposedException)
            {
                // the connection is going away with the process
            }
        }

        lock (_gate)
        {
            _held.Cancel();
            _held.Dispose();
        }
    }

    private async Task SubscribeAsync()
    {
        var connection = await _redis.GetAsync(CancellationToken.None);
        await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_keys.LeaseReleased), (_, _) =>
        {
            lock (_gate)
            {
                _released.TrySetResult();
            }
        });
    }

    private async Task<LeaseAttempt> EvaluateAsync(string script, RedisValue[] arguments, string action, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await EvaluateRawAsync(script, arguments, action, cancellationToken))!;
        var expires = long.Parse((string)result[3]!, CultureInfo.InvariantCulture);
        var holder = (string?)result[1];
        return new LeaseAttempt((long)result[0] == 1, new LeaseStatus(
            string.IsNullOrEmpty(holder) ? null : holder,
            long.Parse((string)result[2]!, CultureInfo.InvariantCulture),
            expires > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(expires) : null,
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)result[4]!, CultureInfo.InvariantCulture))));
    }

    private async Task<RedisResult> EvaluateRawAsync(string script, RedisValue[] arguments, string action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var db = await _redis.GetDatabaseAsync(cancellationToken);
            return await db.ScriptEvaluateAsync(script, [_keys.Lease], arguments).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (RedisConnection.IsUnavailable(e))
        {
            throw _redis.Unavailable(action, e);
        }
    }
}
