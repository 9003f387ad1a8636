namespace EventChat.LoadTest.Common;

/// <summary>
/// REST calls that any edge can answer: made on the edge that answered last, and on the next ones in turn when it
/// fails, so that one dead edge does not stop polling or the final checks.
/// </summary>
public sealed class EdgeRotation(IReadOnlyList<ApiClient> apis)
{
    private int _current;

    public async Task<T> CallAsync<T>(Func<ApiClient, Task<T>> call)
    {
        var start = Volatile.Read(ref _current);
        for (var tried = 1; ; tried++)
        {
            var index = (start + tried - 1) % apis.Count;
            try
            {
                var result = await call(apis[index]);
                Volatile.Write(ref _current, index);
                return result;
            }
            catch (Exception ex) when (tried < apis.Count && IsEdgeFailure(ex))
            {
                // Try the next edge.
            }
        }
    }

    /// <summary>An edge that cannot be reached or answers with an error, not the run being cancelled.</summary>
    public static bool IsEdgeFailure(Exception exception) =>
        exception is HttpRequestException or IOException
        || (exception is TaskCanceledException { InnerException: TimeoutException });
}
