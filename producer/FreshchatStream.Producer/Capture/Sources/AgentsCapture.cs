using System.Text.Json;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.Publishing;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>
/// Agents and their availability from one listing per cycle: a fingerprint scan of <c>GET /agents</c>
/// (deletions confirmed by <c>GET /agents/{id}</c> answering 404), and an <c>agent_availability</c> transition
/// whenever an agent's <c>availability_status</c> or <c>agent_status</c> (its id, or its name when the API omits
/// the id) differs from the last poll — with
/// <c>from</c> null the first time an agent is seen. The last observed availability per agent is kept in the
/// state store under the <c>agent_availability</c> resource and advances with the transition's delivery.
/// </summary>
public sealed class AgentsCapture(ILogger<AgentsCapture> logger) : FingerprintScanCapture<FreshchatAgent>(logger)
{
    protected override TopicDescriptor Topic => CaptureCatalogue.AgentsTopic;

    protected override string ListEndpoint => "/v2/agents";

    public override IReadOnlyList<string> Resources => [CaptureCatalogue.Agents, CaptureCatalogue.AgentAvailability];

    protected override IAsyncEnumerable<FreshchatAgent> ListAsync(IFreshchatClient freshchat, CancellationToken cancellationToken) =>
        freshchat.ListAgentsAsync(null, cancellationToken);

    protected override string IdOf(FreshchatAgent entity) => entity.Id;

    protected override Task<IReadOnlyCollection<string>> ConfirmMissingAsync(CaptureContext context, IReadOnlyCollection<string> candidates, CancellationToken cancellationToken) =>
        ConfirmGoneByIdAsync(candidates, async id => await context.Freshchat.GetAgentAsync(id, cancellationToken));

    protected override async Task OnChunkAsync(CaptureContext context, IReadOnlyList<FreshchatAgent> chunk, CancellationToken cancellationToken)
    {
        // A snapshot re-emits entities; availability transitions are observations, not state, so none are invented.
        if (!context.Selected.Contains(CaptureCatalogue.AgentAvailability) || context.Mode == CaptureMode.Snapshot)
        {
            return;
        }

        var stored = await context.Store.GetFingerprintsAsync(CaptureCatalogue.AgentAvailability, chunk.Select(a => a.Id).ToList(), cancellationToken);
        foreach (var agent in chunk)
        {
            var current = AgentAvailabilityState.Observe(agent, context.Now);
            var previous = AgentAvailabilityState.Parse(stored.GetValueOrDefault(agent.Id));
            if (previous is not null && previous.SameAvailability(current))
            {
                continue;
            }

            var transition = new AgentAvailabilityTransition(agent.Id, previous?.To, current.To, current.StatusId, current.StatusName,
                previous?.StatusId, previous?.StatusName, context.Now, previous?.ObservedAt);
            await context.Batch.AddAsync(transition.ToChangeEvent(context.Now, context.Account, ListEndpoint), cancellationToken);
            context.Batch.State.SetFingerprint(CaptureCatalogue.AgentAvailability, agent.Id, current.Serialize());
        }
    }

    protected override void OnDeleted(CaptureContext context, string id) =>
        context.Batch.State.RemoveFingerprint(CaptureCatalogue.AgentAvailability, id);
}

/// <summary>The availability of one agent as last observed: what a transition's <c>from</c> comes from.</summary>
public sealed record AgentAvailabilityState(string To, string? StatusId, string? StatusName, DateTimeOffset ObservedAt)
{
    /// <summary>An agent without <c>availability_status</c> is recorded as <c>UNKNOWN</c> rather than skipped.</summary>
    public static AgentAvailabilityState Observe(FreshchatAgent agent, DateTimeOffset now) =>
        new(agent.AvailabilityStatus ?? "UNKNOWN", agent.AgentStatusId, agent.AgentStatusName, now);

    /// <summary>
    /// A transition is keyed on (<c>availability_status</c>, <c>agent_status.id</c> if present, else its name):
    /// Swagger gives <c>agent_status</c> an id, but Airbyte's and Fivetran's schemas hold only the name. When either
    /// side lacks the id the names are compared, so state stored before an account's payload shape changed (or by
    /// an earlier release, which stored both) never produces a spurious transition.
    /// </summary>
    public bool SameAvailability(AgentAvailabilityState other) =>
        string.Equals(To, other.To, StringComparison.Ordinal)
        && (StatusId is not null && other.StatusId is not null
            ? string.Equals(StatusId, other.StatusId, StringComparison.Ordinal)
            : string.Equals(StatusName, other.StatusName, StringComparison.Ordinal));

    public string Serialize() => JsonSerializer.Serialize(new StoredForm(1, To, StatusId, StatusName, ObservedAt));

    public static AgentAvailabilityState? Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StoredForm>(stored) is { To: { } to } form ? new(to, form.StatusId, form.StatusName, form.ObservedAt) : null;
        }
        catch (JsonException)
        {
            return null; // unreadable state is treated as a first sighting: one extra event, nothing lost
        }
    }

    private sealed record StoredForm(int V, string? To, string? StatusId, string? StatusName, DateTimeOffset ObservedAt);
}
