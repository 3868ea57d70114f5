namespace FreshchatStream.Sandbox.Cli;

/// <summary>The sandbox's exit codes, aligned with the producer's (design §4).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = FreshchatStream.Hosting.CommandLine.ToolCommandLine.UsageExitCode;
}
