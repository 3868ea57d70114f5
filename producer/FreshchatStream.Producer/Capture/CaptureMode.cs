namespace FreshchatStream.Producer.Capture;

/// <summary>What a cycle emits: only changes (<c>c</c>/<c>u</c>/<c>d</c>), or the current state of everything as <c>r</c>.</summary>
public enum CaptureMode
{
    Changes,
    Snapshot,
}
