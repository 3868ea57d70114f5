using Confluent.Kafka;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FreshchatStream.Producer.Hosting;

/// <summary>Readiness: Kafka answers a metadata request through the producer's own connection.</summary>
public sealed class KafkaReadinessCheck(KafkaConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        try
        {
            using var admin = new DependentAdminClientBuilder(connection.Producer.Handle).Build();
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(3));
            return HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)");
        }
        catch (KafkaException e)
        {
            return HealthCheckResult.Unhealthy($"Kafka: {e.Error.Code}");
        }
    }, cancellationToken);
}

/// <summary>Readiness: Redis answers a read of the state's meta hash.</summary>
public sealed class RedisReadinessCheck(ICursorStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.LoadMetaAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is CursorStoreUnavailableException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis is unavailable");
        }
    }
}

/// <summary>
/// Readiness: Freshchat was reachable in the last cycle (no probe request of its own: the API budget is precious).
/// Unhealthy when the capture stopped on a Freshchat error or every resource of the last cycle failed on Freshchat.
/// </summary>
public sealed class FreshchatReadinessCheck(CaptureOutcome outcome) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (outcome.Failure is { } fatal)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(fatal.Message));
        }

        var cycle = outcome.LastCycle;
        var freshchatDown = cycle is { Results.Count: > 0 } && cycle.Results.All(r => r.Failure?.Message.StartsWith("Freshchat", StringComparison.Ordinal) == true);
        return Task.FromResult(cycle is null ? HealthCheckResult.Healthy("no cycle yet")
            : freshchatDown ? HealthCheckResult.Unhealthy("every resource failed on Freshchat in the last cycle")
            : HealthCheckResult.Healthy());
    }
}

/// <summary>
/// Readiness: always healthy — a standby is live and ready, it waits for the lease — but the description says which
/// role this instance plays, so <c>/health/ready</c>'s body names the holder while standing by.
/// </summary>
public sealed class LeaseReadinessCheck(ICursorStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if ((store as RedisCursorStore)?.Fence is not { } lease)
        {
            return HealthCheckResult.Healthy("no lease (in-memory state)");
        }

        if (lease.Current is { } held)
        {
            return HealthCheckResult.Healthy($"holder: this instance ({held.Holder}) captures account {lease.Account} (epoch {held.Epoch})");
        }

        try
        {
            var status = await lease.ReadAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy(status.IsHeld
                ? $"standby: account {lease.Account} is captured by {status.Holder} (epoch {status.Epoch})"
                : $"standby: account {lease.Account} is free (epoch {status.Epoch}); taking it over");
        }
        catch (Exception e) when (e is CursorStoreUnavailableException or TimeoutException)
        {
            return HealthCheckResult.Healthy($"standby: account {lease.Account}, holder unknown (Redis is unavailable)");
        }
    }
}
