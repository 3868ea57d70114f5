namespace FreshchatStream.Producer.Commands;

/// <summary>The process exit codes users and schedulers (cron, Kubernetes jobs) rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Configuration = 2;
    public const int Upstream = 3;
}
