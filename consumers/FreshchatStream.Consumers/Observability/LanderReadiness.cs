namespace FreshchatStream.Consumers.Observability;

/// <summary>
/// What <c>/health/ready</c> reports, kept by the consumer loop: ready once the lander has subscribed and while the
/// warehouse answered its last open or write. It asks nothing itself, so a probe never competes with landing.
/// </summary>
public sealed class LanderReadiness
{
    private volatile bool _subscribed;
    private volatile bool _warehouseReachable;

    public bool Subscribed { get => _subscribed; set => _subscribed = value; }

    public bool WarehouseReachable { get => _warehouseReachable; set => _warehouseReachable = value; }
}
