using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Accounts;

/// <summary>Every <c>[LoggerMessage]</c> of this folder, so event ids, levels and texts are read and reviewed in one place.</summary>
internal static partial class Log
{
    // AccountAssignment
    [LoggerMessage(EventId = 627, Level = LogLevel.Warning, Message = "Could not read the partition count of {Topic} ({Reason}); joining the group anyway")]
    internal static partial void TopicUnknown(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 623, Level = LogLevel.Information, Message = "Joining consumer group {Group} on {Topic} to share {Accounts} account(s) over {Partitions} partitions")]
    internal static partial void Joining(ILogger logger, string group, string topic, int accounts, int partitions);

    [LoggerMessage(EventId = 624, Level = LogLevel.Information, Message = "Assignment partitions [{Partitions}] assigned: capturing accounts {Accounts}")]
    internal static partial void Assigned(ILogger logger, string partitions, string accounts);

    [LoggerMessage(EventId = 625, Level = LogLevel.Information, Message = "Assignment partitions [{Partitions}] {How}: stopping accounts {Accounts}")]
    internal static partial void Revoked(ILogger logger, string how, string partitions, string accounts);

    [LoggerMessage(EventId = 626, Level = LogLevel.Warning, Message = "Assignment group: {Code} {Reason}")]
    internal static partial void GroupError(ILogger logger, ErrorCode code, string reason);

    // AccountCaptures
    [LoggerMessage(EventId = 620, Level = LogLevel.Information, Message = "Account {Account} (assignment partition {Partition}, Redis {KeyPrefix}, topics {TopicPrefix}.*): capture started")]
    internal static partial void AccountStarted(ILogger logger, string account, int partition, string keyPrefix, string topicPrefix);

    [LoggerMessage(EventId = 621, Level = LogLevel.Information, Message = "Account {Account}: capture stopped (flushed and committed)")]
    internal static partial void AccountStopped(ILogger logger, string account);

    [LoggerMessage(EventId = 622, Level = LogLevel.Critical, Message = "Account {Account}: capture stopped on a fatal error, the other accounts go on: {Reason}")]
    internal static partial void AccountFailed(ILogger logger, string account, string reason);
}
