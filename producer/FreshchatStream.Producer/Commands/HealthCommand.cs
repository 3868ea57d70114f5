using FreshchatStream.Hosting;

namespace FreshchatStream.Producer.Commands;

/// <summary>
/// <c>health [--ready]</c>: the container healthcheck. Probes the running <c>run</c>'s endpoint with the same
/// configuration sources as every command, but reads only <c>Observability:*</c>, so it needs neither the API key
/// nor Kafka, Redis or registry settings. Exit 0 healthy, 1 unhealthy or unreachable, 2 no endpoint configured.
/// </summary>
public static class HealthCommand
{
    public static Task<int> ExecuteAsync(IReadOnlyList<string> configuration, bool ready, TextWriter error, CancellationToken stop = default) =>
        HealthProbe.RunAsync(CommandHost.CreateBuilder(configuration).Configuration, ready, error, stop);
}
