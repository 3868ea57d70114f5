namespace FreshchatStream.Tests.Fixtures;

/// <summary>
/// Marks a test class that takes a minute or more, so that <see cref="LongestFirstCollectionOrderer"/> starts it
/// before the others: a long class started last keeps the whole run waiting on it alone.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LongRunningAttribute : Attribute;
