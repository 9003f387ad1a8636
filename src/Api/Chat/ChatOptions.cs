namespace EventChat.Api.Chat;

public sealed class ChatOptions
{
    /// <summary>The longest message text accepted, in Unicode code points.</summary>
    public int MaxMessageLength { get; set; } = 4000;

    public int MaxClientMessageIdLength { get; set; } = 100;

    /// <summary>How much a connection buffers for a client to resume after a blip, before it must catch up instead.</summary>
    public long StatefulReconnectBufferBytes { get; set; } = 256 * 1024;

    public void Validate()
    {
        if (MaxMessageLength is < 1 or > 100_000)
        {
            throw new InvalidOperationException("Chat:MaxMessageLength must be between 1 and 100000.");
        }
    }
}
