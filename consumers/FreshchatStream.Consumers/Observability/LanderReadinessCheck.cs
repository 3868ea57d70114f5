using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FreshchatStream.Consumers.Observability;

/// <summary>Readiness: subscribed to the topics, and the warehouse reachable at its last open or write.</summary>
public sealed class LanderReadinessCheck(LanderReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!readiness.WarehouseReachable ? HealthCheckResult.Unhealthy("the warehouse is not reachable (yet)")
            : !readiness.Subscribed ? HealthCheckResult.Unhealthy("not subscribed (yet)")
            : HealthCheckResult.Healthy());
}
