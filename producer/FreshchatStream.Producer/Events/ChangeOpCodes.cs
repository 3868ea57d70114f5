namespace FreshchatStream.Producer.Events;

/// <summary>Wire codes of <see cref="ChangeOp"/> (<c>__op</c>) and their CloudEvents verbs.</summary>
public static class ChangeOpCodes
{
    public static string Code(this ChangeOp op) => op switch
    {
        ChangeOp.Create => "c",
        ChangeOp.Update => "u",
        ChangeOp.Snapshot => "r",
        ChangeOp.Delete => "d",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static string CloudEventVerb(this ChangeOp op) => op switch
    {
        ChangeOp.Create => "created",
        ChangeOp.Update => "updated",
        ChangeOp.Snapshot => "snapshot",
        ChangeOp.Delete => "deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
