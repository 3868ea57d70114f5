namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>
/// Window bounds other than <c>Capture:Reports:*</c>'s (the conversation change hints ask for short, frequent windows):
/// how far back the first window starts, the longest and shortest window, and how long before now a window ends.
/// </summary>
public readonly record struct RawReportCadence(TimeSpan Lookback, TimeSpan MaxWindow, TimeSpan MinWindow, TimeSpan SettleDelay);
