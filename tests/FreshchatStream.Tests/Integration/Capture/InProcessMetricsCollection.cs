namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// Classes that run the producer in this test process and then read its metrics (<c>/metrics</c>, a meter
/// listener). Every host's OpenTelemetry provider listens to the FreshchatStream meters by name, process-wide, so a
/// host run at the same time by another class feeds or displaces the series such a test looks for (seen under CI
/// load: an account's lease series missing for 90 s, the lag gauge missing from a scrape). They are short, so they
/// run by themselves, after the parallel classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessMetricsCollection
{
    public const string Name = "in-process producer metrics (not beside other in-process hosts)";
}
