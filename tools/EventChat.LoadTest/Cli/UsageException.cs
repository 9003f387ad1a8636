namespace EventChat.LoadTest.Cli;

/// <summary>A command line the tool cannot run with; reported as a message and exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
