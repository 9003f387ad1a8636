using System.Collections.Concurrent;

namespace EventChat.LoadTest.Reference;

/// <summary>The sockets of one room on the reference server.</summary>
public sealed class ReferenceRoom
{
    public ConcurrentDictionary<long, ReferenceSocket> Sockets { get; } = new();
}
